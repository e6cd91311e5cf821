// `npm run tutorial`: executes every notebooks/*.ipynb in order with the tslab kernel and writes the
// executed chapters as HTML to build/tutorial/, made into a small site: nbconvert's pages with a
// previous / contents / next bar and our stylesheet (style.css, light and prefers-color-scheme: dark),
// and an index.html with the lab's story, the topology figure and the chapters with their execution
// times. build-info.json records the timings and a hash of the inputs (lib/site.test.ts rebuilds when
// it is stale). The notebooks in notebooks/ are only read: their outputs go to build/ and nowhere else.
//
// `npm run tutorial -- 03 07` executes and exports only the chapters whose file names contain one of
// the words, into the existing build/tutorial/ (a preview: the index, build-info.json and the page
// budgets are left as they were, and prev/next link the chapters built).
//
// Exit status: 0 when every cell ran; 1 naming the notebook and cell when one failed (the other
// chapters still run, and the failed chapter's HTML shows where it stopped); 2 when set-up is missing.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

import { addLiveParts, writeChapter2Pcap } from './tutorial-panels';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tutorialInputsHash } = require('./tutorial-inputs.js') as { tutorialInputsHash(): string };

interface ChapterResult {
  notebook: string;
  title: string;
  seconds: number;
  output: string;
  error: null | { cell: number; source: string; message: string };
}

const root = resolve(__dirname, '..');
const python = join(root, '.venv', 'bin', 'python');
const outDir = join(root, 'build', 'tutorial');
const summaryFile = join(root, 'build', 'tutorial-summary.json');

function die(message: string, status: number): never {
  console.error(`tutorial: ${message}`);
  process.exit(status);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function printTable(results: ChapterResult[], totalSeconds: number): void {
  const rows = results.map((r) => [
    relative(join(root, 'notebooks'), resolve(root, r.notebook)),
    r.title,
    r.seconds.toFixed(1),
    r.error === null ? 'ok' : `FAILED (cell ${r.error.cell})`,
  ]);
  rows.push(['total', '', totalSeconds.toFixed(1), '']);
  const header = ['chapter', 'title', 'seconds', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((cell, i) => pad(cell, widths[i]!, i === 2)).join('  ').trimEnd();
  console.log();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row, i) => {
    if (i === rows.length - 1) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    console.log(line(row));
  });
}

interface Page {
  file: string; // e.g. 01-network.html
  title: string;
}

const STORY = `
  <p>Two small data centres are joined by a chain of four Cisco 3640 routers that learn their routes
  from each other with RIP version 2. Each data centre has a DNS server running BIND (xenial1 and
  xenial2) and a client that asks it questions (xenial3 and xenial4): Ubuntu VMs on VirtualBox
  host-only networks, all addressed inside 10.128.0.0/16.</p>
  <p>With two servers in every <code>resolv.conf</code>, a client that loses its first server has to
  notice before it asks the second, and noticing costs time. The lab's answer is <em>anycast</em>: both
  servers also carry the address 10.128.224.2 on their loopback and announce it with RIP (Quagga's
  ripd), so the clients need only one name server and the routers send every query to the nearest
  server that is still announcing. When a server dies, its routes have to time out before the other one
  takes over: in the original lab the clients saw about four minutes of silence.</p>
  <p>This tutorial rebuilds that lab in a packet-level simulator written in TypeScript, from the
  devices' own configuration files, and runs each experiment the way it was run by hand: pings,
  traceroutes, lookups, captures and failures, on a deterministic clock. Every table and plot on these
  pages was produced by executing the chapter's code while the site was built.</p>
  <p>The write-up ends by calling RIP anycast too slow to be a fail-over, adding that some optimisation
  might do better. The later chapters ask which: experiments kept as files sweep timers, health checks,
  graceful withdrawal, resolver options and a third site over hundreds of runs each, and the same lab
  files bring up a real lab of FRR and BIND 9 in Linux network namespaces, so that the simulator's
  figures can be set beside real daemons'.</p>
`;

/** The write-up the workbook reproduces: what the reader should know of it and its author. */
const CREDIT = `
  <h2>Credit</h2>
  <p class="credit">The lab, its configuration files and every measurement these chapters hold the
  simulator against come from the write-up <cite>Anycast</cite> by ljm, in three versions: 1 (February
  2016), based on Debian; 2 (April 2018), which introduced Vagrant; 3 (February 2020), with every
  machine on Ubuntu xenial and every network a VirtualBox host-only network (vboxnet). It measured the
  cost of the unicast resolver's failover (<code>time nslookup r1</code> took 0.103 s, and 1.036 s
  once the first name server was down: a full second longer for every lookup) and then anycast over
  RIP, which took about four minutes to fail over to the other server, and concluded that RIP anycast
  is not sufficient as a fail-over.</p>
`;

