/**
 * The IPv4 forwarding table (FIB): longest-prefix match over routes from every source, with the
 * administrative distance choosing between sources for the same prefix (connected 0, static 1,
 * RIP 120 on IOS; FRR uses the same numbers). Lookups return a union, never null-or-throw.
 */
import type { Ipv4Addr } from '../wire/types';
import { PREFIX_MASKS } from '../wire/addr';
import type { SimTime } from '../sim/time';

export type RouteSource = 'connected' | 'local' | 'static' | 'rip';

export interface FibRoute {
  prefix: Ipv4Addr;
  prefixLength: number;
  /** Next-hop address; 0 for a directly connected destination (deliver to the packet's own dst). */
  nextHop: Ipv4Addr;
  /** Index of the outgoing interface on its node. */
  ifIndex: number;
  source: RouteSource;
  distance: number;
  metric: number;
  /** When the route was installed or last refreshed, for `show ip route` ages. */
  updatedAt: SimTime;
  /**
   * A route with no way out (`ifIndex` -1): `blackhole` drops in silence, `reject` answers with an ICMP
   * host unreachable (Linux RTN_BLACKHOLE / RTN_UNREACHABLE, which zebra installs for FRR's
   * `blackhole`/`Null0` and `reject`: zebra/rt_netlink.c). Absent: an ordinary route.
   */
  blackhole?: 'blackhole' | 'reject';
  /** A Linux kernel route (`route add`, FRR shows `K`) rather than zebra's (`S`) or an IOS static. */
  kernel?: boolean;
}

export const DEFAULT_DISTANCE: Record<RouteSource, number> = {
  connected: 0,
  local: 0,
  static: 1,
  rip: 120,
};

export type FibLookup = { kind: 'found'; route: FibRoute } | { kind: 'none' };

/**
 * Candidate routes for one prefix: every source's offer, the best (lowest distance) first. Nearly
 * every prefix has one, kept as the route itself; an array only when there are several. A 32×32 grid
 * of routers holds 660 000 routes: a holder object and a one-element array for each were 60 MiB of
 * its heap.
 */
type Slot = FibRoute | FibRoute[];

/** A slot's candidates as a list (a fresh one-element array for a single route: not for hot paths). */
function candidatesOf(slot: Slot): FibRoute[] {
  return Array.isArray(slot) ? slot : [slot];
}

/** The best candidate of a slot. */
function bestCandidate(slot: Slot): FibRoute {
  return Array.isArray(slot) ? slot[0]! : slot;
}

/** A slot holding `list` (not empty): the route itself when there is one. */
function slotOf(list: FibRoute[]): Slot {
  return list.length === 1 ? list[0]! : list;
}

/** One remembered answer of `Fib.lookupRoute`. */
interface LookupMemo {
  dst: number;
  version: number;
  route: FibRoute | null;
}

/** A change to the table, for the tidy route-change rows ("when did r3 lose 10.128.224.2?"). */
export interface FibChange {
  kind: 'add' | 'replace' | 'remove';
  route: FibRoute;
}

export class Fib {
  /**
   * Observers of changes. Kept cheap: routing protocols call `upsert` only when something changed,
   * never for a mere refresh, so this does not run per received update.
   */
  readonly listeners: ((change: FibChange) => void)[] = [];

  /**
   * One map per prefix length, keyed by network number; made on the first route of that length. A
   * router uses a handful of the 33 lengths, and 33 empty maps per node were a good part of the
   * time (and garbage) it takes to build a lab of a thousand routers.
   */
  private readonly byLength: (Map<number, Slot> | undefined)[] = new Array<Map<number, Slot> | undefined>(33).fill(undefined);
  /** Prefix lengths in use, longest first, so a lookup probes only lengths that exist. */
  private lengths: number[] = [];
  private count = 0;
  /** Bumped on every change, so callers can cache derived views. */
  version = 0;

  get size(): number {
    return this.count;
  }

  /**
   * Adds or replaces the route for (prefix, length, source, nextHop). Several next hops from one source
   * coexist (equal-cost multipath); the caller removes the ones it withdraws.
   */
  upsert(route: FibRoute): void {
    const len = route.prefixLength;
    const key = (route.prefix & PREFIX_MASKS[len]!) >>> 0;
    route.prefix = key;
    let table = this.byLength[len];
    if (table === undefined) {
      table = new Map();
      this.byLength[len] = table;
    }
    const slot = table.get(key);
    if (slot === undefined) {
      table.set(key, route);
      if (table.size === 1) this.recomputeLengths();
      this.count++;
      this.version++;
      this.notify('add', route);
      return;
    }
    const same = (r: FibRoute) => r.source === route.source && r.nextHop === route.nextHop && r.ifIndex === route.ifIndex;
    if (!Array.isArray(slot) && same(slot)) {
      table.set(key, route);
      this.version++;
      this.notify('replace', route);
      return;
    }
    // A two-element array literal, not `[slot]` then push: push would give it a 17-element store.
    const list = Array.isArray(slot) ? slot : [slot, route];
    const i = list === slot ? list.findIndex(same) : 1;
    if (list === slot) {
      if (i >= 0) list[i] = route;
      else list.push(route);
    }
    list.sort((a, b) => a.distance - b.distance || a.metric - b.metric);
    table.set(key, list);
    this.version++;
    this.notify(list === slot && i >= 0 ? 'replace' : 'add', route);
  }

