/**
 * A RIP routing table as typed arrays: no object per route, so a table of thousands of routes
 * refreshed every 30 s costs a few array writes per entry. Routes are found by interned prefix id
 * (see prefixes.ts) through `slotOf` (id → slot); the per-route arrays are dense by slot, so each
 * router pays for the routes it has, not for every prefix of the network. The first path of a
 * route lives in the arrays; further equal-cost paths (ECMP) in a side map.
 */

/** No route for this prefix (what `kindOf` answers for an absent id). */
export const KIND_NONE = 0;
/** Learned from a neighbour's response (ripd sub-type "n", IOS "R"). */
export const KIND_LEARNED = 1;
/** The connected network of an interface RIP runs on (ripd "i"; IOS "directly connected"). */
export const KIND_INTERFACE = 2;
/** `redistribute connected` (ripd "r", type C). */
export const KIND_CONNECTED = 3;
/** `redistribute static` (ripd "r", type S). */
export const KIND_STATIC = 4;
/** `default-information originate` (ripd "d"). */
export const KIND_DEFAULT = 5;
/** FRR `redistribute kernel` (ripd "r", type K). */
export const KIND_KERNEL = 6;

/** Usable; learned routes are in the forwarding table. */
export const STATE_VALID = 0;
/** RFC 2453 3.8 / FRR: metric 16, out of the forwarding table, deleted at `deadline` (garbage timer). */
export const STATE_GARBAGE = 1;
/** IOS hold-down: metric 16 on the wire, still forwarding ("possibly down"), flushed at `deadline`. */
export const STATE_HOLDDOWN = 2;
/** IOS after a poison or a lost interface: metric 16 on the wire, not forwarding, flushed at `deadline`. */
export const STATE_INACCESSIBLE = 3;

/** One path of a route (the fields the arrays hold for the first path). */
export interface RipPath {
  nextHop: number;
  /** The neighbour whose response it came from (differs from nextHop when the RTE named a next hop). */
  from: number;
  ifIndex: number;
  tag: number;
  /** When the path times out (invalid / timeout timer). */
  deadline: number;
  updatedAt: number;
}

/** A route as a plain value, for consoles and tests. */
export interface RipRouteView {
  id: number;
  kind: number;
  state: number;
  metric: number;
  /** Entry deadline: first path's timeout for a valid learned route, else deletion time. */
  deadline: number;
  holddownUntil: number;
  paths: RipPath[];
}

/**
 * How much an array grows when full. A 32×32 grid's routers hold about 640 routes each: doubling
 * left them 1024 slots of 40 bytes, a third of them never used.
 */
const GROWTH = 1.5;

export class RipTable {
  /** Prefix id → slot, -1 when absent. */
  slotOf = new Int32Array(0);
  /** Slot → prefix id. */
  idOf = new Int32Array(0);
  kind = new Uint8Array(0);
  /** RFC 2453 metric: 1 for a connected network, received + 1 for a learned route, 16 unreachable. */
  metric = new Uint8Array(0);
  state = new Uint8Array(0);
  /** RFC 2453 3.10.1 route change flag: the route goes into the next triggered update. */
  changed = new Uint8Array(0);
  nextHop = new Uint32Array(0);
  from = new Uint32Array(0);
  ifIndex = new Int16Array(0);
  tag = new Uint16Array(0);
  /** Valid learned route: when its first path times out. Otherwise: when the entry is deleted. */
  deadline = new Float64Array(0);
  /** Last update that refreshed the route (IOS ages; IOS flush counts from here). */
  updatedAt = new Float64Array(0);
  /** IOS: end of hold-down, by prefix id (few routes are ever in hold-down, so no array per slot). */
  readonly holddownUntil = new Map<number, number>();
  /** Equal-cost paths after the first, by prefix id. */
  readonly extra = new Map<number, RipPath[]>();
  /** Prefix ids with an entry; in (address, length) order after `sort` until the set changes. */
  readonly ids: number[] = [];
  /** Whether `ids` is in prefix order. */
  sorted = true;
  /**
   * Bumped whenever what an update says or what a received entry is checked against may have
   * changed: an entry added or removed (here), a route changed (timers.ts `changed`), the
   * configuration (router.ts, reconfigure.ts). Output's message cache and input's per-message memo
   * are valid while it stays the same; deadlines and ages are not counted.
   */
  generation = 0;
  private pos = new Int32Array(0);
  private readonly free: number[] = [];
  private used = 0;
  private cap = 0;

  constructor(initialCapacity = 32) {
    this.resize(Math.max(8, initialCapacity));
  }

  get size(): number {
    return this.ids.length;
  }

  /** The slot of prefix `id`, or -1. */
  slot(id: number): number {
    return id < this.slotOf.length ? this.slotOf[id]! : -1;
  }

  has(id: number): boolean {
    return this.slot(id) >= 0;
  }

  kindOf(id: number): number {
    const s = this.slot(id);
    return s < 0 ? KIND_NONE : this.kind[s]!;
  }

  stateOf(id: number): number {
    const s = this.slot(id);
    return s < 0 ? STATE_VALID : this.state[s]!;
  }

