// `npm run lab` as a reader uses it: scripts/lab.sh starts JupyterLab on 127.0.0.1 (a free port, a
// token), headless Chromium (Debian's /usr/bin/chromium via playwright-core) opens chapter 1, runs its
// first two code cells with Shift+Enter and sees their output: the topology figure (SVG) and the address
// plan table. JupyterLab serves a scratch copy of the notebook (nothing in notebooks/ can be saved
// over), in the dark theme (the tables must read there too); the screenshot goes to build/screenshots/.
// JupyterLab is stopped by its PID and waited for, pass or fail. The browser may talk to nothing but
// JupyterLab on 127.0.0.1. The file browser lists the chapter but not node_modules/ (the import link,
// which would show the whole project again), and the kernel still imports through that link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chromium, type BrowserContext } from 'playwright-core';

const root = resolve(__dirname, '..');
const screenshotDir = join(root, 'build', 'screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const NOTEBOOK = '01-network.ipynb';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** A pause that does not keep the test process alive on its own. */
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms).unref());

/** Polls JupyterLab's status API until it answers (bounded), or the process exits. */
async function waitUntilServing(base: string, token: string, lab: ChildProcess, log: () => string, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (lab.exitCode !== null || lab.signalCode !== null) assert.fail(`JupyterLab exited (${lab.exitCode ?? lab.signalCode}) before serving:\n${log()}`);
    try {
      const res = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  assert.fail(`JupyterLab did not answer on ${base} within ${limitMs / 1000} s:\n${log()}`);
}

/** Polls /api/sessions until the notebook's kernel exists and is idle (bounded). */
async function waitForIdleKernel(base: string, token: string, log: () => string, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/api/sessions`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2000) });
      const sessions = (await res.json()) as { path: string; kernel?: { name: string; execution_state?: string } }[];
      const session = sessions.find((s) => s.path.endsWith(NOTEBOOK));
      last = JSON.stringify(session?.kernel ?? null);
      if (session?.kernel?.execution_state === 'idle') return;
    } catch {
      // try again
    }
    await sleep(250);
  }
  assert.fail(`the kernel for ${NOTEBOOK} was not idle within ${limitMs / 1000} s (last seen: ${last}):\n${log()}`);
}

/** SIGTERM by PID, wait for the exit (bounded), then SIGKILL whatever is left of its process group. */
async function stop(lab: ChildProcess): Promise<void> {
  const exited = () => lab.exitCode !== null || lab.signalCode !== null;
  const pid = lab.pid;
  if (pid === undefined) return;
  if (!exited()) {
    const done = new Promise<void>((ok) => lab.once('exit', () => ok()));
    lab.kill('SIGTERM');
    await Promise.race([done, sleep(15_000)]);
    if (!exited()) {
      lab.kill('SIGKILL');
      await Promise.race([done, sleep(5_000)]);
    }
  }
  // Kernels JupyterLab started are in its process group (it was started detached, as a group leader).
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

async function launchChromium(tmp: string): Promise<BrowserContext> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { HOME: join(tmp, 'home'), XDG_CONFIG_HOME: join(tmp, 'config'), XDG_CACHE_HOME: join(tmp, 'cache'), XDG_DATA_HOME: join(tmp, 'data') });
  for (const d of ['home', 'config', 'cache', 'data']) mkdirSync(join(tmp, d), { recursive: true });
  return chromium.launchPersistentContext(join(tmp, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env, viewport: { width: 1280, height: 1000 }, timeout: 30_000 });
}

test('npm run lab: JupyterLab opens chapter 1 and runs its first cells with the tslab kernel', { timeout: 150_000 }, async () => {
  assert.ok(existsSync(join(root, '.venv', 'bin', 'jupyter')), '.venv/bin/jupyter is missing: run `npm run setup`');
  const tmp = mkdtempSync(join(tmpdir(), 'anycast-lab-jupyterlab-'));
  // A scratch copy of the chapter, importing the built library through the same kind of link as notebooks/.
  const nbDir = join(tmp, 'notebooks');
  mkdirSync(join(nbDir, 'node_modules'), { recursive: true });
  copyFileSync(join(root, 'notebooks', NOTEBOOK), join(nbDir, NOTEBOOK));
  symlinkSync(root, join(nbDir, 'node_modules', 'anycast-lab'));
  // JupyterLab user settings: dark theme, no autosave, no news.
  const settings = join(tmp, 'lab-settings');
  const setting = (plugin: string, value: object) => {
    const [pkg, name] = plugin.split(':') as [string, string];
    mkdirSync(join(settings, pkg), { recursive: true });
    writeFileSync(join(settings, pkg, `${name}.jupyterlab-settings`), JSON.stringify(value));
  };
  setting('@jupyterlab/apputils-extension:themes', { theme: 'JupyterLab Dark' });
  setting('@jupyterlab/docmanager-extension:plugin', { autosave: false });
  setting('@jupyterlab/apputils-extension:notification', { fetchNews: 'false', checkForUpdates: false });

  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const log = () => output.slice(-4000);
  const lab = spawn(
    'bash',
    [join(root, 'scripts', 'lab.sh'), '--no-browser', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0', `--IdentityProvider.token=${token}`,
      '--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
    {
      cwd: root,
      detached: true, // its own process group: kernels can be cleaned up with it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ANYCAST_LAB_NOTEBOOKS: nbDir, JUPYTERLAB_SETTINGS_DIR: settings, JUPYTERLAB_WORKSPACES_DIR: join(tmp, 'lab-workspaces'), BROWSER: 'true' },
    },
  );
  lab.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  lab.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let context: BrowserContext | null = null;
  const t0 = Date.now();
  const mark = (what: string) => console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  try {
    await waitUntilServing(base, token, lab, log, 60_000);
    mark('JupyterLab answers');
    context = await launchChromium(join(tmp, 'browser'));
    context.setDefaultTimeout(60_000);
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${base}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    await page.goto(`${base}/lab/tree/${NOTEBOOK}?token=${token}`, { waitUntil: 'domcontentloaded' });
    const cells = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell');
    await cells.first().waitFor({ state: 'visible' });
    mark('notebook shown');
    // The kernel must be up before Shift+Enter has something to run on: ask JupyterLab's REST API.
    await waitForIdleKernel(base, token, log, 60_000);
    mark('kernel idle');

    const expected = [
      { cell: 0, what: 'the topology figure (SVG)', locator: cells.nth(0).locator('.jp-OutputArea-output svg').first() },
      { cell: 1, what: 'the address plan table', locator: cells.nth(1).locator('.jp-OutputArea-output table td', { hasText: '10.128.1.1' }).first() },
    ];
    for (const { cell, what, locator } of expected) {
      // Select the cell in command mode (click its prompt), then Shift+Enter. Retried: a click that
      // lands while JupyterLab is still laying out the notebook can miss.
      let seen = false;
      for (let attempt = 1; attempt <= 3 && !seen; attempt++) {
        await cells.nth(cell).locator('.jp-InputPrompt').click();
        await page.keyboard.press('Escape');
        await page.keyboard.press('Shift+Enter');
        seen = await locator.waitFor({ state: 'visible', timeout: attempt === 1 ? 30_000 : 15_000 }).then(() => true, () => false);
      }
      mark(`cell ${cell + 1}: ${what} seen`);
      assert.ok(seen, `code cell ${cell + 1} of ${NOTEBOOK} showed no ${what}\n--- JupyterLab log ---\n${log()}`);
    }
    // The file browser (and the contents API behind it) lists the notebook, not node_modules/.
    const listing = page.locator('.jp-FileBrowser .jp-DirListing-content .jp-DirListing-itemText');
    if (!(await listing.first().isVisible())) await page.locator('.jp-SideBar [data-id="filebrowser"]').first().click();
    await listing.filter({ hasText: NOTEBOOK }).first().waitFor({ state: 'visible' });
    const listed = await listing.allInnerTexts();
    assert.ok(listed.includes(NOTEBOOK), `file browser lists ${JSON.stringify(listed)}`);
    assert.ok(!listed.some((name) => name.includes('node_modules')), `file browser lists node_modules: ${JSON.stringify(listed)}`);
    const contents = (await (await fetch(`${base}/api/contents/`, { headers: { Authorization: `token ${token}` } })).json()) as { content: { name: string }[] };
    assert.deepEqual(contents.content.map((c) => c.name).sort(), [NOTEBOOK], 'the contents API lists the notebook only');
    mark('file browser: no node_modules');
    const svgMarks = await cells.nth(0).locator('.jp-OutputArea-output svg [aria-label] *').count();
    assert.ok(svgMarks > 0, 'the topology figure has no marks');
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'jupyterlab-01-network.png') });
    assert.deepEqual(pageErrors, [], 'JupyterLab page errors');
    if (blocked.length > 0) console.log(`# refused ${blocked.length} requests to other hosts: ${[...new Set(blocked)].slice(0, 5).join(', ')}`);
  } finally {
    await context?.close().catch(() => undefined);
    await stop(lab);
    mark('JupyterLab stopped');
    rmSync(tmp, { recursive: true, force: true });
  }
});
