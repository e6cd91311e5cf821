// The live parts of the tutorial pages, placed by scripts/tutorial.ts into nbconvert's HTML without
// touching the notebooks: try-it panels where a chapter says "change this and run again" (found by
// the chapter's own words, so a reworded notebook fails the build instead of losing its panel), the
// notebook's download and how to open it, chapter 2's capture as a pcap, an in-page table of contents
// for long chapters, a button that folds the code away, and the browser bundle
// (scripts/build-web.js) that runs it all from file:// with nothing asked of the network.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One panel: where it goes (after the cell holding `after`, then `cellsAfter` more cells) and what it runs. */
export interface PanelPlacement {
  page: string;
  /** Words of the chapter the panel answers, as its text has them (any whitespace between words; no markup inside). */
  after: string;
  /** Cells to skip after the one holding `after` (1: after the code cell the words introduce). */
  cellsAfter?: number;
  id: string;
  kind: 'failover' | 'capture' | 'ping' | 'link-cut' | 'what-if' | 'resolvers' | 'real-vs-sim' | 'withdrawal' | 'config-editor' | 'simulation';
  title: string;
  lab: string;
  /** The chapter's own values, so Run with nothing changed repeats the chapter's experiment. */
  defaults: Record<string, string>;
  /** Saved real runs the panel draws beside its own (data/real/<lab>/, relative to the project). */
  realRecords?: readonly string[];
}

/** The panel table: the "change this and run again" of chapters 1, 2, 4, 6 and 7, with the chapter's values. */
export const PANELS: readonly PanelPlacement[] = [
  {
    page: '01-network.html',
    after: 'file as the lab loads it',
    cellsAfter: 1,
    id: 'ch1-config',
    kind: 'config-editor',
    title: "Try it: edit a node's configuration, check it and run it",
    lab: 'anycast',
    defaults: { file: 'r1.cfg', until: '60s', seed: '1' },
  },
  {
    page: '01-network.html',
    after: 'Try it: change the failure time',
    id: 'ch1-ping',
    kind: 'ping',
    title: 'Try it: when the next hop is gone',
    lab: 'anycast',
    defaults: { failure: 'r3:halt@1s', at: '60s', seed: '1' },
  },
  {
    page: '01-network.html',
    after: 'Change the times, or cut',
    cellsAfter: 1,
    id: 'ch1-cut',
    kind: 'link-cut',
    title: 'Try it: cut a cable',
    lab: 'anycast',
    defaults: { iface: 'r1:Ethernet0/0', down: '60s', up: '150s', until: '240s', router: 'r3', seed: '1' },
  },
  {
    page: '02-dns.html',
    after: 'Try changing the seed at the top',
    id: 'ch2',
    kind: 'capture',
    title: 'Try it: the capture on another seed',
    lab: 'anycast',
    defaults: { seed: '1' },
  },
  {
    page: '04-anycast.html',
    after: 'about 243 seconds',
    id: 'ch4-ladder',
    kind: 'simulation',
    title: 'Simulation mode: step through the failover',
    lab: 'anycast',
    // lib/web/simulation-mode.ts SimulationSettings: the chapter's halt of xenial1 at 125 s, seed 1.
    defaults: { failure: 'xenial1:halt@125s', seed: '1' },
  },
  {
    page: '04-anycast.html',
    after: 'Chapter 6 asks which settings',
    id: 'ch4',
    kind: 'failover',
    title: 'Try it: another failure, instant or profile',
    lab: 'anycast',
    defaults: { fail: 'xenial1:halt', at: '125s', profile: 'cisco-ios', timers: 'default', runs: '100', seed: '1' },
  },
  {
    page: '06-what-if.html',
    after: 'every lookup fails until something withdraws the route',
    id: 'ch6-resolvers',
    kind: 'resolvers',
    title: 'Try it: other resolv.conf options',
    lab: 'anycast',
    defaults: { fail: 'xenial1:halt', resolvOptions: '-; timeout:1; timeout:1 attempts:1', at: '2m', seed: '1' },
  },
  {
    page: '06-what-if.html',
    after: 'An experiment can also be written inline',
    cellsAfter: 1,
    id: 'ch6',
    kind: 'what-if',
    title: 'Try it: the inline experiment, in the page',
    lab: 'anycast',
    defaults: { fail: 'xenial1:halt', profile: 'frr', timers: 'default; 10 60 40; 5 15 10', healthCheck: 'off', at: '2m', runFor: '4m', runs: '10', seed: '1' },
  },
  {
    page: '07-real-vs-sim.html',
    after: 'The sequence of the paragraph above, simulated with',
    cellsAfter: 1,
    id: 'ch7-withdrawal',
    kind: 'withdrawal',
    title: 'Try it: the withdrawal with other timers, another instant or seed',
    lab: 'anycast',
    // The chapter's ladder: a drain at 125 s, FRR with the lab's own timers (FRR's defaults), seed 1, 60 s followed.
    defaults: { fail: 'xenial1:drain=10s', at: '125s', timers: 'default', runFor: '60s', seed: '1' },
  },
  {
    page: '07-real-vs-sim.html',
    after: 'Change the timers or the failure mode here to see',
    cellsAfter: 1,
    id: 'ch7',
    kind: 'real-vs-sim',
    title: 'Try it: other timers or another failure, beside the real runs',
    lab: 'anycast',
    // The chapter's last cell: MODE halt, timers 5 15 10, simRuns' 20 s settling, 40 s runs, 20 seeds × 5 instants.
    defaults: { fail: 'xenial1:halt', timers: '5 15 10', settle: '20s', runFor: '40s', schedules: '20', instants: '5' },
    // The records the chapter reads (its CASES and DRAINS).
    realRecords: ['failover-ping-halt.json', 'failover-ping-ripd-stop.json', 'failover-dns-named-stop.json', 'failover-ping-drain-frr-default.json', 'failover-ping-drain-frr-default-seed2.json', 'failover-ping-drain-5-15-10.json'].map((f) => `data/real/anycast/${f}`),
  },
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A phrase as it may appear in nbconvert's HTML: any whitespace between words, apostrophes as entities. */
function phrasePattern(phrase: string): RegExp {
  const words = phrase.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "(?:'|&#39;|&#x27;|’)"));
  return new RegExp(words.join('\\s+'));
}

