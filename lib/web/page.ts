/**
 * The tutorial pages' runtime: turns each `<section class="try-it" data-panel="…">` the site build
 * placed (scripts/tutorial-panels.ts) into controls, a Run and a Stop button, and figures drawn in
 * place from the rows the worker returns; keeps each panel's settings in the page's URL (the hash),
 * so a what-if is shared by a link that opens with it run; folds code cells away for readers who
 * want the story.
 *
 * Figures are lib/plot's functions, drawn with the page's own DOM (scripts/build-web.js gives
 * lib/plot the page's document instead of linkedom's), so they are the figures the notebooks show.
 */
import type { BrowserApi, LabRef, PanelKind, TextFinding } from './entry';
import type { FailoverPanelResult, RealVsSimResult, RouteRowOut, WithdrawalResult } from './runs';
import { PanelWorker } from './worker';
import { probeTimelineFigure, outageDistributionFigure } from '../plot/failover';
import { routesKnownFigure } from '../plot/routing';
import { ladderFigure } from '../plot/figures';
import { routeChangeNotes } from '../plot/ladder';
import { outageStripFigure } from '../plot/sweep';
import { htmlTable, consoleBlock } from '../plot/table';
import { drawLive } from '../plot/render';
import { agreementTable, outageAgreementRow, outageFigureRows } from '../real/compare';
import { outageSummary } from '../results/outcome';
import { quantile } from '../results/stats';
import { formatDuration, seconds } from '../sim/time';

/** What the site build writes into `data-panel`: which panel, where its lab comes from, its defaults. */
export interface PanelSpec {
  id: string;
  kind: PanelKind | 'config-editor' | 'simulation';
  title: string;
  lab: string;
  defaults: Record<string, string>;
  /** What the page draws beside the panel's results, embedded by the site build: chapter 7's saved real runs. */
  data?: { real?: RealRunsOfPage[] };
}

/** A saved real failover record (data/real/<lab>/failover-*.json) as chapter 7's page embeds it: its settings and each run's outage. */
export interface RealRunsOfPage {
  file: string;
  fail: string;
  probe: 'ping' | 'dns';
  ripTimers: string;
  probeIntervalSeconds: number;
  runs: { outageSeconds: number | null }[];
}

interface Control {
  name: string;
  label: string;
  /** `choice`: one of `choices`; `text` with `suggest`: free text with suggestions; `number`. */
  type: 'choice' | 'text' | 'number';
  choices?: string[];
  suggest?: string[];
  help?: string;
}

const FAILURES = ['xenial1:halt', 'xenial1:ripd-stop', 'xenial1:named-stop', 'xenial1:reboot=30s', 'xenial1:reboot=120s', 'xenial1:drain=10s', 'xenial2:halt', 'r3:halt', 'r1:Ethernet0/0:link-down'];
const PROFILE: Control = { name: 'profile', label: 'RIP profile', type: 'choice', choices: ['lab', 'cisco-ios', 'frr'], help: 'lab: each router its own dialect (IOS r1–r4, FRR ripd on the servers)' };
const SEED: Control = { name: 'seed', label: 'seed', type: 'number' };
const RUNS: Control = { name: 'runs', label: 'runs', type: 'number' };