  /** Removes routes of `source` for the prefix; with `nextHop` given, only that next hop. */
  remove(prefix: Ipv4Addr, prefixLength: number, source: RouteSource, nextHop?: Ipv4Addr): boolean {
    const table = this.byLength[prefixLength];
    if (table === undefined) return false;
    const key = (prefix & PREFIX_MASKS[prefixLength]!) >>> 0;
    const slot = table.get(key);
    if (slot === undefined) return false;
    const candidates = candidatesOf(slot);
    const removed = candidates.filter((r) => r.source === source && (nextHop === undefined || r.nextHop === nextHop));
    if (removed.length === 0) return false;
    const kept = candidates.filter((r) => !removed.includes(r));
    if (kept.length > 0) table.set(key, slotOf(kept));
    for (const r of removed) this.notify('remove', r);
    if (kept.length === 0) {
      table.delete(key);
      this.count--;
      if (table.size === 0) this.recomputeLengths();
    }
    this.version++;
    return true;
  }

  /** Removes every route through interface `ifIndex` (carrier lost, interface shut). */
  removeInterface(ifIndex: number, sources: readonly RouteSource[]): void {
    this.removeWhere((r) => r.ifIndex === ifIndex && sources.includes(r.source));
  }

  /** Removes everything from one source (e.g. a RIP process stopping). */
  removeSource(source: RouteSource): void {
    this.removeWhere((r) => r.source === source);
  }

  /** Removes every candidate route matching `doomed`, telling the listeners about each. */
  removeWhere(doomed: (route: FibRoute) => boolean): void {
    for (const table of this.byLength) {
      if (table === undefined) continue;
      for (const [key, slot] of table) {
        const candidates = candidatesOf(slot);
        const kept = candidates.filter((r) => !doomed(r));
        if (kept.length === candidates.length) continue;
        for (const r of candidates) if (!kept.includes(r)) this.notify('remove', r);
        this.version++;
        if (kept.length === 0) {
          table.delete(key);
          this.count--;
        } else table.set(key, slotOf(kept));
      }
    }
    this.recomputeLengths();
  }

  clear(): void {
    if (this.listeners.length > 0) for (const r of this.routes()) this.notify('remove', r);
    for (const table of this.byLength) table?.clear();
    this.lengths = [];
    this.count = 0;
    this.version++;
  }

  /** Longest-prefix match; among equal-distance candidates the first (stable) wins. */
  lookup(dst: Ipv4Addr): FibLookup {
    const route = this.lookupRoute(dst);
    return route === null ? { kind: 'none' } : { kind: 'found', route };
  }

  /**
   * The last two answers of `lookupRoute`, one per parity of the destination (a router in the labs
   * forwards queries one way and answers the other), each valid while `version` is the one it was
   * computed at: a hit returns the very route a lookup would.
   */
  private readonly memo: [LookupMemo, LookupMemo] = [
    { dst: -1, version: -1, route: null },
    { dst: -1, version: -1, route: null },
  ];

  /** `lookup` without the result object, for the per-packet paths (forwarding, sending). */
  lookupRoute(dst: Ipv4Addr): FibRoute | null {
    const memo = this.memo[dst & 1]!;
    if (memo.dst === dst && memo.version === this.version) return memo.route;
    const route = this.longestMatch(dst);
    memo.dst = dst;
    memo.version = this.version;
    memo.route = route;
    return route;
  }

  private longestMatch(dst: Ipv4Addr): FibRoute | null {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i]!;
      const slot = this.byLength[len]!.get((dst & PREFIX_MASKS[len]!) >>> 0);
      if (slot !== undefined) return bestCandidate(slot);
    }
    return null;
  }

  /**
   * The best candidates for a destination: all routes of the winning prefix that share the best
   * distance and metric (several when equal-cost multipath is in use).
   */
  lookupAll(dst: Ipv4Addr): FibRoute[] {
    for (const len of this.lengths) {
      const slot = this.byLength[len]!.get((dst & PREFIX_MASKS[len]!) >>> 0);
      if (slot !== undefined) {
        const best = bestCandidate(slot);
        return candidatesOf(slot).filter((r) => r.distance === best.distance && r.metric === best.metric);
      }
    }
    return [];
  }

  /** Exact-prefix query: every candidate for the prefix, best first. */
  get(prefix: Ipv4Addr, prefixLength: number): readonly FibRoute[] {
    const slot = this.byLength[prefixLength]?.get((prefix & PREFIX_MASKS[prefixLength]!) >>> 0);
    return slot === undefined ? [] : candidatesOf(slot);
  }

  /** Every candidate route from the given sources, installed or not. */
  routesOf(sources: readonly RouteSource[]): FibRoute[] {
    const out: FibRoute[] = [];
    for (const table of this.byLength) if (table !== undefined) for (const slot of table.values()) for (const r of candidatesOf(slot)) if (sources.includes(r.source)) out.push(r);
    return out;
  }

  /** Every installed (best) route, ordered by prefix then length, as `show ip route` lists them. */
  routes(): FibRoute[] {
    const out: FibRoute[] = [];
    for (const table of this.byLength) if (table !== undefined) for (const slot of table.values()) out.push(...bestOf(candidatesOf(slot)));
    return out.sort((a, b) => a.prefix - b.prefix || a.prefixLength - b.prefixLength || a.nextHop - b.nextHop);
  }

  private notify(kind: FibChange['kind'], route: FibRoute): void {
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i]!({ kind, route });
  }

  private recomputeLengths(): void {
    const lengths: number[] = [];
    for (let len = 32; len >= 0; len--) if ((this.byLength[len]?.size ?? 0) > 0) lengths.push(len);
    this.lengths = lengths;
  }
}

function bestOf(candidates: FibRoute[]): FibRoute[] {
  const best = candidates[0]!;
  return candidates.filter((r) => r.distance === best.distance && r.metric === best.metric && r.source === best.source);
}