/**
 * Inline markdown of a first paragraph: code spans, **strong**, *em* and links (text only). Code spans
 * are cut out first, so that nothing inside one (`experiments/*.yml`) is read as emphasis; their text
 * is only escaped.
 */
function inlineMarkdown(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => {
      if (i % 2 === 1) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\*([^*]+)\*/g, '<em>$1</em>')
        .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
    })
    .join('');
}

/** The first paragraph of a notebook's first markdown cell (after its heading), as HTML. */
function firstParagraph(notebook: string): string {
  const nb = JSON.parse(readFileSync(resolve(root, notebook), 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('#'));
    if (paragraphs.length > 0) return inlineMarkdown(paragraphs[0]!.replace(/\s*\n\s*/g, ' '));
  }
  return '';
}

function navHtml(where: 'header' | 'footer', prev: Page | null, next: Page | null, onIndex: boolean): string {
  const link = (page: Page | null, rel: 'prev' | 'next', arrow: string): string => {
    const cls = rel === 'prev' ? 'nav-prev' : 'nav-next';
    if (page === null) return `<span class="${cls} nav-disabled">${rel === 'prev' ? `${arrow} previous` : `next ${arrow}`}</span>`;
    const label = escapeHtml(page.title);
    return `<a class="${cls}" rel="${rel}" href="${escapeHtml(page.file)}">${rel === 'prev' ? `${arrow} ${label}` : `${label} ${arrow}`}</a>`;
  };
  const index = onIndex ? '<span class="nav-index nav-disabled">contents</span>' : '<a class="nav-index" rel="index" href="index.html">contents</a>';
  const cls = where === 'header' ? 'site-nav site-header' : 'site-nav site-footer';
  return `<nav class="${cls}" aria-label="chapters"><a class="site-name" href="index.html">anycast-lab</a>${link(prev, 'prev', '←')}${index}${link(next, 'next', '→')}</nav>`;
}

/** The site's stylesheet: ours, then JupyterLab's dark theme variables for prefers-color-scheme: dark. */
function writeStylesheet(): void {
  let css = readFileSync(join(root, 'scripts', 'tutorial.css'), 'utf8');
  const dark = join(root, '.venv', 'share', 'jupyter', 'nbconvert', 'templates', 'lab', 'static', 'theme-dark.css');
  if (existsSync(dark)) {
    css += '\n/* JupyterLab dark theme variables (from nbconvert\'s lab template), for readers who prefer dark. */\n';
    css += `@media (prefers-color-scheme: dark) {\n${readFileSync(dark, 'utf8')}\n}\n`;
  } else {
    console.warn(`tutorial: ${relative(root, dark)} not found: the pages will have no dark theme`);
  }
  writeFileSync(join(outDir, 'style.css'), css);
}

/**
 * nbconvert's page, made part of the site: no scripts from CDNs (the pages have no math or mermaid
 * diagrams and must work offline), our stylesheet after nbconvert's, a header and footer nav.
 */
