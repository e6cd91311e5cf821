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
  const run = spawnSync(join(root, 'node_modules', '.bin', 'ts-node'), [join(root, 'scripts', 'tutorial.ts')], { cwd: root, encoding: 'utf8', timeout: 360_000 });
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

/**
 * A headless Chromium that works offline: anything that is not a local file (or a page's own data:
 * and blob: URLs, the try-it panels' worker) is refused and listed in `blocked`.
 */
async function offlineChromium(tmp: string): Promise<{ context: BrowserContext; blocked: string[] }> {
  const context = await launchChromium(tmp);
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  return { context, blocked };
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

test('the built tutorial renders in headless Chromium: no errors, plots with content, working navigation', { timeout: 480_000 }, async () => {
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
    // The pages must work offline: anything that is not a local file is refused and reported.
    const offline = await offlineChromium(tmp);
    context = offline.context;
    const blocked = offline.blocked;
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

/** Screenshots of try-it panels (`build/screenshots/try-it-<id>-<scheme>-<width>.png`) at a desktop's and a phone's width, light and dark; then back to light at 1200 px. */
async function screenshotPanels(page: Page, ids: readonly string[]): Promise<void> {
  // The pointer off the figures: a tip where the last click left it would cover what the shot is of.
  await page.mouse.move(0, 0);
  for (const [width, height] of [[1280, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const id of ids) await page.locator(`#try-${id}`).screenshot({ path: join(screenshotDir, `try-it-${id}-${scheme}-${width}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1200, height: 900 });
}

/** The texts of the figures shown under `selector` that reach past their SVG's edges, where the SVG cuts them off. */
async function textsOutsideTheirFigure(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(`${selector} svg`, (svgs) =>
    svgs
      .filter((svg) => svg.parentElement?.closest('svg') === null && svg.checkVisibility())
      .flatMap((svg) => {
        const frame = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text'))
          .filter((t) => {
            const box = t.getBoundingClientRect();
            return box.width > 0 && (box.left < frame.left - 0.5 || box.right > frame.right + 0.5);
          })
          .map((t) => `${t.textContent ?? ''} (${Math.round(t.getBoundingClientRect().left - frame.left)} px from the left edge)`);
      }),
  );
}

/** A try-it panel's run: fill `settings` into its controls, press Run, wait until it is done; its output's text and SVG. */
async function runPanel(page: Page, id: string, settings: Record<string, string>): Promise<{ text: string; svgs: number; svgText: string }> {
  const panel = page.locator(`#try-${id}`);
  const runsBefore = Number((await panel.getAttribute('data-runs')) ?? '0');
  for (const [name, value] of Object.entries(settings)) {
    const control = panel.locator(`[name="${name}"]`).first();
    if ((await control.evaluate((e) => e.tagName)) === 'SELECT') await control.selectOption(value);
    else await control.fill(value);
  }
  await panel.locator('button.try-it-run').first().click();
  await page.waitForFunction(({ id, n }) => Number(document.querySelector(`#try-${id}`)?.getAttribute('data-runs') ?? '0') > n, { id, n: runsBefore }, { timeout: 120_000 });
  const state = await panel.getAttribute('data-state');
  const output = panel.locator('.try-it-output').first();
  assert.equal(state, 'done', `${id}: the run ended ${state}: ${await output.innerText()}`);
  return { text: await output.innerText(), svgs: await output.locator('svg').count(), svgText: await output.locator('svg').evaluateAll((svgs) => svgs.map((s) => s.outerHTML).join('')) };
}

test('the live pages: try-it panels on chapters 4, 6, 7, 1 and 2 redraw with new results, offline from file://; notebooks, pcap, contents, folding, budgets', { timeout: 400_000 }, async () => {
  const info = freshSite() as BuildInfo & { bundleBytes?: number; budgets?: { interactiveMs: number; distribution100Ms: number; panel100Ms: number } | null };
  // The budgets the build measured (scripts/measure-pages.js): the bundle ≤ 1 MB minified, chapter 4 interactive ≤ 2 s.
  assert.ok(info.bundleBytes !== undefined && info.bundleBytes > 0 && info.bundleBytes <= 1_000_000, `bundle: ${info.bundleBytes} bytes`);
  assert.ok(info.budgets, 'build-info.json has no budgets: was Chromium missing when the site was built?');
  assert.ok(info.budgets.interactiveMs > 0 && info.budgets.interactiveMs <= 2000, `chapter 4 interactive after ${info.budgets.interactiveMs} ms`);
  console.log(`# budgets as built: ${JSON.stringify(info.budgets)}, bundle ${info.bundleBytes} bytes`);
  mkdirSync(screenshotDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'anycast-lab-live-'));
  let context: BrowserContext | null = null;
  try {
    // The pages must work offline: anything that is not a local file is refused and reported.
    const offline = await offlineChromium(tmp);
    context = offline.context;
    const blocked = offline.blocked;
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const problems = watch(page);
    const url = (file: string) => pathToFileURL(join(siteDir, file)).href;
    const open = async (file: string) => {
      await page.goto(url(file), { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { anycastLabPage?: { ready: boolean } }).anycastLabPage?.ready === true);
    };

    // Every chapter links its notebook, copied into the site, and says how to open it.
    for (const c of info.chapters) {
      const html = readFileSync(join(siteDir, c.page), 'utf8');
      const nb = c.notebook.replace(/^notebooks\//, '');
      assert.ok(html.includes(`href="notebooks/${nb}" download`), `${c.page}: no link to its notebook`);
      assert.ok(html.includes('npm run lab'), `${c.page}: does not say how to open the notebook`);
      assert.deepEqual(JSON.parse(readFileSync(join(siteDir, 'notebooks', nb), 'utf8')), JSON.parse(readFileSync(join(root, c.notebook), 'utf8')), `${nb} in the site is not the notebook`);
    }
    // Chapter 2's pcap: a pcap file (magic a1b2c3d4, little-endian as written) with the chapter's DNS packets in it.
    const pcap = readFileSync(join(siteDir, '02-dns.pcap'));
    assert.equal(pcap.readUInt32LE(0), 0xa1b2c3d4, '02-dns.pcap is not a pcap file');
    assert.ok(pcap.length > 24 + 16 * 8, `02-dns.pcap has ${pcap.length} bytes: expected the four lookups' packets`);
    assert.ok(readFileSync(join(siteDir, '02-dns.html'), 'utf8').includes('href="02-dns.pcap" download'), 'chapter 2 does not offer its pcap');

    // Chapter 2: the capture on another seed: the random fields (DNS ids, ports, times) change, the packets do not.
    await open('02-dns.html');
    const seed1 = await runPanel(page, 'ch2', {});
    const seed2 = await runPanel(page, 'ch2', { seed: '2' });
    const infos = (t: string) => t.split('\n').filter((l) => /\tDNS\t/.test(l)).map((l) => l.split('\t').slice(2).join('\t'));
    assert.ok(infos(seed1.text).length >= 8, `chapter 2 panel: ${seed1.text.slice(0, 300)}`);
    assert.deepEqual(infos(seed2.text), infos(seed1.text), 'chapter 2: another seed changed the packets themselves');
    assert.notEqual(seed2.text, seed1.text, 'chapter 2: another seed changed nothing');
    assert.match((await page.locator('#try-ch2 a.download-pcap').getAttribute('href')) ?? '', /^blob:/, 'chapter 2: the capture is offered as a file made in the page');

    // Chapter 4: a halt with the chapter's settings, then ripd stopped instead: the figures change.
    await open('04-anycast.html');
    const ch4Halt = await runPanel(page, 'ch4', { runs: '8' });
    assert.ok(ch4Halt.svgs >= 2, `chapter 4 panel drew ${ch4Halt.svgs} figures`);
    assert.match(ch4Halt.text, /xenial1:halt@2m5s/);
    // The redrawn figures are the elements Plot drew (lib/plot/render.ts drawLive), so its tips answer
    // the pointer: over a tick of the outage distribution, the tip names that tick's run as its
    // title says it (lib/plot/failover.ts outageDistributionFigure: title "<profile>: outage <s> s", tip "<profile>: <s> s").
    const tick = await page.$$eval('#try-ch4 .try-it-output figure', (figs) => {
      const fig = figs.find((f) => f.checkVisibility() && /^Outage after/.test(f.querySelector('figcaption')?.textContent ?? ''));
      const line = fig?.querySelector('svg g[aria-label="tick"] line');
      if (line === null || line === undefined) return null;
      line.scrollIntoView({ block: 'center' });
      const box = line.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2, title: line.querySelector('title')?.textContent ?? '' };
    });
    assert.ok(tick !== null && /: outage [\d.]+ s$/.test(tick.title), `chapter 4 panel: no tick with a title in its outage figure (${JSON.stringify(tick)})`);
    await page.mouse.move(tick.x, tick.y);
    const tipText = async () => (await page.locator('#try-ch4 .try-it-output g[aria-label="tip"]').evaluateAll((gs) => gs.map((g) => (g.textContent ?? '').replace(/\u200b/g, '')))).filter((t) => t !== '');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#try-ch4 .try-it-output g[aria-label="tip"]')).some((g) => (g.textContent ?? '').trim() !== ''), null, { timeout: 5_000 }).catch(() => undefined);
    assert.deepEqual(await tipText(), [tick.title.replace(': outage ', ': ')], 'chapter 4 panel: hovering a tick of the redrawn figure shows no tip, or another');
    const ch4Ripd = await runPanel(page, 'ch4', { fail: 'xenial1:ripd-stop', profile: 'frr' });
    assert.match(ch4Ripd.text, /xenial1:ripd-stop@2m5s, every router frr/);
    assert.notEqual(ch4Ripd.svgText, ch4Halt.svgText, 'chapter 4: the figures did not change with the failure');
    // The settings are in the URL: the link opens the page with the what-if run again, to the same figures.
    const shared = page.url();
    assert.match(shared, /#.*ch4\.fail=xenial1%3Aripd-stop/);
    await screenshotPanels(page, ['ch4']);
    await page.goto('about:blank');
    await page.goto(shared, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#try-ch4')?.getAttribute('data-state') === 'done', null, { timeout: 120_000 });
    assert.equal(await page.locator('#try-ch4 input[name="fail"]').inputValue(), 'xenial1:ripd-stop');
    assert.equal(await page.locator('#try-ch4 .try-it-output svg').evaluateAll((svgs) => svgs.map((s) => s.outerHTML).join('')).then((t) => t.replace(/plot-[0-9a-f]+/g, '')), ch4Ripd.svgText.replace(/plot-[0-9a-f]+/g, ''), 'the shared link drew other figures');
    // Code folds away, and comes back.
    const code = page.locator('.jp-CodeCell .jp-Cell-inputWrapper').first();
    assert.ok(await code.isVisible());
    await page.locator('button.fold-code').click();
    assert.ok(!(await code.isVisible()), 'Hide code left the code visible');
    await page.locator('button.fold-code').click();
    assert.ok(await code.isVisible(), 'Show code did not bring it back');

    // Chapter 6: the inline experiment with other timers, and with a health check against a stopped named.
    await open('06-what-if.html');
    // A long chapter has its contents at the top, one entry per section, each leading to its heading.
    const toc = await page.locator('nav.page-toc li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    assert.ok(toc.length >= 4, `chapter 6: contents ${JSON.stringify(toc)}`);
    for (const href of toc) assert.equal(await page.locator(`h2[id="${decodeURIComponent(href.slice(1))}"]`).count(), 1, `chapter 6 contents: ${href} leads nowhere`);
    const ch6a = await runPanel(page, 'ch6', { runs: '3', timers: 'default; 5 15 10' });
    assert.match(ch6a.text, /5 15 10/);
    const ch6b = await runPanel(page, 'ch6', { timers: '10 60 40', fail: 'xenial1:named-stop', healthCheck: '2s' });
    assert.match(ch6b.text, /10 60 40/);
    assert.doesNotMatch(ch6b.text, /5 15 10/);
    assert.notEqual(ch6b.svgText, ch6a.svgText, 'chapter 6: the figure did not change with the timers');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('#try-ch6').screenshot({ path: join(screenshotDir, `try-it-ch6-${scheme}-1280.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    const resolvers = await runPanel(page, 'ch6-resolvers', { resolvOptions: 'timeout:1 attempts:1' });
    assert.match(resolvers.text, /timeout:1 attempts:1/);

    // Chapter 7: from a link to the section "Change this and run again", the what-if with fewer runs,
    // then a drain with other timers beside the saved real drains: the figure changes, and the
    // address keeps the section with the settings.
    const ch7Section = 'Change-this-and-run-again';
    await page.goto(`${url('07-real-vs-sim.html')}#${ch7Section}`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { anycastLabPage?: { ready: boolean } }).anycastLabPage?.ready === true);
    // The withdrawal's ladder with the chapter's settings ends where the chapter's own figure says
    // (its caption, drawn by the notebook in Node), and moves with other timers and another seed.
    const notebookLadder = await page.locator('figcaption', { hasText: 'withdraws 10.128.224.2 at 125 s' }).first().innerText();
    const notebookFar = /first reply with TTL 60 at (\d+\.\d) s/.exec(notebookLadder)?.[1];
    assert.ok(notebookFar !== undefined, `chapter 7's ladder caption: ${notebookLadder}`);
    const ladder0 = await runPanel(page, 'ch7-withdrawal', {});
    const farOf = () => page.locator('#try-ch7-withdrawal .try-it-output').getAttribute('data-first-far-reply');
    assert.equal(await farOf(), notebookFar, 'the page\'s withdrawal is not the chapter\'s');
    assert.ok(ladder0.svgs >= 1, 'the withdrawal panel drew no ladder');
    const ladder1 = await runPanel(page, 'ch7-withdrawal', { timers: '5 15 10', seed: '2' });
    const far1 = Number(await farOf());
    assert.ok(far1 > 125 && far1 < 125 + 60 && String(far1.toFixed(1)) !== notebookFar, `withdrawal with 5 15 10: first far reply at ${far1}`);
    assert.match(ladder1.text, /FRR timers basic 5 15 10, seed 2/);
    assert.notEqual(ladder1.svgText, ladder0.svgText, 'chapter 7: the ladder did not change with the timers');
    const ch7Halt = await runPanel(page, 'ch7', { schedules: '4', instants: '2' });
    assert.match(ch7Halt.text, /8 simulated failure instants with 5 15 10/);
    assert.match(ch7Halt.text, /failover-ping-halt\.json/, 'chapter 7: the halt is not set beside its real runs');
    const ch7Drain = await runPanel(page, 'ch7', { fail: 'xenial1:drain=10s', timers: '10 30 20' });
    assert.match(ch7Drain.text, /after xenial1:drain=10s .*instants with 10 30 20/);
    // The chapter's drains, both timer settings, from data/real/anycast/ (the chapter's DRAINS).
    for (const f of ['failover-ping-drain-frr-default.json', 'failover-ping-drain-frr-default-seed2.json', 'failover-ping-drain-5-15-10.json']) assert.ok(ch7Drain.text.includes(f), `chapter 7: no row for the real drains of ${f}`);
    assert.doesNotMatch(ch7Drain.text, /failover-ping-halt\.json/);
    assert.notEqual(ch7Drain.svgText, ch7Halt.svgText, 'chapter 7: the figure did not change with the failure and timers');
    // Its row labels ("10 30 20, simulated") whole inside the figure, wide at 1280 px and in the narrow drawing at 390 px
    // (at 6 px a character, lib/plot/failover.ts cut the first one off at the left edge).
    for (const [width, drawing] of [[1280, 'wide'], [390, 'narrow']] as const) {
      await page.setViewportSize({ width, height: 900 });
      const shown = await page.$$eval('#try-ch7 .try-it-output .al-fig', (figs) => figs.map((f) => (f.querySelector('.al-fig-wide svg')?.checkVisibility() ? 'wide' : f.querySelector('.al-fig-narrow svg')?.checkVisibility() ? 'narrow' : 'none')));
      assert.deepEqual(shown, [drawing], `chapter 7 panel at ${width} px: drawings shown ${JSON.stringify(shown)}`);
      assert.deepEqual(await textsOutsideTheirFigure(page, '#try-ch7 .try-it-output'), [], `chapter 7 panel at ${width} px: texts cut off at the figure's edge`);
    }
    await page.setViewportSize({ width: 1200, height: 900 });
    // Timers FRR refuses (ripd/rip_cli.c: each 5 s or more): an error in the panel in place of its figures, naming the control.
    const ch7Panel = page.locator('#try-ch7');
    const runsBefore = Number(await ch7Panel.getAttribute('data-runs'));
    await ch7Panel.locator('input[name="timers"]').fill('3 9 6');
    await ch7Panel.locator('button.try-it-run').click();
    await page.waitForFunction((n) => Number(document.querySelector('#try-ch7')?.getAttribute('data-runs') ?? '0') > n, runsBefore);
    assert.equal(await ch7Panel.getAttribute('data-state'), 'error');
    assert.match(await ch7Panel.locator('.try-it-error').innerText(), /^timers: expected "timers basic <update> <timeout> <garbage>".*got "3 9 6"/);
    await ch7Panel.locator('input[name="timers"]').fill('10 30 20');
    await runPanel(page, 'ch7', {});
    const ch7Shared = page.url();
    assert.ok(ch7Shared.includes(`#${ch7Section}&`), `Run lost the section: ${ch7Shared}`);
    assert.match(ch7Shared, /&ch7\.fail=xenial1%3Adrain%3D10s&ch7\.timers=10\+30\+20&/);
    // Following the contents to another section keeps the settings after the new anchor.
    await page.locator('nav.page-toc a[href="#Cold-start"]').click();
    await page.waitForFunction(() => location.hash.startsWith('#Cold-start&'));
    assert.ok(page.url().endsWith(ch7Shared.slice(ch7Shared.indexOf('&'))), `the section link lost the settings: ${page.url()}`);
    await screenshotPanels(page, ['ch7', 'ch7-withdrawal']);
    // The shared link opens at the section, with the settings in the controls and the drain run again to the same figure.
    await page.goto('about:blank');
    await page.goto(ch7Shared, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#try-ch7')?.getAttribute('data-state') === 'done', null, { timeout: 120_000 });
    assert.equal(await page.locator('#try-ch7 select[name="fail"]').inputValue(), 'xenial1:drain=10s');
    assert.equal(await page.locator('#try-ch7 input[name="timers"]').inputValue(), '10 30 20');
    const redrawn = await page.locator('#try-ch7 .try-it-output svg').evaluateAll((svgs) => svgs.map((s) => s.outerHTML).join(''));
    assert.equal(redrawn.replace(/plot-[0-9a-f]+/g, ''), ch7Drain.svgText.replace(/plot-[0-9a-f]+/g, ''), 'the shared link drew other figures');
    const headingTop = await page.locator(`h2[id="${ch7Section}"]`).evaluate((h) => h.getBoundingClientRect().top);
    assert.ok(headingTop >= -2 && headingTop < 120, `the shared link did not open at its section: the heading is at ${headingTop} px`);
    assert.equal(page.url(), ch7Shared, 'opening the link changed it');

    // Chapter 1: the cable towards r3 instead; the ping after r3 talked to xenial3; a config edited, checked and run.
    await open('01-network.html');
    const cut0 = await runPanel(page, 'ch1-cut', {});
    const cut1 = await runPanel(page, 'ch1-cut', { iface: 'r1:Ethernet0/1', down: '90s' });
    assert.match(cut1.text, /r1:Ethernet0\/1 is out \(90–150 s\)/);
    assert.notEqual(cut1.svgText, cut0.svgText, 'chapter 1: the figure did not change with the cable');
    const ping = await runPanel(page, 'ch1-ping', { failure: 'r3:halt@70s', at: '150s' });
    assert.doesNotMatch(ping.text, /Destination Host Unreachable/, 'with a fresh ARP entry the pings vanish (chapter 1): no unreachable');
    const editor = page.locator('#try-ch1-config');
    const text = editor.locator('textarea.config-text');
    const original = await text.inputValue();
    // A mistyped mask: check names r1.cfg and the line, and marks it in the gutter.
    const broken = original.replace('ip address 10.128.1.1 255.255.255.0', 'ip address 10.128.1.1 255.255.0.255');
    assert.notEqual(broken, original, 'r1.cfg no longer has the line this test edits');
    const line = broken.split('\n').findIndex((l) => l.includes('255.255.0.255')) + 1;
    await text.fill(broken);
    await editor.locator('button.try-it-check').click();
    const finding = editor.locator('.config-findings li').first();
    assert.match(await finding.innerText(), new RegExp(`^anycast/r1\\.cfg:${line}\\b`));
    assert.equal(await editor.locator(`.config-gutter .gutter-error`).innerText().then((t) => t.trim()), String(line));
    // Fixed, and r1's `network` line taken out (r1 then runs no RIP, IOS `router rip` needs a network to
    // send or listen on): it checks clean, runs, and r1's table holds only its two connected subnets.
    const r1Table = (text: string) => text.slice(text.indexOf('r1#show ip route'), text.indexOf('r2#show ip route'));
    await text.fill(original);
    const coldBefore = await runPanel(page, 'ch1-config-run', {});
    assert.match(r1Table(coldBefore.text), /^R\s+10\.128\./m, 'the lab as written: r1 learns routes by RIP');
    await text.fill(original.replace(/^network 10\.128\.0\.0$/m, ''));
    await editor.locator('button.try-it-check').click();
    assert.equal(await editor.locator('.finding-error').count(), 0, await editor.locator('.config-findings').innerText());
    const cold = await runPanel(page, 'ch1-config-run', {});
    assert.ok(cold.svgs >= 1, 'the edited lab\'s cold start drew no figure');
    assert.doesNotMatch(r1Table(cold.text), /^R\s/m, 'r1 without a RIP network still learned routes by RIP');
    assert.equal(r1Table(cold.text).match(/^C\s/gm)?.length, 2, r1Table(cold.text));
    await editor.screenshot({ path: join(screenshotDir, 'try-it-ch1-config-light-1280.png') });

    assert.deepEqual(problems, [], 'console or page errors');
    assert.deepEqual(blocked, [], 'the live pages asked the network');
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
});
