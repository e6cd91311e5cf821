/**
 * Routing-table changes over time, as tidy rows: every change to any node's forwarding table
 * (`add`, `replace`, `remove`, from the FIB's listeners) and the RIP events the forwarding table
 * cannot show (`invalid`, `holddown`, `flush`, `garbage`, from the RIP daemons). Notebooks and tests
 * ask it things like "when did r3 lose 10.128.224.2?": `lab.routeLog.lost('r3', '10.128.224.2')`.
 *
 * Events:
 * - `add` / `replace` / `remove`: a forwarding-table entry appeared, changed (metric, next hop) or went.
 * - `invalid`: RIP declared the route unreachable (IOS invalid timer, FRR timeout, a metric-16 update
 *   from its next hop, its interface lost) and advertises it with metric 16 from now on.
 * - `holddown`: IOS put the route in hold-down ("possibly down"): still forwarding, better routes ignored.
 * - `flush`: IOS deleted the RIP entry (flush timer); `garbage`: FRR deleted it (garbage collection).
 *
 * Rows are stored column-wise in typed arrays (a large lab logs hundreds of thousands of changes
 * while it converges) and made into objects only when asked for.
 */
import type { SimTime } from '../sim/time';
import type { RouteSource, FibChange } from '../proto/fib';
import { ipv4ToString, networkOf, PREFIX_MASKS, tryParseIpv4 } from '../wire/addr';
import type { Ipv4Addr } from '../wire/types';
import type { NetNode } from '../net/node';
import type { RipDaemon, RipDaemonEvent } from '../net/rip-daemon';

export type RouteEvent = 'add' | 'replace' | 'remove' | 'invalid' | 'holddown' | 'flush' | 'garbage';

export interface RouteChangeRow {
  t: SimTime;
  node: string;
  /** `10.128.224.2/32` */
  prefix: string;
  /** As the device shows it: the FIB metric (IOS hops, FRR RIP metric) for FIB rows, 16 for RIP events. */
  metric: number;
  /** null for a directly connected destination. */
  nextHop: string | null;
  iface: string | null;
  source: RouteSource;
  event: RouteEvent;
}

export interface RouteLogQuery {
  node?: string;
  /** `10.128.224.2/32`, or a bare address meaning a host route (`10.128.224.2` = /32). */
  prefix?: string;
  event?: RouteEvent | readonly RouteEvent[];
  source?: RouteSource;
  /** Rows at or after this time. */
  from?: SimTime;
  /** Rows at or before this time. */
  until?: SimTime;
}

const EVENTS: readonly RouteEvent[] = ['add', 'replace', 'remove', 'invalid', 'holddown', 'flush', 'garbage'];
const SOURCES: readonly RouteSource[] = ['connected', 'local', 'static', 'rip'];
const EVENT_CODE = new Map(EVENTS.map((e, i) => [e, i]));
const SOURCE_CODE = new Map(SOURCES.map((s, i) => [s, i]));

/** Parses `a.b.c.d/len` or `a.b.c.d` (= /32); throws an Error naming the text otherwise. */
export function parsePrefix(text: string): { prefix: number; prefixLength: number } {
  const slash = text.indexOf('/');
  const addr = tryParseIpv4(slash < 0 ? text : text.slice(0, slash));
  const len = slash < 0 ? 32 : Number(text.slice(slash + 1));
  if (addr === null || !Number.isInteger(len) || len < 0 || len > 32) throw new Error(`invalid prefix "${text}": expected a.b.c.d/len such as 10.128.224.2/32`);
  return { prefix: networkOf(addr, len), prefixLength: len };
}

export class RouteLog {
  private readonly nodes: NetNode[] = [];
  private readonly nodeIndex = new Map<NetNode, number>();
  // A failover run of the write-up's lab logs about 70 changes: nine columns of 1024 each were 24 kB
  // of typed arrays per run, most of a run's allocation outside the packets. Larger labs double it.
  private cap = 128;
  private n = 0;
  private t = new Float64Array(this.cap);
  private node = new Uint16Array(this.cap);
  private prefix = new Uint32Array(this.cap);
  private len = new Uint8Array(this.cap);
  private metric = new Uint8Array(this.cap);
  private nextHop = new Uint32Array(this.cap);
  private ifIndex = new Int16Array(this.cap);
  private source = new Uint8Array(this.cap);
  private event = new Uint8Array(this.cap);

  get length(): number {
    return this.n;
  }

  /** Records every change of `node`'s forwarding table from now on. */
  watch(node: NetNode): void {
    const k = this.indexOf(node);
    node.fib.listeners.push((c: FibChange) => {
      const r = c.route;
      this.push(node.now, k, r.prefix, r.prefixLength, r.metric, r.nextHop, r.ifIndex, r.source, c.kind);
    });
  }

  /** Records the RIP events of a daemon. */
  watchRip(daemon: RipDaemon): void {
    const k = this.indexOf(daemon.node);
    daemon.listeners.push((e: RipDaemonEvent) => this.push(e.time, k, e.prefix, e.prefixLength, e.metric, e.nextHop, e.ifIndex, 'rip', e.kind));
  }