function postProcessChapter(page: Page, notebook: string, prev: Page | null, next: Page | null): void {
  const path = join(outDir, page.file);
  let html = readFileSync(path, 'utf8');
  html = html
    .replace(/<script[^>]*\bsrc="https?:\/\/[^"]*"[^>]*>\s*<\/script>/g, '')
    .replace(/<script type="text\/x-mathjax-config">[\s\S]*?<\/script>/g, '')
    .replace(/<script type="module">(?:(?!<\/script>)[\s\S])*mermaid[\s\S]*?<\/script>/g, '')
    .replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(page.title)} · anycast-lab</title>`)
    .replace('</head>', '<meta name="color-scheme" content="light dark">\n<link rel="stylesheet" href="style.css">\n</head>')
    .replace(/(<body[^>]*>)/, `$1\n${navHtml('header', prev, next, false)}`)
    .replace('</body>', `${navHtml('footer', prev, next, false)}\n</body>`);
  const external = html.match(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?\/\/[^"]*"/);
  if (external) die(`${page.file} still loads ${external[0]}: the pages must work offline (see postProcessChapter)`, 1);
  const downloads = page.file === '02-dns.html' ? [{ href: '02-dns.pcap', label: "02-dns.pcap (the chapter's capture on vboxnet1, for Wireshark)" }] : [];
  try {
    html = addLiveParts(page.file, notebook, html, downloads);
  } catch (e) {
    die((e as Error).message, 1);
  }
  writeFileSync(path, html);
}

function topologyHtml(): string {
  // The built library, as the notebooks use it.
  const lib = require(join(root, 'dist')) as {
    topologyFigure(spec: unknown, options?: { caption?: string }): string;
    loadLab(path: string): unknown;
    labPath(name: string): string;
  };
  return lib.topologyFigure(lib.loadLab(lib.labPath('anycast')), {
    caption: 'The lab: four routers (r1–r4) in a chain, the DNS servers xenial1 and xenial2 and the clients xenial3 and xenial4, each wire labelled with its subnet.',
  });
}

function writeIndex(results: ChapterResult[], pages: Page[], totalSeconds: number): void {
  const items = results
    .map((r, i) => {
      const page = pages[i]!;
      const status = r.error === null ? '' : ` <strong class="failed">failed at cell ${r.error.cell}</strong>`;
      return `  <li>
    <a class="toc-title" href="${escapeHtml(page.file)}">${escapeHtml(r.title)}</a>${status}
    <p class="toc-summary">${firstParagraph(r.notebook)}</p>
    <div class="toc-time">executed in ${r.seconds.toFixed(1)} s</div>
  </li>`;
    })
    .join('\n');
  const chapterSeconds = results.reduce((sum, r) => sum + r.seconds, 0);
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="color-scheme" content="light dark">
<title>anycast-lab: anycast DNS over RIP, simulated</title>
<link rel="stylesheet" href="style.css">
</head>
<body class="site-index">
${navHtml('header', null, pages[0] ?? null, true)}
<main>
<h1>anycast-lab</h1>
<p class="subtitle">Anycast DNS over RIP v2, simulated packet by packet: an executable workbook.</p>
${STORY}
<div class="site-figure">
${topologyHtml()}
</div>
<h2>Chapters</h2>
<ol class="toc">
${items}
</ol>
${CREDIT}<p class="site-meta">${results.length} chapters executed in ${chapterSeconds.toFixed(1)} s; executed and exported in
${totalSeconds.toFixed(1)} s in all by <code>npm run tutorial</code>, ${escapeHtml(new Date().toISOString().replace(/\.\d+Z$/, 'Z'))}, Node.js ${escapeHtml(process.version)}.</p>
</main>
${navHtml('footer', null, pages[0] ?? null, true)}
</body>
</html>
`;
  writeFileSync(join(outDir, 'index.html'), html);
}

const BUNDLE_BUDGET_BYTES = 1_000_000;
const INTERACTIVE_BUDGET_MS = 2000;
const DISTRIBUTION_TARGET_MS = 1000;

/** The bundle, the notebooks and chapter 2's pcap into the site; returns the bundle's size. */
function writeLiveFiles(notebooks: string[]): number {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.js'), '--out', outDir], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) die(`scripts/build-web.js failed: ${build.stderr}${build.stdout}`, 1);
  rmSync(join(outDir, 'meta.json'), { force: true }); // esbuild's analysis is for the developer, not the site
  mkdirSync(join(outDir, 'notebooks'), { recursive: true });
  for (const nb of notebooks) copyFileSync(resolve(root, nb), join(outDir, 'notebooks', basename(nb)));
  writeChapter2Pcap(root, join(outDir, '02-dns.pcap'));
  return readFileSync(join(outDir, 'anycast-lab.js')).length;
}

interface Budgets {
  interactiveMs: number;
  distribution100Ms: number;
  panel100Ms: number;
}

/**
 * The live pages' budgets, measured in headless Chromium from file:// (scripts/measure-pages.js, a
 * child process because playwright is asynchronous and this build is not): chapter 4 interactive,
 * and chapter 4's 100-run distribution on the page's thread and in its panel's worker.
 */
function measureBudgets(): Budgets | null {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'measure-pages.js'), outDir], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  if (run.status === 2) return null;
  if (run.status !== 0) die(`scripts/measure-pages.js failed: ${run.stderr}${run.stdout}`, 1);
  return JSON.parse(run.stdout) as Budgets;
}

