/**
 * Simulation mode, as Packet Tracer's and Wireshark's flow graph offer it: one run of a lab, built
 * in the page from the lab text the bundle embeds, stepped through frame by frame. A packet ladder
 * around the cursor (lib/plot/ladder.ts, the figure the notebooks draw), and at the cursor each
 * router's routing table and every node's ARP cache; play, step, and jump to the next change of a
 * route to the anycast address. The run is made once (lib/measure/trace.ts); moving the cursor
 * redraws, it does not simulate again.
 */
import type { LabSpec } from '../config/spec';
import type { LoadLabOptions } from '../config/load';
import { withRipProfile, withRipTimers } from '../config/overrides';
import { parseFailure } from '../config/failures';
import type { RipProfileName } from '../proto/rip/params';
import { parseDuration, seconds } from '../sim/time';
import { traceRun, type RunTrace, type TracePacket } from '../measure/trace';
import { ladderElement, routeChangeNotes, PROTOCOL_COLOURS } from '../plot/ladder';

export interface SimulationSettings {
  /** @defaultValue 'anycast' */
  lab?: string;
  /** @defaultValue 1 */
  seed?: number;
  /** The failure as the CLI writes it. @defaultValue 'xenial1:halt@125s' */
  failure?: string;
  /** How long the run goes on after the failure. @defaultValue '5m' */
  runFor?: string;
  profile?: RipProfileName;
  timers?: string;
  /** The client's probe of the anycast address, every 5 s. @defaultValue 'ping' */
  probe?: 'ping' | 'dns' | 'none';
  /** The prefix whose route changes the jump button finds. @defaultValue '10.128.224.2/32' */
  prefix?: string;
  /** Frames shown around the cursor. @defaultValue 16 */
  window?: number;
}

export interface SimulationMode {
  readonly trace: RunTrace;
  /** Index of the frame at the cursor. */
  readonly cursor: number;
  moveTo(index: number): void;
  step(by: number): void;
  /** The cursor to the first frame at or after the next route change of the prefix; false if none is left. */
  nextRouteChange(): boolean;
  play(): void;
  pause(): void;
  destroy(): void;
}

const STYLE = `
.al-sim{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:inherit}
.al-sim-bar{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0 0 8px}
.al-sim-bar button{font:inherit;padding:4px 10px;border:1px solid rgba(128,128,128,.55);border-radius:6px;background:transparent;color:inherit;cursor:pointer}
.al-sim-bar button:hover{background:rgba(128,128,128,.15)}
.al-sim-bar input[type=range]{flex:1 1 160px;min-width:120px}
.al-sim-status{font-variant-numeric:tabular-nums;margin:0 0 6px;min-height:1.4em}
.al-sim-protocols{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 6px;font-size:13px}
.al-sim-body{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.al-sim-ladder{flex:1 1 520px;min-width:0;overflow-x:auto}
.al-sim-ladder svg{max-width:100%;height:auto}
.al-sim-state{flex:1 1 300px;min-width:0;max-width:100%;overflow-x:auto;font-size:12px}
.al-sim-state h4{margin:8px 0 2px;font-size:13px}
.al-sim-router{font-weight:600;margin-top:4px}
.al-sim-state table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
.al-sim-state td,.al-sim-state th{text-align:left;padding:1px 6px 1px 0;border-bottom:1px solid rgba(128,128,128,.25);white-space:nowrap}
.al-sim-state tr.al-sim-watched td{font-weight:600}
.al-sim-state tr.al-sim-invalid td{color:#e15759}
.al-sim-error{color:#e15759;white-space:pre-wrap}
`;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const e = Object.assign(doc.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
}

/** The run the settings ask for: the lab as the page loads it, the failure, the probe. */
export function simulationTrace(settings: SimulationSettings, labOf: (name: string, options?: LoadLabOptions) => LabSpec): RunTrace {
  let spec = labOf(settings.lab ?? 'anycast', { do_anycast: true });
  if (settings.profile !== undefined) spec = withRipProfile(spec, settings.profile);
  if (settings.timers !== undefined) spec = withRipTimers(spec, settings.timers);
  const failure = settings.failure ?? 'xenial1:halt@125s';
  const parsed = parseFailure(failure);
  if (!parsed.ok) throw new Error(`failure: ${parsed.error}`);
  const runFor = parseDuration(settings.runFor ?? '5m');
  if (!runFor.ok) throw new Error(`runFor: ${runFor.error}`);
  const probe = settings.probe ?? 'ping';
  return traceRun({
    lab: spec,
    seed: settings.seed ?? 1,
    failures: [failure],
    until: parsed.value.at + runFor.value,
    // From a little before the failure: the ladder is about what follows it, and the frames of a
    // settled network before are the same updates over and over.
    from: Math.max(0, parsed.value.at - seconds(30)),
    ...(probe === 'none' ? {} : { probe: { kind: probe, interval: seconds(5) } }),
    ...(settings.prefix === undefined ? {} : { watch: [settings.prefix] }),
  });
}

