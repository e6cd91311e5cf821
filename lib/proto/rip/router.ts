/**
 * The RIP process of one router, as a state machine. It is handed the time with every call, an rng,
 * and ports for everything outside it (one re-armable timer, sending, the forwarding table, events);
 * it never reads a clock and knows nothing of nodes or sockets (lib/net/rip-daemon.ts binds it).
 *
 * One short handler per RFC 2453 event, after ripd's structure (FRR `ripd/ripd.c`):
 *   `onPacket`    → `response()` (3.9.2, ripd `rip_response_process`/`rip_rte_process`) or
 *                   `request()` (3.9.1, ripd `rip_request_process`)
 *   `onTimer`     → interface wake-up (request at start, 3.9.1), route timers (3.8: timeout, then
 *                   garbage collection or IOS hold-down and flush), the periodic update (3.8, with
 *                   jitter) and the triggered update (3.10.1, 1–5 s hold-off, merged while pending)
 *   `onInterfaceChange` → routes through a lost interface become unreachable; connected ones follow
 *
 * Timers are deadlines in the table's arrays; one port timer is armed at the earliest of them
 * (no timer per route). Metrics inside are RFC metrics (connected 1, learned = received + 1).
 */
import type { SimTime } from '../../sim/time';
import { seconds } from '../../sim/time';
import { WireError } from '../../wire/errors';
import {
  RIP_AFI_AUTH,
  RIP_AFI_INET,
  RIP_MAX_ENTRIES,
  RIP_METRIC_INFINITY,
  RIP_MULTICAST_GROUP,
  RIP_PACKED_METRIC_BITS,
  RIP_PORT,
  RIP_REQUEST,
  RIP_RESPONSE,
  RipPayload,
  emitRip,
  isWholeTableRequest,
  parseRip,
  type RipMessage,
} from '../../wire/rip';
import type { RipConfig, RipProfile, SplitHorizonMode } from './params';
import { PrefixTable } from './prefixes';
import {
  KIND_CONNECTED,
  KIND_DEFAULT,
  KIND_INTERFACE,
  KIND_LEARNED,
  KIND_STATIC,
  RipTable,
  STATE_GARBAGE,
  STATE_HOLDDOWN,
  STATE_INACCESSIBLE,
  STATE_VALID,
  type RipPath,
} from './table';
import { classfulLength, prefixMask, maskToPrefixLength } from '../../wire/addr';

/** What the router needs to know about an interface (lib/net's Interface has these fields). */
export interface RipInterfaceView {
  readonly index: number;
  readonly name: string;
  readonly addresses: readonly { readonly address: number; readonly prefixLength: number }[];
  readonly operational: boolean;
  readonly loopback: boolean;
}

/** Events for the route log that the forwarding table cannot show. */
export type RipEventKind = 'invalid' | 'holddown' | 'flush' | 'garbage';

/** A source of uniform random numbers in [0, 1) (lib/sim's Rng). */
export interface RandomSource {
  next(): number;
}

export interface RipPorts {
  /** Arms the router's one timer to call `onTimer` at `at`; Infinity disarms it. */
  setTimer(at: SimTime): void;
  /** Sends a RIP message out of interface `ifIndex` from `src` to `dst:dstPort`; `ttl` null: the stack's default. */
  send(ifIndex: number, src: number, dst: number, dstPort: number, payload: RipPayload | Uint8Array, ttl: number | null): void;
  /** The paths of prefix `id` changed: make the forwarding table match `router.forwardingPaths(id)`. */
  routeChanged(id: number): void;
  /** An update refreshed path `nextHop` of `id` (IOS resets the route's age). */
  routeRefreshed(id: number, nextHop: number, now: SimTime): void;
  /** A RIP-level event for the route log (called before the entry changes, so its fields are readable). */
  event(kind: RipEventKind, id: number, now: SimTime): void;
  /** Static routes in the forwarding table, for `redistribute static`. */
  staticRoutes(): readonly { prefix: number; prefixLength: number; ifIndex: number }[];
}

/** What `show ip protocols` / `show ip rip status` list about each neighbour heard from. */
export interface RipPeer {
  address: number;
  ifIndex: number;
  lastUpdate: SimTime;
  version: number;
  badPackets: number;
  badRoutes: number;
}

const SH_ON = 0;
const SH_OFF = 1;
const SH_POISON = 2;
const SH_CODES: Record<SplitHorizonMode, number> = { on: SH_ON, off: SH_OFF, 'poisoned-reverse': SH_POISON };

const INF = Number.POSITIVE_INFINITY;
const METRIC_MASK = (1 << RIP_PACKED_METRIC_BITS) - 1;

/**
 * Shared buffer space for messages in flight: each message's packed entries are a window of one
 * chunk, so building a message allocates no typed array. A full chunk is left to the payloads that
 * point into it (collected once they are delivered) and a new one started.
 */
const ARENA_SIZE = 1 << 16;
let arena = new Int32Array(ARENA_SIZE);
let arenaPos = 0;


export class RipRouter {
  readonly table = new RipTable();
  readonly profile: RipProfile;
  readonly peers = new Map<number, RipPeer>();
  /** When the next periodic update goes out. */
  nextUpdateAt = INF;
  /** Statistics, as `show ip rip status` and benchmarks read them. */
  readonly stats = { updatesSent: 0, packetsSent: 0, responsesReceived: 0, requestsReceived: 0, badPackets: 0, badRoutes: 0, triggeredUpdates: 0 };
  private triggerAt = INF;
  private holdoffUntil = 0;
  private nextRouteCheck = INF;
  private armedAt = INF;
  private stopped = false;
  private started = false;
  private readonly enabled: Uint8Array;
  private readonly running: Uint8Array;
  private readonly passive: Uint8Array;
  private readonly split: Uint8Array;
  private readonly wakeupAt: Float64Array;
  private readonly changedIds: number[] = [];
  private readonly fibAgeRefresh: boolean;
  /** Bit v set: version v is accepted. */
  private readonly receiveMask: number;
  // Scratch space for building one message (never escapes: copied when a payload is made).
  private readonly sHops = new Uint32Array(RIP_MAX_ENTRIES);
  private readonly sTags = new Uint16Array(RIP_MAX_ENTRIES);