function main(): void {
  if (!existsSync(python)) die(`${python} is missing: run \`npm run setup\` first`, 2);
  const notebookDir = join(root, 'notebooks');
  const notebooks = readdirSync(notebookDir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => join('notebooks', name));
  if (notebooks.length === 0) die('no notebooks found in notebooks/', 2);
  const only = process.argv.slice(2);
  if (only.length > 0) {
    notebooks.splice(0, notebooks.length, ...notebooks.filter((nb) => only.some((word) => basename(nb).includes(word))));
    if (notebooks.length === 0) die(`no notebook in notebooks/ has ${only.map((w) => `"${w}"`).join(' or ')} in its name`, 2);
  }

  if (only.length === 0) rmSync(outDir, { recursive: true, force: true }); // no stale chapters from renamed notebooks
  mkdirSync(outDir, { recursive: true });
  rmSync(summaryFile, { force: true });

  const started = process.hrtime.bigint();
  const run = spawnSync(
    python,
    [join(root, 'scripts', 'run_notebooks.py'), ...notebooks, '--to', 'html', '--out-dir', outDir, '--summary', summaryFile],
    { cwd: root, stdio: 'inherit' },
  );
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.error) die(`could not start ${python}: ${run.error.message}`, 2);
  if (run.status === 2 || !existsSync(summaryFile)) die(`notebooks were not run (exit status ${run.status ?? run.signal})`, 2);

  const results = JSON.parse(readFileSync(summaryFile, 'utf8')) as ChapterResult[];
  const pages: Page[] = results.map((r) => ({ file: `${basename(r.notebook).replace(/\.ipynb$/, '')}.html`, title: r.title }));
  pages.forEach((page, i) => {
    if (existsSync(join(outDir, page.file))) postProcessChapter(page, basename(results[i]!.notebook), pages[i - 1] ?? null, pages[i + 1] ?? null);
  });
  const bundleBytes = writeLiveFiles(results.map((r) => r.notebook));
  writeStylesheet();
  if (only.length > 0) {
    printTable(results, totalSeconds);
    console.log(`\n${results.length} chapters executed and exported (${only.join(', ')}); index, build-info.json and page budgets not rebuilt`);
    const failedOnly = results.filter((r) => r.error !== null);
    if (failedOnly.length > 0) die(`${failedOnly.length} of ${results.length} notebooks failed: ${failedOnly.map((r) => r.notebook).join(', ')}`, 1);
    return;
  }
  const budgets = measureBudgets();
  writeIndex(results, pages, totalSeconds);
  const info = {
    inputsHash: tutorialInputsHash(),
    builtAt: new Date().toISOString(),
    totalSeconds: +totalSeconds.toFixed(3),
    chapters: results.map((r, i) => ({ notebook: r.notebook, page: pages[i]!.file, title: r.title, seconds: r.seconds, ok: r.error === null })),
    bundleBytes,
    budgets,
  };
  writeFileSync(join(outDir, 'build-info.json'), JSON.stringify(info, null, 1) + '\n');
  printTable(results, totalSeconds);
  const budget = 90;
  console.log(`\n${results.length} chapters executed and exported in ${totalSeconds.toFixed(1)} s (budget ${budget} s); site built in ${process.uptime().toFixed(1)} s`);
  if (totalSeconds > budget) console.warn(`tutorial: WARNING: over the ${budget} s budget`);
  console.log(`browser bundle: ${bundleBytes} bytes minified (budget ${BUNDLE_BUDGET_BYTES})${bundleBytes > BUNDLE_BUDGET_BYTES ? '  OVER BUDGET' : ''}`);
  if (budgets === null) console.warn('tutorial: no Chromium: page budgets not measured');
  else {
    console.log(`chapter 4 page interactive: ${budgets.interactiveMs.toFixed(0)} ms after navigation start (budget ${INTERACTIVE_BUDGET_MS} ms)${budgets.interactiveMs > INTERACTIVE_BUDGET_MS ? '  OVER BUDGET' : ''}`);
    console.log(`100-run failover distribution in Chromium (xenial1:halt at 2m, cisco-ios, seed 1): ${budgets.distribution100Ms.toFixed(0)} ms on the page's thread, ${budgets.panel100Ms.toFixed(0)} ms in the chapter 4 panel's worker (its single run included) (target ${DISTRIBUTION_TARGET_MS} ms)`);
  }
  console.log(`wrote ${relative(process.cwd(), join(outDir, 'index.html'))}`);

  const failed = results.filter((r) => r.error !== null);
  for (const r of failed) {
    const error = r.error!;
    console.error(`\n${r.notebook}: cell ${error.cell} failed`);
    console.error('--- cell source ---');
    console.error(error.source);
    console.error('--- error ---');
    console.error(error.message);
  }
  if (failed.length > 0) die(`${failed.length} of ${results.length} notebooks failed: ${failed.map((r) => r.notebook).join(', ')}`, 1);
  if (run.status !== 0) die(`notebook runner exited with status ${run.status ?? run.signal}`, 1);
}

main();