/** The controls of each kind of panel: what its chapter varies. */
const CONTROLS: Record<PanelKind, Control[]> = {
  failover: [
    { name: 'fail', label: 'failure', type: 'text', suggest: FAILURES },
    { name: 'at', label: 'at', type: 'text', help: 'the single run fails here; the distribution draws instants over one update interval after it' },
    PROFILE,
    { name: 'timers', label: 'timers basic', type: 'text', suggest: ['default', '5 15 15 20', '5 15 10', '10 60 40'], help: 'IOS "update invalid holddown flush", FRR "update timeout garbage"' },
    RUNS,
    SEED,
  ],
  ping: [
    { name: 'failure', label: 'failure', type: 'text', suggest: ['r3:halt@1s', 'r3:halt@70s', 'r3:Ethernet0/1:link-down@1s', ''] },
    { name: 'at', label: 'ping at', type: 'text' },
    SEED,
  ],
  'link-cut': [
    { name: 'iface', label: 'cable of', type: 'text', suggest: ['r1:Ethernet0/0', 'r1:Ethernet0/1', 'r2:Ethernet0/1', 'r3:Ethernet0/1'] },
    { name: 'down', label: 'cut at', type: 'text' },
    { name: 'up', label: 'reconnect at', type: 'text' },
    { name: 'until', label: 'run until', type: 'text' },
    { name: 'router', label: 'table of', type: 'choice', choices: ['r1', 'r2', 'r3', 'r4'] },
    SEED,
  ],
  'cold-start': [
    { name: 'until', label: 'run until', type: 'text' },
    SEED,
  ],
  'what-if': [
    { name: 'fail', label: 'failure', type: 'text', suggest: FAILURES },
    PROFILE,
    { name: 'timers', label: 'timers to compare', type: 'text', help: 'separated by ";": default; 10 60 40; 5 15 10 (IOS "update invalid holddown flush", FRR "update timeout garbage")' },
    { name: 'healthCheck', label: 'health check', type: 'text', suggest: ['off', '1s', '2s', '5s', '10s'], help: 'off, or the interval of a check that withdraws the route when named stops answering (then the client probes with DNS)' },
    { name: 'at', label: 'at', type: 'text' },
    { name: 'runFor', label: 'run for', type: 'text' },
    RUNS,
    SEED,
  ],
  capture: [SEED],
  withdrawal: [
    { name: 'fail', label: 'failure', type: 'text', suggest: ['xenial1:drain=10s', 'xenial1:drain=0s', 'xenial1:ripd-stop', 'xenial1:halt'] },
    { name: 'at', label: 'at', type: 'text' },
    { name: 'timers', label: 'timers basic', type: 'text', suggest: ['default', '5 15 10', '10 30 20'], help: 'FRR "update timeout garbage" on every RIP speaker; default: the lab\'s own, FRR\'s 30 180 120' },
    { name: 'runFor', label: 'follow for', type: 'text', help: 'how long after the failure to look for the far server\'s first reply' },
    SEED,
  ],
  'real-vs-sim': [
    { name: 'fail', label: 'failure', type: 'choice', choices: ['xenial1:halt', 'xenial1:ripd-stop', 'xenial1:named-stop', 'xenial1:drain=10s'], help: 'a stopped named is probed with DNS every 500 ms (it still answers pings), the others with a ping every 200 ms' },
    { name: 'timers', label: 'timers basic', type: 'text', suggest: ['5 15 10', '30 180 120', '10 30 20', '5 10 5'], help: 'FRR "update timeout garbage" on every RIP speaker (the real runs used 5 15 10; the drains also FRR\'s defaults, 30 180 120)' },
    { name: 'settle', label: 'settle', type: 'text', help: 'failure instants are drawn over one update interval from here' },
    { name: 'runFor', label: 'run for', type: 'text', help: 'each run lasts this long after its failure: a run not recovered by then counts as never' },
    { name: 'schedules', label: 'seeds', type: 'number', help: 'update schedules (lab seeds 1, 2, …): a real lab draws a new one at every start' },
    { name: 'instants', label: 'instants per seed', type: 'number' },
  ],
  resolvers: [
    { name: 'fail', label: 'failure', type: 'text', suggest: ['xenial1:halt', 'xenial1:named-stop', 'xenial1:ripd-stop'] },
    { name: 'resolvOptions', label: 'resolv.conf options', type: 'text', help: 'sets to compare, separated by ";" (- for none), e.g. -; timeout:1; timeout:1 attempts:1 rotate' },
    { name: 'at', label: 'at', type: 'text' },
    SEED,
  ],
};

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

/**
 * The page's address holds a section and the settings of every panel a reader ran: the anchor of a
 * heading (its id, as the contents and the headings' own links give it), then `&panel.control=value`
 * pairs, `#Change-this-and-run-again&ch7.fail=xenial1%3Ahalt&ch7.timers=10+30+20`. A part is a setting
 * when it reads `panel.control=`; the parts before the first setting, joined again, are the anchor
 * (a heading's id may itself hold `&` or `?`). A link with settings only (`#ch4.fail=…`) has no anchor.
 */
const SETTING_PART = /^[\w-]+\.\w+=/;