const CELL_START = /<div\s[^>]*class="jp-Cell\b/g;

/** Inserts `html` before the cell after the one holding `after` (skipping `cellsAfter` more), or before </main>. */
export function insertAfterCell(page: string, source: string, after: string, cellsAfter: number, html: string): string {
  const found = phrasePattern(after).exec(source);
  if (found === null) throw new Error(`${page}: the words "${after}" a try-it panel follows are not in the page (scripts/tutorial-panels.ts PANELS)`);
  CELL_START.lastIndex = found.index;
  let at = -1;
  for (let i = 0; i <= cellsAfter; i++) {
    const next = CELL_START.exec(source);
    if (next === null) {
      at = -1;
      break;
    }
    at = next.index;
  }
  if (at < 0) at = source.lastIndexOf('</main>');
  if (at < 0) throw new Error(`${page}: no cell after "${after}" and no </main>`);
  return source.slice(0, at) + html + source.slice(at);
}

/** A saved real failover record as the page needs it (lib/web/page.ts RealRunsOfPage): its settings and each run's outage, not its probe rows. */
function realRunsOfPage(root: string, file: string): unknown {
  const r = JSON.parse(readFileSync(join(root, file), 'utf8')) as { kind?: string; fail: string; probe: string; ripTimers: string; probeIntervalSeconds: number; runs: { outageSeconds: number | null }[] };
  if (r.kind !== 'real-failover') throw new Error(`${file}: expected a saved "real-failover" record, found "${String(r.kind)}"`);
  return { file: file.split('/').pop(), fail: r.fail, probe: r.probe, ripTimers: r.ripTimers, probeIntervalSeconds: r.probeIntervalSeconds, runs: r.runs.map((x) => ({ outageSeconds: x.outageSeconds })) };
}