  constructor(
    readonly config: RipConfig,
    readonly interfaces: readonly RipInterfaceView[],
    readonly prefixes: PrefixTable,
    private readonly rng: RandomSource,
    private readonly ports: RipPorts,
  ) {
    this.profile = config.profile;
    this.fibAgeRefresh = config.profile.fibAgeRefresh;
    this.receiveMask = config.receiveVersions.reduce((m, v) => m | (1 << v), 0);
    const n = interfaces.length;
    this.enabled = new Uint8Array(n);
    this.running = new Uint8Array(n);
    this.passive = new Uint8Array(n);
    this.split = new Uint8Array(n);
    this.wakeupAt = new Float64Array(n).fill(INF);
    for (const i of interfaces) {
      const listed = config.passiveExceptions.includes(i.name);
      this.passive[i.index] = (config.passiveDefault ? !listed : listed) ? 1 : 0;
      this.split[i.index] = SH_CODES[config.splitHorizon[i.name] ?? this.profile.splitHorizon];
    }
  }

  // ---- life cycle ------------------------------------------------------------------------------

  /** The process starts (router boots, ripd is started). */
  start(now: SimTime): void {
    this.started = true;
    for (const i of this.interfaces) this.updateEnabled(i);
    this.nextUpdateAt = now + this.profile.firstUpdate;
    for (const i of this.interfaces) if (this.enabled[i.index] === 1 && i.operational) this.wakeupAt[i.index] = now + this.profile.interfaceWakeup;
    this.reconcileLocal(now);
    this.arm();
  }

  /**
   * The process stops. Routes leave the forwarding table (ripd `rip_clean()` →
   * `rip_instance_disable()` deletes them from zebra; after a crash zebra removes a dead client's
   * routes itself), nothing is sent (unless the profile says a graceful stop poisons).
   */
  stop(graceful: boolean): void {
    if (this.stopped) return;
    if (graceful && this.profile.gracefulStopPoisons) {
      for (const id of this.table.ids) this.table.metric[this.table.slot(id)] = RIP_METRIC_INFINITY;
      this.sendUpdates(false);
    }
    this.stopped = true;
    const t = this.table;
    const learned = t.ids.filter((id) => t.kindOf(id) === KIND_LEARNED);
    for (const id of [...t.ids]) t.remove(id);
    for (const id of learned) this.ports.routeChanged(id);
    this.ports.setTimer(INF);
    this.armedAt = INF;
  }

  get isRunning(): boolean {
    return this.started && !this.stopped;
  }

  // ---- inspection ------------------------------------------------------------------------------

  /** Paths that belong in the forwarding table for `id` (none unless learned and usable). */
  forwardingPaths(id: number): RipPath[] {
    const t = this.table;
    const s = t.slot(id);
    if (s < 0 || t.kind[s] !== KIND_LEARNED) return [];
    const st = t.state[s];
    if (st !== STATE_VALID && st !== STATE_HOLDDOWN) return [];
    return t.paths(id);
  }

  /** IOS "possibly down": in hold-down, still forwarding. */
  isPossiblyDown(id: number): boolean {
    return this.table.has(id) && this.table.stateOf(id) === STATE_HOLDDOWN;
  }

  interfaceStatus(index: number): { enabled: boolean; running: boolean; passive: boolean; splitHorizon: SplitHorizonMode } {
    const sh = this.split[index];
    return {
      enabled: this.enabled[index] === 1,
      running: this.running[index] === 1,
      passive: this.passive[index] === 1,
      splitHorizon: sh === SH_ON ? 'on' : sh === SH_OFF ? 'off' : 'poisoned-reverse',
    };
  }

  // ---- timers ----------------------------------------------------------------------------------

  /** The port timer fired. */
  onTimer(now: SimTime): void {
    if (this.stopped) return;
    this.armedAt = INF;
    for (let i = 0; i < this.wakeupAt.length; i++) if (this.wakeupAt[i]! <= now) this.wakeup(i);
    if (this.nextRouteCheck <= now) this.sweep(now);
    if (this.nextUpdateAt <= now) this.periodicUpdate(now);
    if (this.triggerAt <= now) this.triggeredUpdate(now);
    this.arm();
  }

  /** Arms the port timer at the earliest pending deadline. */
  private arm(): void {
    let at = this.nextUpdateAt;
    if (this.triggerAt < at) at = this.triggerAt;
    if (this.nextRouteCheck < at) at = this.nextRouteCheck;
    for (let i = 0; i < this.wakeupAt.length; i++) if (this.wakeupAt[i]! < at) at = this.wakeupAt[i]!;
    if (at !== this.armedAt) {
      this.armedAt = at;
      this.ports.setTimer(at);
    }
  }

  /** A deadline was set that may come before every other: make sure the timer fires by then. */
  private deadlineAt(at: SimTime): void {
    if (at < this.nextRouteCheck) {
      this.nextRouteCheck = at;
      if (at < this.armedAt) {
        this.armedAt = at;
        this.ports.setTimer(at);
      }
    }
  }

  /** RFC 2453 3.9.1 / ripd `rip_interface_wakeup()`: the interface runs RIP and asks for the whole table. */
  private wakeup(i: number): void {
    this.wakeupAt[i] = INF;
    const iface = this.interfaces[i]!;
    if (!iface.operational || this.enabled[i] !== 1) return;
    this.running[i] = 1;
    // ripd `rip_request_interface()`: never on loopback.
    if (iface.loopback || iface.addresses.length === 0) return;
    const v = this.config.sendVersion;
    const src = iface.addresses[0]!.address;
    if (v === 2) this.send(i, src, RIP_MULTICAST_GROUP, RIP_PORT, RipPayload.wholeTableRequest(2), this.profile.multicastTtl);
    else this.send(i, src, this.broadcastOf(i), RIP_PORT, RipPayload.wholeTableRequest(1), null);
  }

  /** RFC 2453 3.8: the periodic update, then the next one after a jittered interval. */
  private periodicUpdate(now: SimTime): void {
    this.sendUpdates(false);
    // ripd `rip_update()`: "Triggered updates may be suppressed if a regular update is due by the
    // time the triggered update would be sent": a pending triggered update and its hold-off are dropped.
    this.triggerAt = INF;
    this.holdoffUntil = 0;
    // NOTE: ripd leaves the route change flags set here (the next triggered update then repeats
    // routes this full update just sent); we clear them, as RFC 2453 3.10.1 implies.
    this.clearChanged();
    this.nextUpdateAt = now + this.updateInterval();
  }

