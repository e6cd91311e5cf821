// Opens the built tutorial (build/tutorial/, `npm run tutorial`) in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; no browser is downloaded) and checks what a reader
// meets: every page loads without console or page errors and without fetching anything from the
// network, every figure's SVG has marks in it, and the previous / contents / next links lead where they
// say; chapter 6's summary renders its code spans as code; the write-up is credited; chapter 2's
// hexdumps do not wrap. Full-page screenshots of every page (light, and the index and first chapter dark) go to
// build/screenshots/, which CI keeps as artifacts.
//
// When the site is missing or stale (its inputs hash in build-info.json differs: notebooks, dist/ or the
// site scripts changed) the test builds it first with scripts/tutorial.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const root = resolve(__dirname, '..');
const siteDir = join(root, 'build', 'tutorial');
const screenshotDir = join(root, 'build', 'screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

interface BuildInfo {
  inputsHash: string;
  totalSeconds: number;
  chapters: { notebook: string; page: string; title: string; seconds: number; ok: boolean }[];
}

function readBuildInfo(): BuildInfo | null {
  const file = join(siteDir, 'build-info.json');
  if (!existsSync(join(siteDir, 'index.html')) || !existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as BuildInfo;
}

/** The built site, rebuilt first when missing or stale. */
function freshSite(): BuildInfo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tutorialInputsHash } = require(join(root, 'scripts', 'tutorial-inputs.js')) as { tutorialInputsHash(): string };
  const want = tutorialInputsHash();
  const have = readBuildInfo();
  if (have !== null && have.inputsHash === want) return have;
  console.log(`# ${have === null ? 'no built site' : 'site is stale'}: building it with scripts/tutorial.ts`);
  const run = spawnSync(join(root, 'node_modules', '.bin', 'ts-node'), [join(root, 'scripts', 'tutorial.ts')], { cwd: root, encoding: 'utf8', timeout: 150_000 });
  assert.equal(run.status, 0, `scripts/tutorial.ts failed (status ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  const built = readBuildInfo();
  assert.ok(built !== null, 'scripts/tutorial.ts wrote no build/tutorial/build-info.json');
  return built;
}

/** A headless Chromium with its profile, HOME and XDG folders in a temporary folder. */
async function launchChromium(tmp: string): Promise<BrowserContext> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { HOME: join(tmp, 'home'), XDG_CONFIG_HOME: join(tmp, 'config'), XDG_CACHE_HOME: join(tmp, 'cache'), XDG_DATA_HOME: join(tmp, 'data') });
  for (const d of ['home', 'config', 'cache', 'data']) mkdirSync(join(tmp, d), { recursive: true });
  return chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env,
    viewport: { width: 1200, height: 900 },
    timeout: 30_000,
  });
}

/** Console errors, page errors and blocked network requests seen by a page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

/** Every SVG that is a figure (not a legend swatch inside one) and how many marks it holds. */
async function svgMarks(page: Page): Promise<{ where: string; marks: number; width: number; height: number }[]> {
  return page.$$eval('svg', (svgs) =>
    svgs
      .filter((svg) => svg.parentElement?.closest('svg') === null)
      // A figure drawn twice, wide and narrow (lib/plot/figures.ts responsiveFigure), shows one: the other is display:none.
      .filter((svg) => (svg as Element & { checkVisibility?: () => boolean }).checkVisibility?.() !== false)
      .map((svg, i) => {
        const box = svg.getBoundingClientRect();
        const fig = svg.closest('figure');
        const caption = fig?.querySelector('figcaption')?.textContent?.trim().slice(0, 60);
        return {
          where: `svg #${i + 1}${caption ? ` (${caption})` : ''}`,
          marks: svg.querySelectorAll('[aria-label] *, path, rect, circle, line, text, polygon, polyline').length,
          width: box.width,
          height: box.height,
        };
      }),
  );
}