/**
 * The ladder's columns in the order of the network's drawing: along the routers from an end of the
 * chain (a router with the fewest router neighbours, first in the lab's order), the first router's
 * hosts to its left, every other router's to its right, so most frames cross few columns.
 */
export function ladderColumns(spec: LabSpec): string[] {
  const kind = new Map(spec.nodes.map((n) => [n.name, n.kind]));
  const neighbours = new Map<string, string[]>();
  for (const s of spec.segments) for (const a of s.endpoints) for (const b of s.endpoints) if (a.node !== b.node) neighbours.set(a.node, [...new Set([...(neighbours.get(a.node) ?? []), b.node])]);
  const routers = spec.nodes.filter((n) => n.kind === 'router').map((n) => n.name);
  const routerNeighbours = (r: string) => (neighbours.get(r) ?? []).filter((n) => kind.get(n) === 'router');
  const order: string[] = [];
  const visit = (r: string, first: boolean) => {
    if (order.includes(r)) return;
    const hosts = (neighbours.get(r) ?? []).filter((n) => kind.get(n) !== 'router' && !order.includes(n));
    if (first) order.push(...hosts, r);
    else order.push(r, ...hosts);
    for (const n of routerNeighbours(r)) visit(n, false);
  };
  const ends = [...routers].sort((a, b) => routerNeighbours(a).length - routerNeighbours(b).length);
  for (const r of ends) visit(r, order.length === 0);
  for (const n of spec.nodes) if (n.kind !== 'bridge' && !order.includes(n.name)) order.push(n.name);
  return order;
}

