// The figures a reader looks at rather than reads, drawn from a real run of the anycast lab (xenial1
// halted at 125 s, seed 1) and opened in headless Chromium, light and dark, 1280 and 390 px wide:
// screenshots go to build/screenshots/figure-*.png, and every axis label must be clear of every tick
// label, and no figure wider than its page. Then every figure of the snapshot tests (test-support.ts),
// each on a page of its own at 390 and 1280 px: no text of a figure over another of its texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { loadLab } from '../config/load';
import { labPath } from '../config/paths';
import { seconds } from '../sim/time';
import { traceRun } from '../measure/trace';
import { measureFailover } from '../measure/failover';
import * as figures from './index';
import { FIGURE_CASES } from './test-support';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'build', 'screenshots');

/** The page around the figures: the tutorial's colours (scripts/tutorial.css) light and dark. */
const PAGE_STYLE = `:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff}@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#161a1f}}
html,body{background:var(--bg);color:var(--fg);margin:0;padding:0 15px;font-family:system-ui,sans-serif}svg{max-width:100%;height:auto}figure{margin:0 0 1.5rem}`;

function figurePages(): Record<string, string> {
  const spec = loadLab(labPath('anycast'), { do_anycast: true });
  const trace = traceRun({ lab: spec, seed: 1, failures: ['xenial1:halt@125s'], until: seconds(400) });
  const withdrawal = trace.packets.filter((p) => p.sent > 300.9 && p.sent < 312 && p.protocol !== 'ARP');
  const notes = figures.routeChangeNotes(trace.routeChanges, { prefix: '10.128.224.2/32', spec, from: 300.9, until: 312 });
  const halted = measureFailover({ lab: spec, fail: 'xenial1:halt', at: seconds(125), seed: 1 });
  return {
    // Every snapshot figure on one page, to look at side by side.
    snapshots: FIGURE_CASES.map((c) => c.draw(figures, spec)).join('\n'),
    ladder: figures.ladderFigure(withdrawal, { nodes: ['xenial1', 'r3', 'r1', 'r2', 'r4', 'xenial2'], notes, caption: 'r3 gives up xenial1 at 301 s: the RIP updates that follow.' }),
    'next-hop': figures.nextHopFigure(trace.routeChanges, { spec, until: 400, failures: trace.failures }),
    'probe-timeline': figures.probeTimelineFigure(halted.rows, { failureAt: halted.at, failure: 'xenial1 halted', routeChanges: trace.routeChanges, router: 'r3', spec, outages: [{ label: 'this run', seconds: halted.outageSeconds ?? 0 }, { label: 'write-up', seconds: 243 }], referenceTtl: { near: 63, far: 60, source: 'write-up' } }),
  };
}

test('figures in Chromium: light and dark, 1280 and 390 px, axis labels clear of tick labels, nothing wider than the page', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium, or set CHROMIUM_PATH`);
  const dir = mkdtempSync(join(tmpdir(), 'anycast-figures-'));
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    for (const [name, html] of Object.entries(figurePages())) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><style>${PAGE_STYLE}</style>${html}\n`);
      for (const width of [1280, 390]) {
        for (const scheme of ['light', 'dark'] as const) {
          const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme: scheme });
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          await page.goto(pathToFileURL(file).href);
          await page.screenshot({ path: join(SHOTS, `figure-${name}-${width}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
          const problems = await page.evaluate(() => {
            const out: string[] = [];
            const boxes = (sel: string, root: Element) => Array.from(root.querySelectorAll(sel)).map((e) => ({ text: e.textContent ?? '', r: e.getBoundingClientRect() })).filter((b) => b.r.width > 0);
            const hit = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            for (const svg of Array.from(document.querySelectorAll('svg'))) {
              if ((svg as unknown as HTMLElement).offsetParent === null) continue;
              if (svg.getBoundingClientRect().right > document.documentElement.clientWidth + 1) out.push(`an svg runs past the page's right edge`);
              const ticks = boxes('[aria-label$="tick label"] text', svg);
              for (const label of boxes('[aria-label$="-axis label"] text', svg)) for (const t of ticks) if (hit(label.r, t.r)) out.push(`axis label "${label.text}" over tick label "${t.text}"`);
            }
            return out;
          });
          await page.close();
          assert.deepEqual(errors, [], `${name} ${width} ${scheme}`);
          assert.deepEqual(problems, [], `${name} ${width} ${scheme}`);
        }
      }
    }
  } finally {
    await browser.close();
  }
});

/**
 * Every pair of texts in the page's visible figures whose boxes overlap by more than a pixel each
 * way (the boxes Chromium lays out, tspans of one text counted as one), named by their marks; and
 * every text that runs past its figure's left or right edge (the SVG clips it there).
 */
function overlappingTexts(): string[] {
  const out: string[] = [];
  for (const svg of Array.from(document.querySelectorAll('svg'))) {
    // The drawing the page's width hides (responsiveFigure) has no box.
    if (svg.getBoundingClientRect().width === 0) continue;
    const texts = Array.from(svg.querySelectorAll('text'))
      .map((e) => ({ text: e.textContent ?? '', mark: e.closest('[aria-label]')?.getAttribute('aria-label') ?? '?', r: e.getBoundingClientRect() }))
      .filter((t) => t.text.trim() !== '' && t.r.width > 0);
    const frame = svg.getBoundingClientRect();
    for (const t of texts) if (t.r.left < frame.left - 1 || t.r.right > frame.right + 1) out.push(`${t.mark} "${t.text}" runs past its figure's edge`);
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i]!.r;
        const b = texts[j]!.r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) out.push(`${texts[i]!.mark} "${texts[i]!.text}" over ${texts[j]!.mark} "${texts[j]!.text}"`);
      }
    }
  }
  return out;
}

test('every figure at 390 and 1280 px: no text over another text, none past the figure\'s edge', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium, or set CHROMIUM_PATH`);
  const dir = mkdtempSync(join(tmpdir(), 'anycast-figures-'));
  mkdirSync(SHOTS, { recursive: true });
  const spec = loadLab(labPath('anycast'), { do_anycast: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const problems: string[] = [];
  try {
    for (const c of FIGURE_CASES) {
      const file = join(dir, `${c.name}.html`);
      writeFileSync(file, `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><style>${PAGE_STYLE}</style>${c.draw(figures, spec)}\n`);
      for (const width of [390, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        await page.goto(pathToFileURL(file).href);
        await page.screenshot({ path: join(SHOTS, `figure-case-${c.name}-${width}.png`), fullPage: true });
        problems.push(...(await page.evaluate(overlappingTexts)).map((p) => `${c.name} at ${width} px: ${p}`));
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
});