  metricOf(id: number): number {
    const s = this.slot(id);
    return s < 0 ? 16 : this.metric[s]!;
  }

  /** Gives prefix `id` a slot (fields zero until the caller sets them) and returns it. */
  add(id: number): number {
    if (id >= this.slotOf.length) {
      const grown = new Int32Array(Math.max(id + 1, Math.ceil(this.slotOf.length * GROWTH), 64)).fill(-1);
      grown.set(this.slotOf);
      this.slotOf = grown;
    }
    this.generation++;
    const existing = this.slotOf[id]!;
    if (existing >= 0) return existing;
    let s = this.free.pop();
    if (s === undefined) {
      if (this.used === this.cap) this.resize(Math.ceil(this.cap * GROWTH));
      s = this.used++;
    }
    this.slotOf[id] = s;
    this.idOf[s] = id;
    this.kind[s] = KIND_NONE;
    this.state[s] = 0;
    this.changed[s] = 0;
    this.metric[s] = 0;
    this.nextHop[s] = 0;
    this.from[s] = 0;
    this.ifIndex[s] = -1;
    this.tag[s] = 0;
    this.deadline[s] = 0;
    this.updatedAt[s] = 0;
    if (this.holddownUntil.size > 0) this.holddownUntil.delete(id);
    this.pos[s] = this.ids.length;
    this.ids.push(id);
    this.sorted = false;
    return s;
  }

  /** Forgets prefix `id` entirely. */
  remove(id: number): void {
    const s = this.slot(id);
    if (s < 0) return;
    this.generation++;
    const p = this.pos[s]!;
    const last = this.ids.pop()!;
    if (last !== id) {
      this.ids[p] = last;
      this.pos[this.slotOf[last]!] = p;
      this.sorted = false;
    }
    this.slotOf[id] = -1;
    this.kind[s] = KIND_NONE;
    this.changed[s] = 0;
    this.extra.delete(id);
    if (this.holddownUntil.size > 0) this.holddownUntil.delete(id);
    this.free.push(s);
  }

  /** Puts `ids` in prefix order (address, then length), as ripd walks its route table. */
  sort(addresses: ArrayLike<number>, lengths: ArrayLike<number>): void {
    if (this.sorted) return;
    this.ids.sort((a, b) => addresses[a]! - addresses[b]! || lengths[a]! - lengths[b]!);
    for (let i = 0; i < this.ids.length; i++) this.pos[this.slotOf[this.ids[i]!]!] = i;
    this.sorted = true;
  }

  /** Number of paths of a learned route (1 + equal-cost extras). */
  pathCount(id: number): number {
    const e = this.extra.get(id);
    return e === undefined ? 1 : 1 + e.length;
  }

  /** The first path of the route in slot `s`, as an object. */
  primary(s: number): RipPath {
    return { nextHop: this.nextHop[s]!, from: this.from[s]!, ifIndex: this.ifIndex[s]!, tag: this.tag[s]!, deadline: this.deadline[s]!, updatedAt: this.updatedAt[s]! };
  }

  /** Every path of route `id` (absent: none), first path first. */
  paths(id: number): RipPath[] {
    const s = this.slot(id);
    if (s < 0) return [];
    const e = this.extra.get(id);
    return e === undefined ? [this.primary(s)] : [this.primary(s), ...e.map((p) => ({ ...p }))];
  }

  /** Replaces the first path of the route in slot `s` with `p`. */
  setPrimary(s: number, p: RipPath): void {
    this.nextHop[s] = p.nextHop;
    this.from[s] = p.from;
    this.ifIndex[s] = p.ifIndex;
    this.tag[s] = p.tag;
    this.deadline[s] = p.deadline;
    this.updatedAt[s] = p.updatedAt;
  }

  /** Route `id` as a plain value, or null. */
  view(id: number): RipRouteView | null {
    const s = this.slot(id);
    if (s < 0) return null;
    return { id, kind: this.kind[s]!, state: this.state[s]!, metric: this.metric[s]!, deadline: this.deadline[s]!, holddownUntil: this.holddownUntil.get(id) ?? 0, paths: this.paths(id) };
  }

  private resize(cap: number): void {
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array | Int16Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const a = make(cap);
      a.set(old as never);
      return a;
    };
    this.idOf = grow(this.idOf, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.metric = grow(this.metric, (n) => new Uint8Array(n));
    this.state = grow(this.state, (n) => new Uint8Array(n));
    this.changed = grow(this.changed, (n) => new Uint8Array(n));
    this.nextHop = grow(this.nextHop, (n) => new Uint32Array(n));
    this.from = grow(this.from, (n) => new Uint32Array(n));
    this.ifIndex = grow(this.ifIndex, (n) => new Int16Array(n));
    this.tag = grow(this.tag, (n) => new Uint16Array(n));
    this.deadline = grow(this.deadline, (n) => new Float64Array(n));
    this.updatedAt = grow(this.updatedAt, (n) => new Float64Array(n));
    this.pos = grow(this.pos, (n) => new Int32Array(n));
    this.cap = cap;
  }
}