/** Mounts the simulation mode in `element` (its content is replaced). */
export function mountSimulationMode(element: HTMLElement, settings: SimulationSettings, labOf: (name: string, options?: LoadLabOptions) => LabSpec): SimulationMode {
  const doc = element.ownerDocument;
  element.replaceChildren();
  element.classList.add('al-sim');
  if (doc.getElementById('al-sim-style') === null) doc.head.append(el(doc, 'style', { id: 'al-sim-style', textContent: STYLE }));
  let trace: RunTrace;
  try {
    trace = simulationTrace(settings, labOf);
  } catch (e) {
    element.append(el(doc, 'p', { className: 'al-sim-error', textContent: `Simulation mode: ${(e as Error).message}` }));
    throw e;
  }
  const prefix = settings.prefix ?? '10.128.224.2/32';
  const spec = labOf(settings.lab ?? 'anycast', { do_anycast: true });
  const notes = routeChangeNotes(trace.routeChanges, { prefix, spec });
  const columns = ladderColumns(spec);
  const half = Math.max(2, Math.floor((settings.window ?? 16) / 2));
  const protocols = new Set(Object.keys(PROTOCOL_COLOURS));
  let packets: TracePacket[] = trace.packets;
  let cursor = 0;
  let timer: ReturnType<typeof setInterval> | null = null;

  const button = (text: string, title: string, action: () => void) => el(doc, 'button', { type: 'button', textContent: text, title, onclick: action });
  const slider = el(doc, 'input', { type: 'range', min: '0', max: String(Math.max(0, packets.length - 1)), value: '0', title: 'frame' });
  const playButton = button('▶ play', 'play: one frame every 400 ms', () => (timer === null ? mode.play() : mode.pause()));
  const status = el(doc, 'div', { className: 'al-sim-status' });
  const ladder = el(doc, 'div', { className: 'al-sim-ladder' });
  const state = el(doc, 'div', { className: 'al-sim-state' });
  const protocolBoxes = el(doc, 'div', { className: 'al-sim-protocols' });
  for (const p of protocols) {
    const box = el(doc, 'input', { type: 'checkbox', checked: true });
    box.addEventListener('change', () => {
      if (box.checked) protocols.add(p);
      else protocols.delete(p);
      const t = packets[cursor]?.sent ?? 0;
      packets = trace.packets.filter((x) => protocols.has(x.protocol));
      slider.max = String(Math.max(0, packets.length - 1));
      mode.moveTo(Math.max(0, packets.findIndex((x) => x.sent >= t)));
    });
    protocolBoxes.append(el(doc, 'label', {}, [box, ` ${p}`]));
  }
  slider.addEventListener('input', () => mode.moveTo(Number(slider.value)));
  const bar = el(doc, 'div', { className: 'al-sim-bar' }, [
    button('« first', 'first frame', () => mode.moveTo(0)),
    button('◀ step', 'previous frame', () => mode.step(-1)),
    playButton,
    button('step ▶', 'next frame', () => mode.step(1)),
    button('next route change »', `the next change of a route to ${prefix}`, () => mode.nextRouteChange()),
    slider,
  ]);
  element.append(bar, protocolBoxes, status, el(doc, 'div', { className: 'al-sim-body' }, [ladder, state]));

  const tableOf = (head: string[], rows: string[][], classes: string[] = []) =>
    el(doc, 'table', {}, [el(doc, 'tr', {}, head.map((h) => el(doc, 'th', { textContent: h }))), ...rows.map((r, i) => el(doc, 'tr', { className: classes[i] ?? '' }, r.map((c) => el(doc, 'td', { textContent: c }))))]);

  const draw = () => {
    const p = packets[cursor];
    const t = p?.sent ?? 0;
    const width = Math.max(320, Math.min(760, ladder.clientWidth || element.clientWidth || 720));
    // A phone gets half the frames: fewer rows, fewer nodes, columns wide enough to read.
    const around = width < 560 ? Math.max(2, Math.floor(half / 2)) : half;
    const from = Math.max(0, cursor - around);
    const shown = packets.slice(from, cursor + around);
    const lo = shown[0]?.sent ?? 0;
    const hi = shown.at(-1)?.sent ?? 0;
    // On a phone only the nodes this stretch involves get a column: eight would not fit.
    const active = new Set([...shown.flatMap((x) => [x.from, x.to])]);
    const nodes = width < 560 ? columns.filter((n) => active.has(n)) : columns;
    ladder.replaceChildren(ladderElement(shown, { nodes, notes: notes.filter((n) => n.t >= lo && n.t <= hi), cursor: cursor - from, width }, doc));
    status.textContent = p === undefined ? 'no frames' : `${t.toFixed(3)} s · frame ${cursor + 1} of ${packets.length} · ${p.from} → ${p.to}: ${p.label}${p.lost ? ' (lost: the receiver is down)' : ''}`;
    const tables = trace.routingTablesAt(t);
    const arp = trace.arpCachesAt(t);
    const parts: Node[] = [el(doc, 'h4', { textContent: `Routing tables at ${t.toFixed(3)} s` })];
    for (const r of trace.routers) {
      const entries = tables[r] ?? [];
      parts.push(el(doc, 'div', { textContent: r, className: 'al-sim-router' }));
      parts.push(tableOf(['prefix', 'via', 'iface', 'metric', ''], entries.map((e) => [e.prefix, e.nextHop ?? 'connected', e.iface ?? '', String(e.metric), e.state]), entries.map((e) => [e.prefix === prefix ? 'al-sim-watched' : '', e.state !== '' ? 'al-sim-invalid' : ''].join(' ').trim())));
    }
    parts.push(el(doc, 'h4', { textContent: 'ARP caches' }));
    const arpRows = trace.nodes.flatMap((n) => (arp[n] ?? []).map((e) => [n, e.iface, e.ip, e.mac, e.state]));
    parts.push(tableOf(['node', 'iface', 'address', 'MAC', 'state'], arpRows));
    state.replaceChildren(...parts);
    slider.value = String(cursor);
  };

  const mode: SimulationMode = {
    trace,
    get cursor() {
      return cursor;
    },
    moveTo(index: number) {
      cursor = Math.max(0, Math.min(packets.length - 1, Math.round(index)));
      draw();
    },
    step(by: number) {
      mode.moveTo(cursor + by);
    },
    nextRouteChange() {
      const t = packets[cursor]?.sent ?? 0;
      const change = trace.watchedChanges.find((c) => c > t);
      const index = change === undefined ? -1 : packets.findIndex((p) => p.sent >= change);
      if (index < 0) {
        status.textContent = `no change of a route to ${prefix} after ${t.toFixed(3)} s`;
        return false;
      }
      mode.moveTo(index);
      return true;
    },
    play() {
      if (timer !== null) return;
      playButton.textContent = '⏸ pause';
      timer = setInterval(() => {
        if (cursor >= packets.length - 1) mode.pause();
        else mode.step(1);
      }, 400);
    },
    pause() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      playButton.textContent = '▶ play';
    },
    destroy() {
      mode.pause();
      element.replaceChildren();
    },
  };
  element.tabIndex = 0;
  element.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight') mode.step(1);
    else if (e.key === 'ArrowLeft') mode.step(-1);
    else return;
    e.preventDefault();
  });
  draw();
  return mode;
}