  /** The rows matching `query`, in the order they happened. */
  rows(query: RouteLogQuery = {}): RouteChangeRow[] {
    const out: RouteChangeRow[] = [];
    const match = this.matcher(query);
    for (let i = 0; i < this.n; i++) if (match(i)) out.push(this.row(i));
    return out;
  }

  /**
   * The rows matching `query` whose prefix covers `address` (the routes a packet to it could take),
   * in the order they happened: the question a failover asks of the log every run, answered from
   * the columns without reading every other row.
   */
  covering(address: Ipv4Addr, query: RouteLogQuery = {}): RouteChangeRow[] {
    const out: RouteChangeRow[] = [];
    const match = this.matcher(query);
    for (let i = 0; i < this.n; i++) if (((address & PREFIX_MASKS[this.len[i]!]!) >>> 0) === this.prefix[i] && match(i)) out.push(this.row(i));
    return out;
  }

  /** The first row matching `query`, or undefined. */
  first(query: RouteLogQuery): RouteChangeRow | undefined {
    const match = this.matcher(query);
    for (let i = 0; i < this.n; i++) if (match(i)) return this.row(i);
    return undefined;
  }

  /** When `node` first lost its forwarding entry for `prefix` (at or after `after`), or null. */
  lost(node: string, prefix: string, after: SimTime = 0): SimTime | null {
    return this.first({ node, prefix, event: 'remove', from: after })?.t ?? null;
  }

  /** When `node` first got a forwarding entry for `prefix` (at or after `after`), or null. */
  gained(node: string, prefix: string, after: SimTime = 0): SimTime | null {
    return this.first({ node, prefix, event: 'add', from: after })?.t ?? null;
  }

  private matcher(q: RouteLogQuery): (i: number) => boolean {
    const nodeK = q.node === undefined ? -1 : this.nodes.findIndex((x) => x.name === q.node);
    if (q.node !== undefined && nodeK < 0) return () => false;
    const p = q.prefix === undefined ? null : parsePrefix(q.prefix);
    const events = q.event === undefined ? null : new Set((typeof q.event === 'string' ? [q.event] : q.event).map((e) => EVENT_CODE.get(e)));
    const src = q.source === undefined ? -1 : SOURCE_CODE.get(q.source)!;
    const from = q.from ?? Number.NEGATIVE_INFINITY;
    const until = q.until ?? Number.POSITIVE_INFINITY;
    return (i) =>
      (nodeK < 0 || this.node[i] === nodeK) &&
      (p === null || (this.prefix[i] === p.prefix && this.len[i] === p.prefixLength)) &&
      (events === null || events.has(this.event[i])) &&
      (src < 0 || this.source[i] === src) &&
      this.t[i]! >= from &&
      this.t[i]! <= until;
  }

  private row(i: number): RouteChangeRow {
    const node = this.nodes[this.node[i]!]!;
    const ifIndex = this.ifIndex[i]!;
    const hop = this.nextHop[i]!;
    return {
      t: this.t[i]!,
      node: node.name,
      prefix: `${ipv4ToString(this.prefix[i]!)}/${this.len[i]}`,
      metric: this.metric[i]!,
      nextHop: hop === 0 ? null : ipv4ToString(hop),
      iface: ifIndex < 0 ? null : (node.interfaces[ifIndex]?.name ?? null),
      source: SOURCES[this.source[i]!]!,
      event: EVENTS[this.event[i]!]!,
    };
  }

  private indexOf(node: NetNode): number {
    let k = this.nodeIndex.get(node);
    if (k === undefined) {
      k = this.nodes.length;
      this.nodes.push(node);
      this.nodeIndex.set(node, k);
    }
    return k;
  }

  private push(t: SimTime, node: number, prefix: number, len: number, metric: number, nextHop: number, ifIndex: number, source: RouteSource, event: RouteEvent): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.t[i] = t;
    this.node[i] = node;
    this.prefix[i] = prefix;
    this.len[i] = len;
    this.metric[i] = Math.min(255, metric);
    this.nextHop[i] = nextHop;
    this.ifIndex[i] = ifIndex;
    this.source[i] = SOURCE_CODE.get(source)!;
    this.event[i] = EVENT_CODE.get(event)!;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Float64Array | Uint16Array | Uint32Array | Uint8Array | Int16Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.t = g(this.t, (n) => new Float64Array(n));
    this.node = g(this.node, (n) => new Uint16Array(n));
    this.prefix = g(this.prefix, (n) => new Uint32Array(n));
    this.len = g(this.len, (n) => new Uint8Array(n));
    this.metric = g(this.metric, (n) => new Uint8Array(n));
    this.nextHop = g(this.nextHop, (n) => new Uint32Array(n));
    this.ifIndex = g(this.ifIndex, (n) => new Int16Array(n));
    this.source = g(this.source, (n) => new Uint8Array(n));
    this.event = g(this.event, (n) => new Uint8Array(n));
    this.cap = cap;
  }
}