  private updateInterval(): number {
    const { update } = this.profile.timers;
    const j = this.profile.jitter;
    switch (j.kind) {
      case 'subtract':
        return update - Math.floor(this.rng.next() * j.maxFraction * update);
      case 'frr-quarter': {
        // ripd `rip_update_jitter()`: jitter = (random() % (2u + 1) - u) / 4 in whole seconds (C division).
        const u = Math.max(4, Math.floor(update / seconds(1)));
        const r = Math.floor(this.rng.next() * (2 * u + 1)) - u;
        return seconds(Math.floor(update / seconds(1)) + Math.trunc(r / 4));
      }
      case 'uniform':
        return update + j.min + Math.floor(this.rng.next() * (j.max - j.min + 1));
    }
  }

  /** Asks for a triggered update (RFC 2453 3.10.1): now, or when the running hold-off ends. */
  private trigger(now: SimTime): void {
    if (this.triggerAt !== INF) return; // one is pending: changes merge into it
    this.triggerAt = this.holdoffUntil > now ? this.holdoffUntil : now;
    if (this.triggerAt < this.armedAt) {
      this.armedAt = this.triggerAt;
      this.ports.setTimer(this.triggerAt);
    }
  }

  /** ripd `rip_triggered_update()`: changed routes only, then a 1–5 s hold-off. */
  private triggeredUpdate(now: SimTime): void {
    this.triggerAt = INF;
    this.stats.triggeredUpdates++;
    this.sendUpdates(true);
    this.clearChanged();
    const h = this.profile.triggeredHoldoff;
    const hold = h.wholeSeconds
      ? seconds(Math.floor(h.min / seconds(1)) + Math.floor(this.rng.next() * (Math.floor(h.max / seconds(1)) - Math.floor(h.min / seconds(1)) + 1)))
      : h.min + Math.floor(this.rng.next() * (h.max - h.min + 1));
    this.holdoffUntil = now + hold;
  }

  private markChanged(id: number): void {
    const t = this.table;
    const s = t.slot(id);
    if (s >= 0 && t.changed[s] === 0) {
      t.changed[s] = 1;
      this.changedIds.push(id);
    }
  }

  private clearChanged(): void {
    const t = this.table;
    for (const id of this.changedIds) {
      const s = t.slot(id);
      if (s >= 0) t.changed[s] = 0;
    }
    this.changedIds.length = 0;
  }