export function splitHash(hash: string): { anchor: string; settings: URLSearchParams } {
  const parts = hash.replace(/^#/, '').split('&');
  const first = parts.findIndex((p) => SETTING_PART.test(p));
  if (first < 0) return { anchor: parts.join('&'), settings: new URLSearchParams() };
  return { anchor: parts.slice(0, first).join('&'), settings: new URLSearchParams(parts.slice(first).filter((p) => SETTING_PART.test(p)).join('&')) };
}

export function joinHash(anchor: string, settings: URLSearchParams): string {
  const tail = settings.toString();
  return `#${anchor}${anchor !== '' && tail !== '' ? '&' : ''}${tail}`;
}

/** The settings of the panels run on this page, as the hash holds them. */
let pageSettings = new URLSearchParams();

function hashSettings(): URLSearchParams {
  return splitHash(location.hash).settings;
}

function writeHash(id: string, settings: Record<string, string>): void {
  for (const key of [...pageSettings.keys()]) if (key.startsWith(`${id}.`)) pageSettings.delete(key);
  for (const [k, v] of Object.entries(settings)) pageSettings.set(`${id}.${k}`, v);
  history.replaceState(null, '', joinHash(splitHash(location.hash).anchor, pageSettings));
}

/**
 * The hash kept whole while a reader moves about: following a heading's link (`#Cold-start`) keeps
 * the settings run so far after the new anchor, so the address is still the what-if, at that section.
 */
function keepSettingsInHash(): void {
  pageSettings = hashSettings();
  window.addEventListener('hashchange', () => {
    const { anchor, settings } = splitHash(location.hash);
    if ([...settings.keys()].length === 0 && [...pageSettings.keys()].length > 0) history.replaceState(null, '', joinHash(anchor, pageSettings));
    else pageSettings = settings;
  });
}

/** The element of the hash's anchor: the browser finds none when settings follow it, so the page scrolls there itself. */
function anchorElement(): HTMLElement | null {
  const { anchor, settings } = splitHash(location.hash);
  if (anchor === '' || [...settings.keys()].length === 0) return null;
  let id = anchor;
  try {
    id = decodeURIComponent(anchor);
  } catch {
    // A malformed escape: the anchor as written.
  }
  return document.getElementById(id);
}

/** Runs of the page, for tests and the site build's budget report: what ran and how long it took. */
interface RunRecord {
  panel: string;
  ms: number;
  ok: boolean;
}

declare global {
  interface Window {
    anycastLabPage?: { ready: boolean; interactiveMs: number; setupMs: number; runs: RunRecord[] };
  }
}

function figureOf(html: string): HTMLElement {
  const div = el('div', { class: 'try-it-figure' });
  div.innerHTML = html;
  // A table wider than a phone scrolls on its own, and its caption (lib/plot/table.ts puts it in the
  // table, as wide as the table) follows as a paragraph of the panel's width: in the table, a 390 px
  // page cut chapter 7's captions off at the panel's edge.
  for (const table of Array.from(div.querySelectorAll(':scope > table'))) {
    const scroller = el('div', { class: 'try-it-table' });
    table.replaceWith(scroller);
    scroller.append(table);
    const caption = table.querySelector(':scope > caption');
    if (caption === null) continue;
    const p = el('p', { class: 'try-it-caption' });
    p.append(...Array.from(caption.childNodes));
    caption.remove();
    scroller.after(p);
  }
  return div;
}

/** The failover panel's output: chapter 4's timeline, phases, distribution and summary. */
function drawFailover(out: HTMLElement, r: FailoverPanelResult, s: Record<string, string>): void {
  const one = r.single;
  const head = one.baseline.steady ? `${one.outageSeconds === null ? 'never recovered' : `${one.outageSeconds} s without a reply`}` : `no outage read: the service was not steady before the failure (${one.baseline.problems.join('; ')})`;
  out.append(figureOf(probeTimelineFigure(one.rows as never, { failureAt: seconds(one.atSeconds), caption: `xenial3 pinging 10.128.224.2, ${one.failure}${s['profile'] === 'lab' ? '' : `, every router ${s['profile']}`}${s['timers'] === 'default' ? '' : `, timers ${s['timers']}`}: ${head}.` })));
  out.append(figureOf(htmlTable(one.phases.map((p) => ({ phase: p.phase, from: formatDuration(seconds(p.fromSeconds)), to: formatDuration(seconds(p.toSeconds)), probes: p.count })))));
  const d = r.distribution;
  const profile = d.profile ?? 'lab';
  out.append(figureOf(outageDistributionFigure(d.runs.map((x) => ({ profile, outageSeconds: x.outageSeconds })), { caption: `Outage after ${s['fail']}, ${d.runs.length} failure instants over ${formatDuration(d.window)} (one tick per run).` })));
  out.append(figureOf(htmlTable([{ profile, runs: d.runs.length, 'min (s)': d.min, 'median (s)': d.median, 'max (s)': d.max, unrecovered: d.unrecovered, unsteady: d.unsteady }])));
}

/**
 * Chapter 7's what-if: the simulated outages with the reader's timers beside the saved real runs of
 * the same failure, which keep their own timers (the chapter's figure and agreement table).
 */
function drawRealVsSim(out: HTMLElement, r: RealVsSimResult, s: Record<string, string>, saved: readonly RealRunsOfPage[]): void {
  const real = saved.filter((x) => x.fail === s['fail']);
  // Rows named by their timers only, short enough for the figure's row labels: the caption says what they are.
  const rows = [...outageFigureRows(s['timers'] ?? '', r.runs, []), ...real.flatMap((x) => outageFigureRows(x.ripTimers, [], x.runs))];
  const sim = outageSummary(r.runs);
  const unread = [sim.unrecovered === 0 ? '' : `${sim.unrecovered} not recovered within ${s['runFor']}`, sim.unsteady === 0 ? '' : `${sim.unsteady} without a steady service before the failure`].filter((x) => x !== '');
  const probe = r.probe === 'ping' ? `a ping every ${r.probeIntervalSeconds * 1000} ms` : `a DNS query every ${r.probeIntervalSeconds * 1000} ms`;
  out.append(figureOf(outageDistributionFigure(rows, { caption: `Outage per run after ${s['fail']} (${probe}), rows by FRR timers basic: ${r.runs.length} simulated failure instants with ${s['timers']}${unread.length === 0 ? '' : ` (${unread.join(', ')})`}; ${real.length === 0 ? 'no saved real runs of this failure' : `the saved real runs with their own timers`}.` })));
  const summary = [{ side: 'simulated', 'timers basic': s['timers'], runs: r.runs.length, 'min (s)': sim.min, 'median (s)': sim.median, 'max (s)': sim.max, 'not recovered': sim.unrecovered, unsteady: sim.unsteady }];
  out.append(figureOf(htmlTable(summary, { caption: 'The simulated outages.' })));
  if (real.length > 0) {
    // Two probe intervals of slack, as the chapter's agreement table.
    const agreement = real.map((x) => outageAgreementRow(`real, timers basic ${x.ripTimers} (${x.file})`, r.runs, x.runs, x.probeIntervalSeconds * 2));
    out.append(figureOf(htmlTable(agreementTable(agreement), { caption: `The saved real runs of ${s['fail']} (${r.probe} probe) against these simulated ones: a real run agrees when it falls inside the simulated range give or take two probe intervals.` })));
  }
}

/** The servers' side of the chain, where the withdrawal travels (chapter 7's ladder). */
const WITHDRAWAL_NODES = ['xenial1', 'r3', 'r1', 'r2'];
const ANYCAST_PREFIX = '10.128.224.2/32';

/**
 * Chapter 7's ladder of the withdrawal, as the chapter picks it from the run: every RIP message among
 * xenial1, r3, r1 and r2 up to xenial3's first reply with TTL 60 (the far server, four routers
 * away), that reply, and each router's change of its route to the anycast address.
 */
function drawWithdrawal(out: HTMLElement, r: WithdrawalResult, s: Record<string, string>, spec: ReturnType<BrowserApi['lab']>): void {
  const firstFar = r.packets.find((p) => p.to === 'xenial3' && / ttl=60$/.test(p.label));
  const until = firstFar?.sent ?? Infinity;
  const shown = r.packets.filter((p) => p.sent <= until && ((p.protocol === 'RIP' && WITHDRAWAL_NODES.includes(p.from) && WITHDRAWAL_NODES.includes(p.to)) || p === firstFar));
  const far = firstFar === undefined ? `no reply from the far server within ${s['runFor']}` : `xenial3's ping gets its first reply with TTL 60 at ${firstFar.sent.toFixed(1)} s`;
  const updateOfR2 = shown.find((p) => p.from === 'r2');
  out.append(
    figureOf(
      ladderFigure(shown, {
        nodes: ['xenial3', ...WITHDRAWAL_NODES],
        notes: routeChangeNotes(r.routeChanges, { prefix: ANYCAST_PREFIX, spec, from: r.atSeconds, ...(firstFar === undefined ? {} : { until: firstFar.sent }) }),
        caption: `${s['fail']} at ${r.atSeconds} s, FRR timers ${s['timers'] === 'default' ? "of the lab (FRR's defaults)" : `basic ${s['timers']}`}, seed ${s['seed']}: every RIP message among xenial1, r3, r1 and r2${updateOfR2 === undefined ? '' : ` (r2's first message at ${updateOfR2.sent.toFixed(1)} s)`}; ${far}.`,
      }),
    ),
  );
  out.dataset['firstFarReply'] = firstFar === undefined ? 'none' : firstFar.sent.toFixed(1);
}

function routeTable(rows: RouteRowOut[], router: string, fromSeconds: number): string {
  const shown = rows.filter((r) => r.node === router && r.t >= seconds(fromSeconds) && (r.event === 'add' || r.event === 'remove'));
  if (shown.length === 0) {
    const p = el('p', {}, `${router}'s table did not change after ${fromSeconds} s.`);
    return p.outerHTML;
  }
  return htmlTable(shown.map((r) => ({ time: formatDuration(r.t), event: r.event, prefix: r.prefix, nextHop: r.nextHop ?? '' })), { caption: `${router}'s routing-table changes from ${fromSeconds} s.` });
}

function summaryOf(rows: Record<string, unknown>[], by: string): Record<string, unknown>[] {
  const options = [...new Set(rows.map((r) => String(r[by])))];
  return options.map((option) => {
    const mine = rows.filter((r) => String(r[by]) === option);
    const v = mine.map((r) => r['outageSeconds']).filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    return { [by]: option, runs: mine.length, 'median (s)': quantile(v, 0.5), 'p90 (s)': quantile(v, 0.9), 'max (s)': v.at(-1) ?? null, unrecovered: mine.filter((r) => r['outageSeconds'] === null && !r['unsteady']).length, 'RIP bytes/s, busiest link': mean(mine.map((r) => r['ripBytesPerSecond'])) };
  });
}

function mean(values: unknown[]): number | null {
  const v = values.filter((x): x is number => typeof x === 'number');
  return v.length === 0 ? null : +(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1);
}

function draw(kind: PanelKind, out: HTMLElement, value: unknown, s: Record<string, string>, spec: PanelSpec, api: BrowserApi): void {
  switch (kind) {
    case 'real-vs-sim':
      return drawRealVsSim(out, value as RealVsSimResult, s, spec.data?.real ?? []);
    case 'withdrawal':
      return drawWithdrawal(out, value as WithdrawalResult, s, api.lab(spec.lab, { do_anycast: true }));
    case 'failover':
      return drawFailover(out, value as FailoverPanelResult, s);
    case 'ping':
      out.append(figureOf(consoleBlock((value as { console: string }).console)));
      return;
    case 'link-cut': {
      const r = value as { routeRows: RouteRowOut[]; downSeconds: number; upSeconds: number; untilSeconds: number };
      out.append(figureOf(routesKnownFigure(r.routeRows, { until: seconds(r.untilSeconds), nodes: ['r1', 'r2', 'r3', 'r4'], marks: [{ seconds: r.downSeconds, label: `${s['iface']} cut` }, { seconds: r.upSeconds, label: 'reconnected' }], caption: `Destinations per router while the cable of ${s['iface']} is out (${r.downSeconds}–${r.upSeconds} s).` })));
      out.append(figureOf(routeTable(r.routeRows, s['router'] ?? 'r3', r.downSeconds - 1)));
      return;
    }
    case 'cold-start': {
      const r = value as { routeRows: RouteRowOut[]; untilSeconds: number; tables: { node: string; text: string }[] };
      out.append(figureOf(routesKnownFigure(r.routeRows, { until: seconds(Math.min(r.untilSeconds, 60)), nodes: r.tables.map((t) => t.node), caption: 'Destinations in each router\'s table after a cold start of the edited lab.' })));
      // Without IOS's legend of route codes, as chapter 1 prints the tables.
      const tables = el('div', { class: 'try-it-tables' });
      for (const t of r.tables) tables.append(figureOf(consoleBlock(t.text.slice(Math.max(0, t.text.indexOf('Gateway of last resort'))), `${t.node}#show ip route`)));
      out.append(tables);
      return;
    }
    case 'what-if': {
      const r = value as { rows: Record<string, number | string | boolean | null>[]; varied: string };
      out.append(figureOf(outageStripFigure(r.rows, { by: r.varied, caption: `Outage after ${s['fail']} per value of timers (${s['runs']} runs each; the thick tick is the median).` })));
      out.append(figureOf(htmlTable(summaryOf(r.rows, r.varied))));
      return;
    }
    case 'capture': {
      const r = value as { list: string; details: string; hexdump: string; pcap: Uint8Array };
      out.append(figureOf(consoleBlock(r.list, `DNS packets on vboxnet1, seed ${s['seed']}`)));
      out.append(figureOf(consoleBlock(r.details, 'the first query')));
      out.append(figureOf(consoleBlock(r.hexdump, 'the first query, bytes')));
      // The capture as a file, made in the page: nothing is fetched.
      const link = el('a', { class: 'download-pcap', download: `02-dns-seed-${s['seed']}.pcap`, href: URL.createObjectURL(new Blob([r.pcap as BlobPart], { type: 'application/vnd.tcpdump.pcap' })) }, `Download this capture (02-dns-seed-${s['seed']}.pcap, ${r.pcap.length} bytes) for Wireshark`);
      out.append(link);
      return;
    }
    case 'resolvers':
      out.append(figureOf(htmlTable((value as { rows: Record<string, unknown>[] }).rows, { caption: `glibc lookups of r1 every 5 s for 5 minutes after ${s['fail']}, per resolv.conf options.` })));
      return;
  }
}

/** Builds one run panel: controls from its kind, Run and Stop, progress, output. */
function mountRunPanel(api: BrowserApi, section: HTMLElement, spec: PanelSpec & { kind: PanelKind }, worker: () => PanelWorker, records: RunRecord[], autorun: boolean, editsOf: () => LabRef['edits']): void {
  const form = el('form', { class: 'try-it-controls' });
  const fromHash = hashSettings();
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  for (const c of CONTROLS[spec.kind]) {
    const label = el('label', { class: 'try-it-control' });
    label.append(el('span', { class: 'try-it-label' }, c.label));
    const value = fromHash.get(`${spec.id}.${c.name}`) ?? spec.defaults[c.name] ?? '';
    let input: HTMLInputElement | HTMLSelectElement;
    if (c.type === 'choice') {
      input = el('select', { name: c.name });
      for (const choice of c.choices ?? []) input.append(el('option', { value: choice }, choice));
    } else {
      input = el('input', { name: c.name, type: c.type === 'number' ? 'number' : 'text', spellcheck: 'false', autocomplete: 'off' });
      if (c.type === 'number') input.setAttribute('min', '0');
      if (c.suggest !== undefined) {
        const list = el('datalist', { id: `${spec.id}-${c.name}-list` });
        for (const sug of c.suggest) list.append(el('option', { value: sug }));
        label.append(list);
        input.setAttribute('list', list.id);
      }
    }
    input.value = value;
    if (c.help !== undefined) label.title = c.help;
    label.append(input);
    inputs.set(c.name, input);
    form.append(label);
  }
  const buttons = el('div', { class: 'try-it-buttons' });
  const run = el('button', { type: 'submit', class: 'try-it-run' }, 'Run');
  const stop = el('button', { type: 'button', class: 'try-it-stop', disabled: '' }, 'Stop');
  const progress = el('progress', { class: 'try-it-progress', max: '1', value: '0', hidden: '' });
  const status = el('span', { class: 'try-it-status', role: 'status' });
  buttons.append(run, stop, progress, status);
  form.append(buttons);
  const out = el('div', { class: 'try-it-output', 'aria-live': 'polite' });
  section.append(form, out);

  const settings = (): Record<string, string> => Object.fromEntries([...inputs].map(([k, i]) => [k, i.value]));
  const go = async (): Promise<void> => {
    const s = settings();
    writeHash(spec.id, s);
    run.disabled = true;
    stop.disabled = false;
    progress.hidden = false;
    progress.removeAttribute('value');
    status.textContent = 'running…';
    section.dataset['state'] = 'running';
    const started = performance.now();
    try {
      const edits = editsOf();
      const { value, ms } = await worker().run(spec.kind, { name: spec.lab, ...(edits === undefined ? {} : { edits }) }, s, (done, total) => {
        progress.max = total;
        progress.value = done;
        status.textContent = `${done} of ${total} runs`;
      });
      out.replaceChildren();
      drawLive(out, () => draw(spec.kind, out, value, s, spec, api));
      status.textContent = `done in ${(ms / 1000).toFixed(2)} s`;
      section.dataset['state'] = 'done';
      records.push({ panel: spec.id, ms, ok: true });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'Stopped') {
        status.textContent = 'stopped';
        section.dataset['state'] = 'stopped';
      } else {
        out.replaceChildren(el('pre', { class: 'try-it-error' }, err.message));
        status.textContent = 'failed';
        section.dataset['state'] = 'error';
      }
      records.push({ panel: spec.id, ms: performance.now() - started, ok: false });
    } finally {
      run.disabled = false;
      stop.disabled = true;
      progress.hidden = true;
      section.dataset['runs'] = String(Number(section.dataset['runs'] ?? '0') + 1);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void go();
  });
  stop.addEventListener('click', () => worker().stop());
  if (autorun) void go();
}

/** Chapter 1's editor: a node's configuration text, `check`'s findings at their lines, and a cold start of the edited lab. */
function mountConfigEditor(api: BrowserApi, section: HTMLElement, spec: PanelSpec, worker: () => PanelWorker, records: RunRecord[]): void {
  const files = api.labFiles(spec.lab) ?? {};
  const editable = Object.keys(files).filter((f) => /\.(cfg|conf)$/.test(f) && !f.includes('/')).sort();
  const edits: Record<string, string> = {};
  const bar = el('div', { class: 'try-it-controls' });
  const pick = el('label', { class: 'try-it-control' });
  pick.append(el('span', { class: 'try-it-label' }, 'file'));
  const select = el('select', { name: 'file' });
  for (const f of editable) select.append(el('option', { value: f }, f));
  select.value = spec.defaults['file'] ?? editable[0] ?? '';
  pick.append(select);
  const check = el('button', { type: 'button', class: 'try-it-check' }, 'Check');
  const reset = el('button', { type: 'button', class: 'try-it-reset' }, 'Reset file');
  bar.append(pick, check, reset);
  const editor = el('div', { class: 'config-editor' });
  const gutter = el('pre', { class: 'config-gutter', 'aria-hidden': 'true' });
  const text = el('textarea', { class: 'config-text', spellcheck: 'false', rows: '18', 'aria-label': 'configuration text', wrap: 'off' });
  editor.append(gutter, text);
  const findings = el('ul', { class: 'config-findings', 'aria-live': 'polite' });
  section.append(bar, editor, findings);
  const runHost = el('div', { class: 'config-run', id: `try-${spec.id}-run` });
  section.append(runHost);

  let marks = new Map<number, string>();
  const paintGutter = () => {
    const n = text.value.split('\n').length;
    gutter.replaceChildren(...Array.from({ length: n }, (_, i) => {
      const line = el('span', marks.has(i + 1) ? { class: `gutter-${marks.get(i + 1)}`, title: 'see the findings below' } : {}, `${i + 1}\n`);
      return line;
    }));
    gutter.scrollTop = text.scrollTop;
  };
  const load = () => {
    text.value = edits[select.value] ?? files[select.value] ?? '';
    marks = new Map();
    paintGutter();
  };
  const jump = (line: number) => {
    const lines = text.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((a, l) => a + l.length + 1, 0);
    text.focus();
    text.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };
  const runCheck = (): TextFinding[] => {
    let found: TextFinding[];
    try {
      // As the cold start below loads it (lib/web/entry.ts PANEL_LAB_OPTIONS), so check sees the lab that runs.
      found = api.checkText({ name: spec.lab, edits, options: {} });
    } catch (e) {
      found = [{ file: `${spec.lab}/${select.value}`, line: null, severity: 'error', message: (e as Error).message }];
    }
    const mine = `${spec.lab}/${select.value}`;
    marks = new Map(found.filter((f) => f.file === mine && f.line !== null).map((f) => [f.line!, f.severity === 'error' ? 'error' : 'note']));
    paintGutter();
    findings.replaceChildren();
    const lines = text.value.split('\n');
    if (found.length === 0) findings.append(el('li', { class: 'finding-ok' }, 'check: no findings'));
    for (const f of found) {
      const li = el('li', { class: `finding finding-${f.severity}` });
      const where = `${f.file}${f.line === null ? '' : `:${f.line}`}`;
      const link = el('button', { type: 'button', class: 'finding-where' }, where);
      if (f.file === mine && f.line !== null) link.addEventListener('click', () => jump(f.line!));
      else link.disabled = true;
      li.append(link, document.createTextNode(` ${f.severity}: ${f.message}`));
      if (f.file === mine && f.line !== null && lines[f.line - 1] !== undefined) li.append(el('code', { class: 'finding-line' }, lines[f.line - 1]!));
      findings.append(li);
    }
    section.dataset['findings'] = String(found.length);
    return found;
  };
  select.addEventListener('change', load);
  text.addEventListener('input', () => {
    edits[select.value] = text.value;
    paintGutter();
  });
  text.addEventListener('scroll', () => (gutter.scrollTop = text.scrollTop));
  check.addEventListener('click', () => void runCheck());
  reset.addEventListener('click', () => {
    delete edits[select.value];
    load();
    findings.replaceChildren();
  });
  load();
  // The edited lab's cold start: a run panel whose lab carries the edits, checked first.
  const runSpec: PanelSpec & { kind: PanelKind } = { ...spec, id: `${spec.id}-run`, kind: 'cold-start', defaults: { until: spec.defaults['until'] ?? '60s', seed: spec.defaults['seed'] ?? '1' } };
  mountRunPanel(api, runHost, runSpec, worker, records, false, () => {
    const errors = runCheck().filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new Error(`check found ${errors.length} error${errors.length === 1 ? '' : 's'}: fix ${errors[0]!.file}${errors[0]!.line === null ? '' : `:${errors[0]!.line}`} first`);
    return Object.keys(edits).length === 0 ? undefined : { ...edits };
  });
}

/** Folding code cells: one button for the page, and a click on a cell's prompt for that cell. */
function mountCodeFolding(): void {
  const button = document.querySelector<HTMLButtonElement>('button.fold-code');
  if (button === null) return;
  const apply = (folded: boolean) => {
    document.body.classList.toggle('code-folded', folded);
    button.textContent = folded ? 'Show code' : 'Hide code';
    button.setAttribute('aria-pressed', String(folded));
  };
  button.hidden = false;
  button.addEventListener('click', () => apply(!document.body.classList.contains('code-folded')));
  for (const prompt of Array.from(document.querySelectorAll<HTMLElement>('.jp-CodeCell .jp-InputPrompt'))) {
    prompt.title = 'fold this cell';
    prompt.addEventListener('click', () => prompt.closest('.jp-CodeCell')?.classList.toggle('cell-folded'));
  }
  apply(false);
}

/**
 * Plot's tip draws its box in `--plot-background`, which each figure sets to white (Plot's plot.js):
 * on a dark page its light text was unreadable on white. The page's own background instead (the
 * site's --site-bg, scripts/tutorial.css; elsewhere the colour scheme's Canvas). And the panels'
 * tables, which figureOf lets scroll apart from their captions; and room in the failure controls
 * for a failure's whole name (`xenial1:drain=10s`, `r1:Ethernet0/0:link-down`), which the site's
 * 10rem (scripts/tutorial.css) cut off. Below 601 px the site's rule gives every control its half row.
 */
const PAGE_STYLE = `.try-it-output svg,.al-sim svg{--plot-background:var(--site-bg,Canvas)}
.try-it-table{overflow-x:auto}.try-it-caption{margin:0 0 .4rem;padding-top:4px;opacity:.8}
@media (min-width:601px){.try-it-control :is(input,select):is([name=fail],[name=failure],[name=iface]){width:15rem}}`;

/** The page runtime: every panel of the page, code folding, and the timings tests read. */
export function startPage(api: BrowserApi & { mountSimulationMode?: unknown }, source: string | null): void {
  const started = performance.now();
  const records: RunRecord[] = [];
  const state = { ready: false, interactiveMs: 0, setupMs: 0, runs: records };
  window.anycastLabPage = state;
  document.head.append(el('style', { id: 'al-page-style' }, PAGE_STYLE));
  mountCodeFolding();
  keepSettingsInHash();
  const sections = Array.from(document.querySelectorAll<HTMLElement>('section.try-it[data-panel]'));
  const fromHash = hashSettings();
  // A link to a section with settings opens at that section; settings alone, at the panel they run.
  const anchor = anchorElement();
  for (const section of sections) {
    const spec = JSON.parse(section.dataset['panel']!) as PanelSpec;
    section.id = section.id || `try-${spec.id}`;
    const heading = el('h3', { class: 'try-it-title' }, spec.title);
    section.prepend(heading);
    let pw: PanelWorker | null = null;
    const worker = (): PanelWorker => {
      if (source === null) throw new Error('this page runs the bundle unwrapped: no worker source (build it with scripts/build-web.js)');
      return (pw ??= new PanelWorker(source));
    };
    if (spec.kind === 'simulation') {
      // The packet ladder is another part of the bundle (lib/plot); without it, nothing is shown.
      const mount = ((globalThis as { AnycastLab?: { mountSimulationMode?: unknown } }).AnycastLab ?? api).mountSimulationMode;
      if (typeof mount === 'function') (mount as (e: HTMLElement, s: unknown) => void)(section, { lab: spec.lab, ...spec.defaults, seed: Number(spec.defaults['seed'] ?? '1') });
      else section.hidden = true;
      continue;
    }
    if (spec.kind === 'config-editor') {
      mountConfigEditor(api, section, spec, worker, records);
      continue;
    }
    const autorun = [...fromHash.keys()].some((k) => k.startsWith(`${spec.id}.`));
    mountRunPanel(api, section, spec as PanelSpec & { kind: PanelKind }, worker, records, autorun, () => undefined);
    if (autorun && anchor === null) section.scrollIntoView();
  }
  anchor?.scrollIntoView();
  // From navigation start (performance.now's origin): what a reader waits before the controls work.
  state.interactiveMs = performance.now();
  state.setupMs = performance.now() - started;
  state.ready = true;
  document.documentElement.dataset['anycastLab'] = 'ready';
}