export function panelHtml(p: PanelPlacement, root = join(__dirname, '..')): string {
  const spec = { id: p.id, kind: p.kind, title: p.title, lab: p.lab, defaults: p.defaults, ...(p.realRecords === undefined ? {} : { data: { real: p.realRecords.map((f) => realRunsOfPage(root, f)) } }) };
  return `<section class="try-it try-it-${p.kind}" id="try-${p.id}" data-panel="${escapeHtml(JSON.stringify(spec))}"><noscript><p>This panel runs the simulator in the page: it needs JavaScript.</p></noscript></section>\n`;
}

/** The page's h2 headings (nbconvert gives each an id), for the in-page table of contents. */
export function headings(source: string): { id: string; text: string }[] {
  const out: { id: string; text: string }[] = [];
  for (const m of source.matchAll(/<h2 id="([^"]+)"[^>]*>([\s\S]*?)<\/h2>/g)) {
    const text = m[2]!.replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, '').replace(/<[^>]+>/g, '').trim();
    out.push({ id: m[1]!, text });
  }
  return out;
}

/** Chapters with at least this many sections get a table of contents at the top. */
const TOC_FROM = 4;

/** What goes under the header of a chapter: its notebook, its downloads, the fold button and the contents. */
export function pageToolsHtml(notebook: string, source: string, extraDownloads: { href: string; label: string }[]): string {
  const nb = `notebooks/${notebook}`;
  const downloads = [
    `<a class="download-notebook" href="${escapeHtml(nb)}" download>${escapeHtml(notebook)}</a>`,
    ...extraDownloads.map((d) => `<a class="download-extra" href="${escapeHtml(d.href)}" download>${escapeHtml(d.label)}</a>`),
  ].join(' · ');
  const sections = headings(source);
  const toc =
    sections.length >= TOC_FROM
      ? `<nav class="page-toc" aria-label="on this page"><details open><summary>On this page</summary><ol>${sections.map((h) => `<li><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a></li>`).join('')}</ol></details></nav>`
      : '';
  return `<div class="page-tools"><p class="page-notebook">This page is the notebook <code>notebooks/${escapeHtml(notebook)}</code>, executed. Download: ${downloads}. To run and change it yourself, in a clone of the repository: <code>npm run setup</code> once, then <code>npm run lab</code> and open <code>${escapeHtml(notebook)}</code> in JupyterLab.</p><button type="button" class="fold-code" hidden aria-pressed="false">Hide code</button></div>${toc}`;
}

/** Adds the live parts to one chapter's HTML (after postProcessChapter). */
export function addLiveParts(page: string, notebook: string, html: string, extraDownloads: { href: string; label: string }[]): string {
  let out = html;
  for (const p of PANELS.filter((x) => x.page === page)) out = insertAfterCell(page, out, p.after, p.cellsAfter ?? 0, panelHtml(p));
  out = out.replace('</head>', '<script src="anycast-lab.js" defer></script>\n</head>');
  const tools = pageToolsHtml(notebook, out, extraDownloads);
  const main = out.indexOf('<main>');
  if (main < 0) throw new Error(`${page}: no <main> to put the notebook's links in`);
  return out.slice(0, main + '<main>'.length) + '\n' + tools + out.slice(main + '<main>'.length);
}

/**
 * Chapter 2's capture as a pcap, for Wireshark: the chapter's own calls on the built library (same
 * lab, seed, commands and order as notebooks/02-dns.ipynb), so the file holds the packets the page lists.
 */
export function writeChapter2Pcap(root: string, outFile: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(join(root, 'dist')) as typeof import('../lib/index');
  const lab = lib.Lab.load(lib.labPath('anycast'), { seed: 1 });
  lab.exec('xenial3', 'nslookup www.example.com', { at: lib.seconds(60) });
  lab.exec('xenial3', 'nslookup r1');
  const capture = lab.capture('vboxnet1');
  for (let i = 0; i < 4; i++) lab.exec('xenial3', 'nslookup r1');
  capture.stop();
  writeFileSync(outFile, capture.toPcap());
}