test('the built tutorial renders in headless Chromium: no errors, plots with content, working navigation', { timeout: 240_000 }, async () => {
  const info = freshSite();
  assert.ok(info.chapters.length > 0, 'the site has no chapters');
  for (const c of info.chapters) assert.ok(c.ok, `${c.notebook} failed while the site was built`);
  mkdirSync(screenshotDir, { recursive: true });
  // Our earlier screenshots go (a renamed chapter leaves none behind); jupyterlab.test.ts's, the figures'
  // (lib/plot/screenshots.test.ts) and the simulation mode's (lib/web/simulation-mode.test.ts) stay.
  const others = ['jupyterlab-', 'figure-', 'simulation-mode-'];
  for (const f of readdirSync(screenshotDir)) if (f.endsWith('.png') && !others.some((p) => f.startsWith(p))) rmSync(join(screenshotDir, f));

  const tmp = mkdtempSync(join(tmpdir(), 'anycast-lab-site-'));
  let context: BrowserContext | null = null;
  try {
    context = await launchChromium(tmp);
    const blocked: string[] = [];
    // The pages must work offline: anything that is not a local file is refused and reported.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems = watch(page);
    const pages = ['index.html', ...info.chapters.map((c) => c.page)];
    const url = (file: string) => pathToFileURL(join(siteDir, file)).href;

    await page.goto(url('index.html'), { waitUntil: 'load' });
    for (let i = 0; i < pages.length; i++) {
      const file = pages[i]!;
      // Arrived by clicking "next" on the page before (or directly, for the index).
      assert.equal(page.url(), url(file), `expected to be on ${file}`);
      await page.waitForLoadState('load');
      const name = file.replace(/\.html$/, '');

      const figures = await svgMarks(page);
      if (file === 'index.html') assert.ok(figures.length >= 1, 'index.html: no topology figure');
      for (const f of figures) {
        assert.ok(f.marks > 0, `${file}: ${f.where} is empty`);
        assert.ok(f.width > 0 && f.height > 0, `${file}: ${f.where} has no size (${f.width}×${f.height})`);
      }
      const figureCount = await page.locator('figure').count();
      const figuresWithSvg = await page.locator('figure:has(svg)').count();
      assert.equal(figuresWithSvg, figureCount, `${file}: ${figureCount - figuresWithSvg} <figure> without an SVG`);

      // Navigation: both bars point at the neighbours and the contents.
      for (const bar of ['nav.site-header', 'nav.site-footer']) {
        const nav = page.locator(bar).first();
        assert.equal(await nav.count(), 1, `${file}: no ${bar}`);
        const href = async (cls: string) => ((await nav.locator(`a.${cls}`).count()) > 0 ? nav.locator(`a.${cls}`).getAttribute('href') : null);
        const prev = await href('nav-prev');
        const next = await href('nav-next');
        assert.equal(prev, i >= 2 ? pages[i - 1] : null, `${file}: "previous" link in ${bar}`);
        assert.equal(next, pages[i + 1] ?? null, `${file}: "next" link in ${bar}`);
        if (i > 0) assert.equal(await nav.locator('a.nav-index').getAttribute('href'), 'index.html', `${file}: "contents" link`);
      }
      if (file === 'index.html') {
        const toc = await page.locator('.toc a.toc-title').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(toc, pages.slice(1), 'index.html: table of contents');
        assert.equal(await page.locator('.toc .toc-time').count(), info.chapters.length, 'index.html: execution time of every chapter');
        // Chapter 6's summary: a code span is code, with its `*` kept, not the start of emphasis.
        const whatIf = page.locator('.toc li', { has: page.locator('a.toc-title[href="06-what-if.html"]') }).locator('.toc-summary');
        assert.deepEqual(await whatIf.locator('code').allInnerTexts(), ['data/labs/anycast/experiments/*.yml'], 'chapter 6 summary: code spans');
        assert.deepEqual(await whatIf.locator('em').allInnerTexts(), ['"Some optimization may produce better results, but as fail-over it is not sufficient."', 'r'], 'chapter 6 summary: emphasis');
        // The write-up is credited: title, author, versions, what it measured.
        const credit = (await page.locator('p.credit').innerText()).replace(/\s+/g, ' ');
        assert.equal(await page.locator('p.credit cite').innerText(), 'Anycast');
        for (const fact of ['by ljm', '1 (February 2016), based on Debian', '2 (April 2018), which introduced Vagrant', '3 (February 2020)', 'xenial', 'vboxnet', '1.036 s', 'about four minutes to fail over']) {
          assert.ok(credit.includes(fact), `index.html credit: expected ${JSON.stringify(fact)} in ${JSON.stringify(credit)}`);
        }
      }
      if (file === '02-dns.html') {
        // The side-by-side hexdumps keep each line whole (the ASCII column on its line, in view): no wrapping.
        const blocks = await page.locator('.jp-RenderedHTMLCommon pre', { hasText: '0000' }).evaluateAll((pres) =>
          pres.map((pre) => {
            const style = getComputedStyle(pre);
            const lines = (pre.textContent ?? '').replace(/\n$/, '').split('\n').length;
            const height = pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
            return { whiteSpace: style.whiteSpace, lines, shown: Math.round(height / parseFloat(style.lineHeight)), fits: pre.scrollWidth <= pre.clientWidth };
          }),
        );
        assert.ok(blocks.length >= 2, `02-dns.html: expected the two hexdumps side by side, found ${blocks.length}`);
        for (const b of blocks) assert.ok(b.whiteSpace === 'pre' && b.shown === b.lines && b.fits, `02-dns.html: a hexdump wraps or is cut off: ${JSON.stringify(b)}`);
      }

      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
      if (i <= 1) {
        await page.emulateMedia({ colorScheme: 'dark' });
        await page.screenshot({ path: join(screenshotDir, `${name}-dark.png`), fullPage: true });
        await page.emulateMedia({ colorScheme: 'light' });
      }
      assert.deepEqual(problems, [], `${file}: console or page errors`);

      if (i + 1 < pages.length) {
        await Promise.all([page.waitForURL(url(pages[i + 1]!)), page.locator('nav.site-header a.nav-next').click()]);
      }
    }
    // Back to the contents from the last chapter, and "previous" from there.
    await Promise.all([page.waitForURL(url('index.html')), page.locator('nav.site-footer a.nav-index').click()]);
    if (pages.length > 2) {
      await page.goto(url(pages[2]!));
      await Promise.all([page.waitForURL(url(pages[1]!)), page.locator('nav.site-header a.nav-prev').click()]);
    }
    assert.deepEqual(problems, [], 'console or page errors');
    assert.deepEqual(blocked, [], 'the site tried to load something from the network');
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
});
