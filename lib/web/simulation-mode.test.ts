/**
 * Simulation mode in headless Chromium from file://, offline: the bundle (scripts/build-web.js)
 * mounts it on a page; the run it builds from the embedded lab text must be the run Node traces
 * from the lab folder (same seed, same frames), the controls must move the cursor, and at the
 * cursor after xenial1's halt r3's route to the anycast address must show what the route log
 * says (IOS: invalid and hold-down at the invalid timer's expiry, 180 s after the last update,
 * Cisco "IP Routing: RIP Configuration Guide", timers basic). Screenshots, light and dark, 1280 and
 * 390 px wide, go to build/screenshots/simulation-mode-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { loadLab } from '../config/load';
import { labPath } from '../config/paths';
import { ladderColumns, simulationTrace } from './simulation-mode';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'build', 'screenshots');
const PAGE_STYLE = ':root{color-scheme:light dark}@media (prefers-color-scheme:dark){html{background:#161a1f;color:#e6edf3}}body{margin:0;padding:8px 12px;font-family:system-ui,sans-serif}';

type ModeHandle = { cursor: number; trace: { packets: unknown[] } };
const mode = (page: Page) => page.evaluate(() => {
  const m = (globalThis as unknown as { mode: ModeHandle }).mode;
  return { cursor: m.cursor, status: document.querySelector('.al-sim-status')?.textContent ?? '', r3: Array.from(document.querySelectorAll('.al-sim-state tr.al-sim-watched')).map((tr) => tr.textContent ?? '') };
});

test('ladder columns follow the anycast lab\'s chain (topology.clab.yml: xenial3/xenial1 at r3, r1, r2, r4 with xenial2/xenial4)', () => {
  assert.deepEqual(ladderColumns(loadLab(labPath('anycast'), { do_anycast: true })), ['xenial1', 'xenial3', 'r3', 'r1', 'r2', 'r4', 'xenial2', 'xenial4']);
});

test('simulation mode: the page runs the run Node runs, and play, step and jump move the ladder and the tables', { timeout: 180_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'anycast-sim-'));
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.js'), '--out', out], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium, or set CHROMIUM_PATH`);
  const page = join(out, 'simulation.html');
  writeFileSync(page, `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>simulation mode</title><style>${PAGE_STYLE}</style><script src="anycast-lab.js"></script><div id="sim"></div><script>globalThis.mode = AnycastLab.mountSimulationMode(document.getElementById('sim'), { seed: 1, failure: 'xenial1:halt@125s' });</script>\n`);
  const node = simulationTrace({ seed: 1, failure: 'xenial1:halt@125s' }, (name, options) => loadLab(labPath(name), options));
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    for (const width of [1280, 390]) {
      for (const scheme of ['light', 'dark'] as const) {
        const tab = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
        const errors: string[] = [];
        const requests: string[] = [];
        tab.on('pageerror', (e) => errors.push(e.message));
        tab.on('request', (r) => requests.push(r.url()));
        await tab.goto(pathToFileURL(page).href);
        if (width === 1280 && scheme === 'light') {
          const frames = await tab.evaluate(() => JSON.stringify((globalThis as unknown as { mode: ModeHandle }).mode.trace.packets));
          assert.equal(frames, JSON.stringify(node.packets), 'Chromium traced other frames than Node');
          assert.ok(node.packets.some((p) => p.protocol === 'ICMP') && node.packets.some((p) => p.protocol === 'RIP') && node.packets.some((p) => p.protocol === 'ARP'), 'the run has pings, RIP and ARP');
          const start = await mode(tab);
          assert.equal(start.cursor, 0);
          await tab.getByRole('button', { name: 'step ▶' }).click();
          assert.equal((await mode(tab)).cursor, 1);
          await tab.getByRole('button', { name: '◀ step' }).click();
          assert.equal((await mode(tab)).cursor, 0);
          // The first change after the failure: r3 declares the route invalid (hold-down) when its
          // invalid timer runs out, and r1 removes it on r3's poison (the route log's rows).
          const firstChange = node.watchedChanges.find((t) => t > 125)!;
          await tab.getByRole('button', { name: 'next route change »' }).click();
          const atChange = await mode(tab);
          const time = Number(atChange.status.split(' s ')[0]);
          assert.ok(time >= firstChange && time < firstChange + 5, `the cursor is at ${time} s, the change at ${firstChange} s`);
          const r3 = node.routingTablesAt(time)['r3']!.find((e) => e.prefix === '10.128.224.2/32')!;
          assert.equal(r3.state, 'hold-down', 'r3 keeps forwarding to xenial1 in hold-down (IOS)');
          assert.ok(atChange.r3.some((row) => row.includes('10.128.5.2') && row.includes('hold-down')), `the page's table for r3: ${atChange.r3.join(' | ')}`);
          const svgBefore = await tab.evaluate(() => document.querySelector('.al-sim-ladder svg[viewBox]')?.outerHTML ?? '');
          await tab.getByRole('button', { name: '▶ play' }).click();
          await tab.waitForFunction((c) => (globalThis as unknown as { mode: ModeHandle }).mode.cursor >= c + 2, atChange.cursor, { timeout: 10_000 });
          await tab.getByRole('button', { name: '⏸ pause' }).click();
          assert.notEqual(await tab.evaluate(() => document.querySelector('.al-sim-ladder svg[viewBox]')?.outerHTML ?? ''), svgBefore, 'playing redrew the ladder');
          // Back to the first change for the screenshots.
          await tab.evaluate((c) => (globalThis as unknown as { mode: { moveTo(i: number): void } }).mode.moveTo(c), atChange.cursor);
        } else {
          await tab.getByRole('button', { name: 'next route change »' }).click();
        }
        const arrows = await tab.evaluate(() => document.querySelectorAll('.al-sim-ladder svg [aria-label="arrow"] path').length);
        assert.ok(arrows > 4, `the ladder draws ${arrows} arrows`);
        await tab.screenshot({ path: join(SHOTS, `simulation-mode-${width}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
        const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at ${width} px`);
        assert.deepEqual(errors, []);
        assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), [], 'the page asked the network');
        await tab.close();
      }
    }
  } finally {
    await browser.close();
  }
});