  /** Route timers (RFC 2453 3.8): paths time out, entries past garbage collection or flush go. */
  private sweep(now: SimTime): void {
    const t = this.table;
    const ids = t.ids;
    let next = INF;
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i]!;
      const s = t.slotOf[id]!;
      const st = t.state[s];
      if (st === STATE_VALID) {
        if (t.kind[s] !== KIND_LEARNED) continue;
        const extra = t.extra.get(id);
        if (extra !== undefined) this.expireExtras(now, id, extra);
        while (t.slot(id) === s && t.state[s] === STATE_VALID && t.deadline[s]! <= now) this.expirePrimary(now, id);
      } else if (t.deadline[s]! <= now) {
        this.deleteEntry(now, id);
      }
      if (t.slot(id) !== s) continue;
      const d = t.deadline[s]!;
      if (d < next) next = d;
      const extra = t.extra.get(id);
      if (extra !== undefined) for (const p of extra) if (p.deadline < next) next = p.deadline;
    }
    this.nextRouteCheck = next;
  }

  private expireExtras(now: SimTime, id: number, extra: RipPath[]): void {
    const kept = extra.filter((p) => p.deadline > now);
    if (kept.length === extra.length) return;
    if (kept.length === 0) this.table.extra.delete(id);
    else this.table.extra.set(id, kept);
    // ripd `rip_ecmp_delete()` with other paths left: the path goes, the route changes.
    this.markChanged(id);
    this.trigger(now);
    this.ports.routeChanged(id);
  }

  /** The first path timed out: the next equal-cost path takes its place, or the route is invalid. */
  private expirePrimary(now: SimTime, id: number): void {
    const t = this.table;
    const extra = t.extra.get(id);
    if (extra !== undefined && extra.length > 0) {
      t.setPrimary(t.slot(id), extra.shift()!);
      if (extra.length === 0) t.extra.delete(id);
      this.markChanged(id);
      this.trigger(now);
      this.ports.routeChanged(id);
      return;
    }
    if (this.profile.onInvalid === 'holddown') this.toHolddown(now, id);
    else this.toGarbage(now, id);
  }

  /** RFC 2453 3.8 / ripd `rip_ecmp_delete()`: metric 16, out of the forwarding table, deleted `garbage` later. */
  private toGarbage(now: SimTime, id: number): void {
    this.unreachableFor(now, id, STATE_GARBAGE, this.garbageTime());
  }

  /**
   * Metric 16, out of the forwarding table, advertised as unreachable (and so triggered) until
   * `lifetime` from now, then deleted: FRR's garbage state and IOS's inaccessible one.
   */
  private unreachableFor(now: SimTime, id: number, state: typeof STATE_GARBAGE | typeof STATE_INACCESSIBLE, lifetime: number): void {
    const t = this.table;
    const s = t.slot(id);
    this.ports.event('invalid', id, now);
    t.metric[s] = RIP_METRIC_INFINITY;
    t.state[s] = state;
    t.extra.delete(id);
    t.deadline[s] = now + lifetime;
    this.deadlineAt(t.deadline[s]!);
    this.markChanged(id);
    this.trigger(now);
    this.ports.routeChanged(id);
  }

  /**
   * IOS: invalid ⇒ hold-down. Advertised with metric 16 ("marked inaccessible and advertised as
   * unreachable"), still forwarding, better routes from others ignored until `holddown` has passed;
   * removed at `flush` counted from the last update (IOS cmd ref, `timers basic`).
   */
  private toHolddown(now: SimTime, id: number): void {
    const t = this.table;
    const s = t.slot(id);
    const timers = this.profile.timers;
    this.ports.event('invalid', id, now);
    t.metric[s] = RIP_METRIC_INFINITY;
    t.state[s] = STATE_HOLDDOWN;
    t.extra.delete(id);
    t.holddownUntil[s] = now + (timers.holddown ?? 0);
    t.deadline[s] = t.updatedAt[s]! + (timers.flush ?? timers.invalid + (timers.garbage ?? 0));
    this.markChanged(id);
    this.trigger(now);
    if (t.deadline[s]! <= now) {
      this.deleteEntry(now, id);
      return;
    }
    this.ports.event('holddown', id, now);
    this.deadlineAt(t.deadline[s]!);
  }

  /** IOS after a poison or a lost interface: out of the forwarding table, metric 16 until flushed. */
  private toInaccessible(now: SimTime, id: number): void {
    this.unreachableFor(now, id, STATE_INACCESSIBLE, this.flushAfterInvalid());
  }

  /** FRR garbage time; on IOS the time a dead route is still advertised (flush − invalid). */
  private garbageTime(): number {
    const t = this.profile.timers;
    return t.garbage ?? this.flushAfterInvalid();
  }

  private flushAfterInvalid(): number {
    const t = this.profile.timers;
    if (t.flush !== null) return Math.max(0, t.flush - t.invalid);
    return t.garbage ?? 0;
  }

  /** The entry goes for good: IOS flush, FRR garbage collection (ripd `rip_garbage_collect()`). */
  private deleteEntry(now: SimTime, id: number): void {
    const t = this.table;
    const s = t.slot(id);
    const wasForwarding = t.kind[s] === KIND_LEARNED && t.state[s] === STATE_HOLDDOWN;
    this.ports.event(this.profile.onInvalid === 'holddown' ? 'flush' : 'garbage', id, now);
    t.remove(id);
    if (wasForwarding) this.ports.routeChanged(id);
  }

  // ---- input -----------------------------------------------------------------------------------

  /** A RIP datagram arrived on interface `ifIndex` from `src:srcPort`. */
  onPacket(now: SimTime, ifIndex: number, src: number, srcPort: number, payload: RipPayload | Uint8Array): void {
    if (this.stopped || !this.started) return;
    // ripd `rip_read()`: ignore our own packets; the source must be on a connected network of the
    // interface (RFC 2453 3.9.2); RIP must run there, or the sender be a configured neighbour.
    const addr = this.connectedAddress(ifIndex, src);
    if (addr < 0) {
      if (addr === -2 || this.isOwnAddress(src)) return;
      this.badPacket(src, ifIndex);
      return;
    }
    if (this.interfaces[ifIndex]!.addresses[addr]!.address === src) return;
    if (this.running[ifIndex] !== 1 && !this.config.neighbors.includes(src)) return;
    let command: number;
    let version: number;
    let message: RipMessage | null = null;
    if (payload instanceof RipPayload && payload.version !== 1) {
      command = payload.command;
      version = payload.version;
    } else if (payload instanceof RipPayload) {
      // RIP-1 carries no masks: read it as the bytes it is, so the receiver guesses them itself.
      message = payload.toMessage();
      command = message.command;
      version = message.version;
    } else {
      try {
        message = parseRip(payload);
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
        this.badPacket(src, ifIndex);
        return;
      }
      command = message.command;
      version = message.version;
    }
    // ripd: version 0 is refused; anything above 2 is read as 2 (RFC 1058 forward compatibility).
    if (version === 0) return this.badPacket(src, ifIndex);
    if (version > 2) version = 2;
    if ((this.receiveMask & (1 << version)) === 0) return this.badPacket(src, ifIndex);
    if (command === RIP_RESPONSE) {
      // RFC 2453 3.9.2: "The Response must be ignored if it is not from the RIP port."
      if (srcPort !== RIP_PORT) return this.badPacket(src, ifIndex);
      this.stats.responsesReceived++;
      const peer = this.peer(src, ifIndex);
      peer.lastUpdate = now;
      peer.version = version;
      if (message === null) this.responseFast(now, ifIndex, src, payload as RipPayload);
      else this.response(now, ifIndex, src, addr, version, message);
    } else if (command === RIP_REQUEST || command === 5) {
      this.stats.requestsReceived++;
      this.request(ifIndex, src, srcPort, version, payload, message);
    } else {
      this.badPacket(src, ifIndex);
    }
  }

  /** A response in the simulator's compact form: prefix ids are already interned. */
  private responseFast(now: SimTime, ifIndex: number, src: number, payload: RipPayload): void {
    const buf = payload.buf;
    if (buf === null) return;
    if (payload.dict !== this.prefixes) {
      // From a router of another network (tests): read it as bytes.
      this.response(now, ifIndex, src, this.connectedAddress(ifIndex, src), payload.version, payload.toMessage());
      return;
    }
    const valid = this.prefixes.valid;
    const hops = payload.nextHops;
    const tags = payload.tags;
    const v1 = payload.version === 1;
    const base = payload.offset;
    const t = this.table;
    const refreshAge = this.fibAgeRefresh;
    const deadline = now + this.profile.timers.invalid;
    const singlePath = this.config.maxPaths <= 1;
    // The table's arrays, re-read after any slow-path call (it may grow them).
    let slotOf = t.slotOf;
    let state = t.state;
    let kind = t.kind;
    let from = t.from;
    let ifA = t.ifIndex;
    let metricA = t.metric;
    let tagA = t.tag;
    let hopA = t.nextHop;
    let deadlineA = t.deadline;
    let updatedA = t.updatedAt;
    for (let i = 0; i < payload.count; i++) {
      const packed = buf[base + i]!;
      const id = packed >> RIP_PACKED_METRIC_BITS;
      const m = packed & METRIC_MASK;
      // RFC 2453 3.9.2: destination valid (unicast, not net 0 or 127), metric 1–16.
      if (valid[id] !== 1 || m < 1 || m > RIP_METRIC_INFINITY) {
        this.badRoute(src);
        continue;
      }
      let nextHop = src;
      if (!v1 && hops !== null && hops[i] !== 0) {
        nextHop = this.resolveNextHop(hops[i]!, src);
        if (nextHop === 0) continue;
      }
      const tag = v1 || tags === null ? 0 : tags[i]!;
      // Fast path, the steady state of a converged network: the same route again from the
      // neighbour we route through: only its timeout is reinitialized (see `rte`).
      const s = id < slotOf.length ? slotOf[id]! : -1;
      if (s >= 0 && state[s] === STATE_VALID && kind[s] === KIND_LEARNED) {
        const metric = m >= RIP_METRIC_INFINITY ? RIP_METRIC_INFINITY : m + 1;
        if (from[s] === src && ifA[s] === ifIndex) {
          if (metricA[s] === metric && tagA[s] === tag && hopA[s] === nextHop) {
            deadlineA[s] = deadline;
            updatedA[s] = now;
            if (refreshAge) this.ports.routeRefreshed(id, nextHop, now);
            continue;
          }
        } else if ((metric > metricA[s]! && !(t.extra.size > 0 && t.extra.has(id))) || (metric === metricA[s] && singlePath)) {
          // Not better, from a neighbour we do not route through: nothing to do (see `rte`). With
          // equal-cost paths the neighbour may be one of them: a worse metric (its poison) drops that path.
          continue;
        }
      }
      this.rte(now, id, m, nextHop, tag, src, ifIndex);
      slotOf = t.slotOf;
      state = t.state;
      kind = t.kind;
      from = t.from;
      ifA = t.ifIndex;
      metricA = t.metric;
      tagA = t.tag;
      hopA = t.nextHop;
      deadlineA = t.deadline;
      updatedA = t.updatedAt;
    }
  }

  /** A response as a parsed message (bytes from a test, a capture replay, or version 1 rules). */
  private response(now: SimTime, ifIndex: number, src: number, ifAddrIndex: number, version: number, message: RipMessage): void {
    const entries = message.entries;
    // RFC 2453 5.2: without authentication configured, authenticated RIP-2 messages are discarded.
    if (version === 2 && entries.length > 0 && entries[0]!.afi === RIP_AFI_AUTH) return this.badPacket(src, ifIndex);
    const ifAddr = this.interfaces[ifIndex]!.addresses[ifAddrIndex]!;
    for (const e of entries) {
      if (e.afi !== RIP_AFI_INET) continue; // ripd: "Unsupported family"
      let address = e.address;
      let mask = e.mask;
      if (e.metric < 1 || e.metric > RIP_METRIC_INFINITY) {
        this.badRoute(src);
        continue;
      }
      if (version === 1 && (e.nextHop !== 0 || e.mask !== 0 || e.tag !== 0)) {
        this.badRoute(src); // RFC 1058: must-be-zero fields that are not zero
        continue;
      }
      if (address !== 0 && (version === 1 || mask === 0)) {
        // ripd's classful guess for RIP-1 (and RIP-2 without a mask): the interface's own mask
        // inside its own major network, else the class mask.
        const m = this.guessMask(address, ifAddr.address, ifAddr.prefixLength);
        if (m === null) continue;
        mask = m;
      }
      const len = maskToPrefixLength(mask);
      if (len === null || ((address & mask) >>> 0) !== address) {
        this.badRoute(src); // "RIPv2 address is not mask applied one"
        continue;
      }
      if (address === 0) mask = 0; // default route: netmask ignored
      address >>>= 0;
      const id = this.prefixes.intern(address, address === 0 ? 0 : len);
      if (this.prefixes.valid[id] !== 1) {
        this.badRoute(src);
        continue;
      }
      let nextHop = src;
      if (version === 2 && e.nextHop !== 0) {
        nextHop = this.resolveNextHop(e.nextHop, src);
        if (nextHop === 0) continue;
      }
      this.rte(now, id, e.metric, nextHop, version === 2 ? e.tag : 0, src, ifIndex);
    }
  }

  /** ripd's mask guess for entries without one (`rip_response_process`). null: the entry is skipped. */
  private guessMask(address: number, ifAddress: number, ifLength: number): number | null {
    const classLen = classfulLength(address);
    const ifClassLen = classfulLength(ifAddress);
    const subnetted = ifLength > ifClassLen;
    const ifClassNet = (ifAddress & prefixMask(ifClassLen)) >>> 0;
    if (subnetted && ((address & prefixMask(ifClassLen)) >>> 0) === ifClassNet) {
      const m = prefixMask(ifLength);
      return ((address & m) >>> 0) === address ? m : prefixMask(32);
    }
    const m = prefixMask(classLen);
    return ((address & m) >>> 0) === address ? m : null;
  }

  /**
   * RFC 2453 4.4 next hop: used when it is on a directly connected network (and not one of ours);
   * otherwise the sender is the next hop. 0: skip the entry (a multicast next hop, or ourselves).
   */
  private resolveNextHop(nh: number, src: number): number {
    if (nh >>> 28 === 0xe) return 0;
    if (this.isOwnAddress(nh)) return 0;
    for (const i of this.interfaces) {
      if (!i.operational) continue;
      for (const a of i.addresses) if (((a.address ^ nh) & prefixMask(a.prefixLength)) === 0) return nh;
    }
    return src;
  }

  /**
   * One route entry (RFC 2453 3.9.2; ripd `rip_rte_process()`): add the interface cost, then take the
   * route if it is new, better, or from the neighbour we route through; refresh its timer if unchanged.
   */
  private rte(now: SimTime, id: number, wireMetric: number, nextHop: number, tag: number, src: number, ifIndex: number): void {
    const t = this.table;
    const metric = wireMetric >= RIP_METRIC_INFINITY ? RIP_METRIC_INFINITY : wireMetric + 1;
    const s = id < t.slotOf.length ? t.slotOf[id]! : -1;
    if (s < 0) {
      // "If there is no such route, add this route ... unless the metric is infinity."
      if (metric < RIP_METRIC_INFINITY) this.install(now, id, metric, nextHop, src, ifIndex, tag);
      return;
    }
    const st = t.state[s];
    if (t.kind[s] !== KIND_LEARNED) {
      // Our own (connected, redistributed) route wins while it is alive (lower distance in ripd).
      if (st !== STATE_VALID && metric < RIP_METRIC_INFINITY) this.install(now, id, metric, nextHop, src, ifIndex, tag);
      return;
    }
    if (st !== STATE_VALID) {
      if (st === STATE_HOLDDOWN && now < t.holddownUntil[s]!) {
        // IOS hold-down: "routing information regarding better paths is suppressed".
        if (metric < RIP_METRIC_INFINITY && this.profile.holddownAcceptsSameSource && t.from[s] === src && t.ifIndex[s] === ifIndex) {
          this.install(now, id, metric, nextHop, src, ifIndex, tag);
        }
        return;
      }
      // Unreachable entry waiting for deletion: any usable route replaces it.
      if (metric < RIP_METRIC_INFINITY) this.install(now, id, metric, nextHop, src, ifIndex, tag);
      return;
    }
    const cur = t.metric[s]!;
    if (t.from[s] === src && t.ifIndex[s] === ifIndex) {
      // From the neighbour we route through (ripd "same").
      if (metric === cur) {
        if (tag !== t.tag[s] || nextHop !== t.nextHop[s]) {
          t.tag[s] = tag;
          const hopChanged = nextHop !== t.nextHop[s];
          t.nextHop[s] = nextHop;
          this.markChanged(id);
          this.trigger(now);
          if (hopChanged) this.ports.routeChanged(id);
        }
        // "reinitialize the timeout" — the hot path of a converged network.
        t.deadline[s] = now + this.profile.timers.invalid;
        t.updatedAt[s] = now;
        if (this.fibAgeRefresh) this.ports.routeRefreshed(id, nextHop, now);
        return;
      }
      if (t.extra.size > 0 && t.extra.has(id)) {
        // Several paths: a better metric replaces them all, a worse one drops this path (ripd).
        if (metric < cur) this.install(now, id, metric, nextHop, src, ifIndex, tag);
        else this.dropPrimary(now, id);
        return;
      }
      if (metric === RIP_METRIC_INFINITY) {
        this.poisoned(now, id);
        return;
      }
      // "If the datagram is from the same router as the existing route, and the new metric is
      // different than the old one": take it, better or worse. NOTE: for IOS too. Doyle writes that
      // a higher hop count puts the route in hold-down, but IOS is seen to take it at once
      // (infosecinstitute forum, "RIP Holddown Timer": an offset-list on the next hop "instead of
      // placing it in holddown R3 accepts the route immediately").
      this.install(now, id, metric, nextHop, src, ifIndex, tag);
      return;
    }
    const extra = t.extra.size > 0 ? t.extra.get(id) : undefined;
    if (extra !== undefined) {
      for (let k = 0; k < extra.length; k++) {
        const p = extra[k]!;
        if (p.from !== src || p.ifIndex !== ifIndex) continue;
        if (metric === cur) {
          p.deadline = now + this.profile.timers.invalid;
          p.updatedAt = now;
          if (this.fibAgeRefresh) this.ports.routeRefreshed(id, p.nextHop, now);
        } else if (metric < cur) {
          this.install(now, id, metric, nextHop, src, ifIndex, tag);
        } else {
          extra.splice(k, 1);
          if (extra.length === 0) t.extra.delete(id);
          this.markChanged(id);
          this.trigger(now);
          this.ports.routeChanged(id);
        }
        return;
      }
    }
    if (metric < cur) {
      this.install(now, id, metric, nextHop, src, ifIndex, tag);
    } else if (metric === cur && metric < RIP_METRIC_INFINITY && (extra === undefined ? 1 : 1 + extra.length) < this.config.maxPaths) {
      // Equal-cost multipath (IOS maximum-paths, FRR allow-ecmp): one more path.
      const path: RipPath = { nextHop, from: src, ifIndex, tag, deadline: now + this.profile.timers.invalid, updatedAt: now };
      if (extra === undefined) t.extra.set(id, [path]);
      else extra.push(path);
      this.markChanged(id);
      this.trigger(now);
      this.ports.routeChanged(id);
    }
  }

  /** Takes (id → this single path) as the route, replacing whatever was there. */
  private install(now: SimTime, id: number, metric: number, nextHop: number, src: number, ifIndex: number, tag: number): void {
    const t = this.table;
    const s = t.add(id);
    t.kind[s] = KIND_LEARNED;
    t.state[s] = STATE_VALID;
    t.metric[s] = metric;
    t.nextHop[s] = nextHop;
    t.from[s] = src;
    t.ifIndex[s] = ifIndex;
    t.tag[s] = tag;
    t.updatedAt[s] = now;
    t.holddownUntil[s] = 0;
    t.extra.delete(id);
    const d = now + this.profile.timers.invalid;
    t.deadline[s] = d;
    this.deadlineAt(d);
    this.markChanged(id);
    this.trigger(now);
    this.ports.routeChanged(id);
  }

  /** The first of several paths goes (worse metric or poison from its neighbour). */
  private dropPrimary(now: SimTime, id: number): void {
    const t = this.table;
    const extra = t.extra.get(id)!;
    t.setPrimary(t.slot(id), extra.shift()!);
    if (extra.length === 0) t.extra.delete(id);
    this.markChanged(id);
    this.trigger(now);
    this.ports.routeChanged(id);
  }

  /** Metric 16 from the neighbour we route through. */
  private poisoned(now: SimTime, id: number): void {
    switch (this.profile.onPoison) {
      case 'garbage':
        return this.toGarbage(now, id);
      case 'remove':
        return this.toInaccessible(now, id);
      case 'holddown':
        return this.toHolddown(now, id);
    }
  }

  /**
   * RFC 2453 3.9.1 / ripd `rip_request_process()`: a whole-table request gets the table (split
   * horizon for that interface) sent straight back to the requester; a request for particular
   * routes gets their metrics. No answers on loopback, passive or non-RIP interfaces.
   */
  private request(ifIndex: number, src: number, srcPort: number, version: number, payload: RipPayload | Uint8Array, message: RipMessage | null): void {
    const iface = this.interfaces[ifIndex]!;
    if (iface.loopback || this.running[ifIndex] !== 1 || this.passive[ifIndex] === 1) return;
    const peer = this.peer(src, ifIndex);
    peer.version = version;
    const whole = message === null ? (payload as RipPayload).buf === null : isWholeTableRequest(message);
    const from = iface.addresses[this.connectedAddress(ifIndex, src)]!.address;
    if (whole) {
      this.sendTable(ifIndex, from, src, srcPort, version as 1 | 2, this.sortedIds());
      return;
    }
    const m = message ?? (payload as RipPayload).toMessage();
    if (m.entries.length === 0 || m.entries[0]!.afi !== RIP_AFI_INET) return;
    const entries = m.entries.map((e) => {
      const len = maskToPrefixLength(e.mask) ?? 32;
      const id = this.prefixes.lookup(e.address, len);
      const metric = id >= 0 ? this.table.metricOf(id) : RIP_METRIC_INFINITY;
      return { ...e, metric };
    });
    this.send(ifIndex, from, src, srcPort, emitRip({ command: RIP_RESPONSE, version: m.version, entries }), null);
  }

  // ---- output ----------------------------------------------------------------------------------

  private sortedIds(): readonly number[] {
    this.table.sort(this.prefixes.addresses, this.prefixes.lengths);
    return this.table.ids;
  }

  /**
   * Sends the whole table (`changedOnly` false) or the changed routes on every interface RIP runs on
   * and is not passive (never loopback), and to every configured neighbour (ripd `rip_update_process`).
   */
  private sendUpdates(changedOnly: boolean): void {
    let list: readonly number[];
    if (changedOnly) {
      const t = this.table;
      const ch = this.changedIds.filter((id) => t.has(id));
      if (ch.length === 0) return;
      const a = this.prefixes.addresses;
      const l = this.prefixes.lengths;
      list = ch.sort((x, y) => a[x]! - a[y]! || l[x]! - l[y]!);
    } else {
      list = this.sortedIds();
    }
    if (list.length === 0) return;
    const version = this.config.sendVersion;
    // NOTE: one update per interface, from its first address (ripd sends one per address but drops
    // Linux secondaries; IOS sends one per secondary subnet). RIP-1 goes to the subnet's broadcast
    // address as ripd does; IOS uses 255.255.255.255 (same receivers on a LAN). IP precedence 6
    // (ToS 0xc0), which both set, is not modelled: the stack's UDP send has no ToS option.
    for (const iface of this.interfaces) {
      const i = iface.index;
      // `running` is cleared when the interface goes down (onInterfaceChange), so it implies operational.
      if (this.running[i] !== 1 || this.passive[i] === 1 || iface.loopback || iface.addresses.length === 0) continue;
      const src = iface.addresses[0]!.address;
      if (version === 2) this.sendTable(i, src, RIP_MULTICAST_GROUP, RIP_PORT, 2, list);
      else this.sendTable(i, src, this.broadcastOf(i), RIP_PORT, 1, list);
    }
    for (const nb of this.config.neighbors) {
      const i = this.interfaceFor(nb);
      if (i < 0) continue;
      const iface = this.interfaces[i]!;
      this.sendTable(i, iface.addresses[this.connectedAddress(i, nb)]!.address, nb, RIP_PORT, version, list);
    }
    this.stats.updatesSent++;
  }

  /**
   * Builds the messages for one interface from `list` (prefix order) and sends them, 25 entries each:
   * split horizon / poisoned reverse per interface (RFC 2453 3.4.3; ripd: a learned route is not sent
   * back out an interface any of its paths uses, a connected network not out its own interface).
   */
  private sendTable(o: number, src: number, dst: number, dstPort: number, version: 1 | 2, list: readonly number[]): void {
    const t = this.table;
    const slotOf = t.slotOf;
    const kind = t.kind;
    const metricA = t.metric;
    const ifA = t.ifIndex;
    const tagA = t.tag;
    const sh = this.split[o]!;
    const extraMap = t.extra;
    const hasExtra = extraMap.size > 0;
    const nextHopOut = this.profile.nextHopOut && version === 2;
    const hops = this.sHops;
    const tags = this.sTags;
    let n = 0;
    let anyHop = false;
    let anyTag = false;
    const ttl = dst === RIP_MULTICAST_GROUP ? this.profile.multicastTtl : null;
    const v1Filter = version === 1 ? this.v1Filter(o) : null;
    if (arenaPos + RIP_MAX_ENTRIES > ARENA_SIZE) {
      arena = new Int32Array(ARENA_SIZE);
      arenaPos = 0;
    }
    let buf = arena;
    let base = arenaPos;
    for (let k = 0; k < list.length; k++) {
      const id = list[k]!;
      const s = slotOf[id]!;
      if (s < 0) continue;
      const kd = kind[s];
      let m = metricA[s]!;
      let hop = 0;
      if (kd === KIND_LEARNED) {
        let via = ifA[s] === o;
        if (!via && hasExtra) {
          const extra = extraMap.get(id);
          if (extra !== undefined) for (const p of extra) if (p.ifIndex === o) via = true;
        }
        if (via) {
          if (sh === SH_ON) continue;
          if (sh === SH_POISON) m = RIP_METRIC_INFINITY;
        }
        if (nextHopOut && ifA[s] === o) hop = t.nextHop[s]!;
      } else if ((kd === KIND_INTERFACE || kd === KIND_CONNECTED) && ifA[s] === o) {
        if (sh === SH_ON) continue;
        if (sh === SH_POISON) m = RIP_METRIC_INFINITY;
      }
      if (v1Filter !== null && !v1Filter(id)) continue;
      buf[base + n] = (id << RIP_PACKED_METRIC_BITS) | m;
      hops[n] = hop;
      if (hop !== 0) anyHop = true;
      const tag = tagA[s]!;
      tags[n] = tag;
      if (tag !== 0) anyTag = true;
      n++;
      if (n === RIP_MAX_ENTRIES) {
        arenaPos = base + n;
        this.send(o, src, dst, dstPort, RipPayload.response(version, this.prefixes, buf, base, n, anyHop ? hops.slice(0, n) : null, anyTag ? tags.slice(0, n) : null), ttl);
        n = 0;
        anyHop = false;
        anyTag = false;
        if (arenaPos + RIP_MAX_ENTRIES > ARENA_SIZE) {
          arena = new Int32Array(ARENA_SIZE);
          arenaPos = 0;
        }
        buf = arena;
        base = arenaPos;
      }
    }
    if (n > 0) {
      arenaPos = base + n;
      this.send(o, src, dst, dstPort, RipPayload.response(version, this.prefixes, buf, base, n, anyHop ? hops.slice(0, n) : null, anyTag ? tags.slice(0, n) : null), ttl);
    }
  }

  /** ripd's RIP-1 output rule: subnets of the interface's own major network with its mask, else classful networks only. */
  private v1Filter(o: number): (id: number) => boolean {
    const a = this.interfaces[o]!.addresses[0]!;
    const classLen = classfulLength(a.address);
    const subnetted = a.prefixLength > classLen;
    const classNet = (a.address & prefixMask(classLen)) >>> 0;
    const addrs = this.prefixes.addresses;
    const lens = this.prefixes.lengths;
    return (id: number) => {
      const p = addrs[id]!;
      const len = lens[id]!;
      if (subnetted && ((p & prefixMask(classLen)) >>> 0) === classNet) return len === a.prefixLength || len === 32;
      return p === 0 || classfulLength(p) === len;
    };
  }

  private send(ifIndex: number, src: number, dst: number, dstPort: number, payload: RipPayload | Uint8Array, ttl: number | null): void {
    this.stats.packetsSent++;
    this.ports.send(ifIndex, src, dst, dstPort, payload, ttl);
  }

  // ---- local routes and interfaces -------------------------------------------------------------

  private updateEnabled(i: RipInterfaceView): void {
    let on = this.config.interfaceNames.includes(i.name);
    if (!on) for (const a of i.addresses) if (this.inNetworks(a.address)) on = true;
    // ripd `rip_enable_apply()`: an interface without an IPv4 address is not enabled.
    this.enabled[i.index] = on && i.addresses.length > 0 ? 1 : 0;
  }

  private inNetworks(address: number): boolean {
    for (const n of this.config.networks) if (((address ^ n.prefix) & prefixMask(n.prefixLength)) === 0) return true;
    return false;
  }

  /**
   * Makes the table's own routes match the configuration and the interfaces now: connected networks
   * of RIP interfaces (ripd `rip_connect_set()`: every address of an interface named in `network`, or
   * each address inside a `network` prefix), redistributed connected and static routes, the
   * originated default. New or changed ones are advertised; vanished ones become unreachable.
   */
  private reconcileLocal(now: SimTime): void {
    const t = this.table;
    const want = new Map<number, { kind: number; metric: number; ifIndex: number }>();
    const cfg = this.config;
    for (const iface of this.interfaces) {
      if (!iface.operational) continue;
      const byName = cfg.interfaceNames.includes(iface.name);
      for (const a of iface.addresses) {
        const id = this.prefixes.intern(a.address, a.prefixLength);
        if (this.prefixes.valid[id] !== 1) continue;
        if (byName || this.inNetworks(a.address)) want.set(id, { kind: KIND_INTERFACE, metric: 1, ifIndex: iface.index });
        else if (cfg.redistributeConnected !== null && !want.has(id)) {
          want.set(id, { kind: KIND_CONNECTED, metric: Math.min(RIP_METRIC_INFINITY, cfg.redistributeConnected.metric ?? 1), ifIndex: iface.index });
        }
      }
    }
    // NOTE: on Linux the lab's static routes are mostly kernel routes (`route add` in a setup script),
    // which ripd would only take with `redistribute kernel`; the LabSpec does not tell them apart from
    // zebra's `ip route`, so `redistribute static` takes both.
    if (cfg.redistributeStatic !== null) {
      for (const r of this.ports.staticRoutes()) {
        const id = this.prefixes.intern(r.prefix, r.prefixLength);
        if (this.prefixes.valid[id] !== 1 || want.has(id)) continue;
        want.set(id, { kind: KIND_STATIC, metric: Math.min(RIP_METRIC_INFINITY, cfg.redistributeStatic.metric ?? cfg.defaultMetric), ifIndex: r.ifIndex });
      }
    }
    if (cfg.defaultInformationOriginate) {
      const id = this.prefixes.intern(0, 0);
      if (!want.has(id)) want.set(id, { kind: KIND_DEFAULT, metric: 1, ifIndex: -1 });
    }
    for (const [id, w] of want) {
      const old = t.slot(id);
      if (old >= 0 && t.kind[old] === w.kind && t.state[old] === STATE_VALID && t.metric[old] === w.metric && t.ifIndex[old] === w.ifIndex) continue;
      const wasLearned = old >= 0 && t.kind[old] === KIND_LEARNED;
      const s = t.add(id);
      t.kind[s] = w.kind;
      t.state[s] = STATE_VALID;
      t.metric[s] = w.metric;
      t.ifIndex[s] = w.ifIndex;
      t.nextHop[s] = 0;
      t.from[s] = 0;
      t.tag[s] = 0;
      t.deadline[s] = INF;
      t.updatedAt[s] = now;
      t.extra.delete(id);
      this.markChanged(id);
      this.trigger(now);
      if (wasLearned) this.ports.routeChanged(id);
    }
    for (const id of [...t.ids]) {
      const s = t.slot(id);
      const k = t.kind[s];
      if (k === KIND_LEARNED || want.has(id) || t.state[s] !== STATE_VALID) continue;
      // ripd `rip_redistribute_delete()`: "Poison ... with an infinity metric", garbage timer.
      this.ports.event('invalid', id, now);
      t.metric[s] = RIP_METRIC_INFINITY;
      t.state[s] = this.profile.onInvalid === 'holddown' ? STATE_INACCESSIBLE : STATE_GARBAGE;
      t.deadline[s] = now + this.garbageTime();
      this.deadlineAt(t.deadline[s]!);
      this.markChanged(id);
      this.trigger(now);
    }
  }

  /** An interface went up or down (carrier, shutdown). */
  onInterfaceChange(now: SimTime, ifIndex: number): void {
    if (this.stopped || !this.started) return;
    const iface = this.interfaces[ifIndex]!;
    const t = this.table;
    if (!iface.operational) {
      this.running[ifIndex] = 0;
      this.wakeupAt[ifIndex] = INF;
      // ripd `rip_if_down()`: routes through the interface become unreachable at once.
      for (const id of [...t.ids]) {
        const s = t.slot(id);
        if (t.kind[s] !== KIND_LEARNED || t.state[s] !== STATE_VALID) continue;
        const extra = t.extra.get(id);
        if (extra !== undefined) {
          const kept = extra.filter((p) => p.ifIndex !== ifIndex);
          if (kept.length !== extra.length) {
            if (kept.length === 0) t.extra.delete(id);
            else t.extra.set(id, kept);
            this.markChanged(id);
            this.trigger(now);
            this.ports.routeChanged(id);
          }
        }
        if (t.ifIndex[s] !== ifIndex) continue;
        if (t.extra.has(id)) this.dropPrimary(now, id);
        else if (this.profile.onInvalid === 'holddown') this.toInaccessible(now, id);
        else this.toGarbage(now, id);
      }
    } else {
      this.updateEnabled(iface);
      if (this.enabled[ifIndex] === 1 && this.running[ifIndex] !== 1) this.wakeupAt[ifIndex] = now + this.profile.interfaceWakeup;
    }
    this.reconcileLocal(now);
    this.arm();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private isOwnAddress(a: number): boolean {
    for (const i of this.interfaces) for (const x of i.addresses) if (x.address === a) return true;
    return false;
  }

  /** Index (in the interface's address list) of the address whose subnet holds `a`, or -1. */
  private connectedAddress(ifIndex: number, a: number): number {
    const addrs = this.interfaces[ifIndex]!.addresses;
    for (let k = 0; k < addrs.length; k++) {
      const x = addrs[k]!;
      if (((x.address ^ a) & prefixMask(x.prefixLength)) === 0) return k;
    }
    return -1;
  }

  private interfaceFor(a: number): number {
    for (const i of this.interfaces) if (i.operational && !i.loopback && this.connectedAddress(i.index, a) >= 0) return i.index;
    return -1;
  }

  /** The directed broadcast of the interface's first subnet (ripd's RIP-1 destination). */
  private broadcastOf(i: number): number {
    const a = this.interfaces[i]!.addresses[0]!;
    return (a.address | ~prefixMask(a.prefixLength)) >>> 0;
  }

  private peer(src: number, ifIndex: number): RipPeer {
    let p = this.peers.get(src);
    if (p === undefined) {
      p = { address: src, ifIndex, lastUpdate: 0, version: 0, badPackets: 0, badRoutes: 0 };
      this.peers.set(src, p);
    }
    return p;
  }

  private badPacket(src: number, ifIndex: number): void {
    this.stats.badPackets++;
    this.peer(src, ifIndex).badPackets++;
  }

  private badRoute(src: number): void {
    this.stats.badRoutes++;
    const p = this.peers.get(src);
    if (p !== undefined) p.badRoutes++;
  }
}

