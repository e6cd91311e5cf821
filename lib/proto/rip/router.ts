/**
 * The RIP process of one router, as a state machine. It is handed the time with every call, an rng,
 * and ports for everything outside it (one re-armable timer, sending, the forwarding table, events);
 * it never reads a clock and knows nothing of nodes or sockets (lib/net/rip-daemon.ts binds it).
 *
 * One short handler per RFC 2453 event, after ripd's structure (FRR `ripd/ripd.c`), in three files:
 *   input.ts   `onPacket` → `response()` (3.9.2, ripd `rip_response_process`/`rip_rte_process`) or
 *              `request()` (3.9.1, ripd `rip_request_process`)
 *   timers.ts  `onTimer` → interface wake-up (request at start, 3.9.1), route timers (3.8: timeout,
 *              then garbage collection or IOS hold-down and flush), the periodic update (3.8, with
 *              jitter) and the triggered update (3.10.1, 1–5 s hold-off, merged while pending);
 *              `changed(now, id)` and `refreshTimeout(now, slot)`, which every handler uses
 *   output.ts  the updates' messages, split horizon / poisoned reverse (3.4.3), answers to requests
 * This file holds the state they share, construction and the public API, and the router's own
 * routes: `onInterfaceChange` → routes through a lost interface become unreachable; connected ones
 * follow. The handlers are functions of the router (as ripd's are of `struct rip`); the fields
 * marked internal are theirs, not the callers'.
 *
 * Timers are deadlines in the table's arrays; one port timer is armed at the earliest of them
 * (no timer per route). Metrics inside are RFC metrics (connected 1, learned = received + 1).
 */
import type { SimTime } from '../../sim/time';
import { RIP_METRIC_INFINITY, type RipPayload } from '../../wire/rip';
import { prefixMask } from '../../wire/addr';
import { receive } from './input';
import { ripDistance } from './policy';
import { SH_CODES, SH_OFF, SH_ON, sendUpdates, type CachedUpdate } from './output';
import type { RipConfig, RipProfile, SplitHorizonMode } from './params';
import type { PrefixTable } from './prefixes';
import { KIND_CONNECTED, KIND_DEFAULT, KIND_INTERFACE, KIND_KERNEL, KIND_LEARNED, KIND_STATIC, RipTable, STATE_GARBAGE, STATE_HOLDDOWN, STATE_INACCESSIBLE, STATE_VALID, type RipPath } from './table';
import { arm, changed, deadlineAt, dropPrimary, garbageTime, timerFired, toGarbage, toInaccessible } from './timers';

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
  /**
   * Static routes in the forwarding table, for `redistribute static|kernel`: `nextHop` the gateway (0:
   * none), `ifIndex` -1 for a blackhole, `kernel` for a Linux kernel route (not zebra's).
   */
  staticRoutes(): readonly { prefix: number; prefixLength: number; ifIndex: number; nextHop?: number; kernel?: boolean; distance?: number }[];
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

const INF = Number.POSITIVE_INFINITY;

export class RipRouter {
  readonly table = new RipTable();
  /** Replaced by a configuration change while the process runs (./reconfigure.ts). */
  profile: RipProfile;
  readonly peers = new Map<number, RipPeer>();
  /** When the next periodic update goes out. */
  nextUpdateAt = INF;
  /** Statistics, as `show ip rip status` and benchmarks read them. */
  readonly stats = { updatesSent: 0, packetsSent: 0, responsesReceived: 0, requestsReceived: 0, badPackets: 0, badRoutes: 0, triggeredUpdates: 0 };

  // ---- state of the handlers (input.ts, output.ts, timers.ts) ----------------------------------
  /** @internal When the pending triggered update goes (Infinity: none pending). */
  triggerAt = INF;
  /** @internal End of the hold-off after the last triggered update (RFC 2453 3.10.1). */
  holdoffUntil = 0;
  /** @internal The earliest route deadline (timeout, garbage, flush). */
  nextRouteCheck = INF;
  /** @internal What the port timer is armed at. */
  armedAt = INF;
  /** @internal */
  stopped = false;
  /** @internal */
  started = false;
  /** @internal By interface index: RIP is enabled on it (`network`). */
  readonly enabled: Uint8Array;
  /** @internal By interface index: RIP runs on it (enabled, up, woken up). */
  readonly running: Uint8Array;
  /** @internal By interface index: `passive-interface`. */
  readonly passive: Uint8Array;
  /** @internal By interface index: split horizon code (output.ts SH_*). */
  readonly split: Uint8Array;
  /** @internal By interface index: when it wakes up (asks for the table). */
  readonly wakeupAt: Float64Array;
  /** @internal Prefix ids whose route change flag is set (RFC 2453 3.10.1). */
  readonly changedIds: number[] = [];
  /** @internal IOS: an update refreshes the forwarding entry's age. */
  fibAgeRefresh: boolean;
  /** @internal Bit v set: version v is accepted (the router's setting). */
  receiveMask: number;
  /**
   * @internal The distance zebra gave each redistributed static or kernel route (kernel: 0; with a
   * gateway, 0 counts as 120: ripd.c rip_rte_process), for input.ts's "Redistributed route check".
   */
  readonly redistributedDistance = new Map<number, number>();
  /** @internal By interface index, bit v set: version v is sent there (`ip rip send version`). */
  readonly sendMaskOf: Uint8Array;
  /** @internal By interface index, bit v set: version v is accepted there (`ip rip receive version`). */
  readonly receiveMaskOf: Uint8Array;
  /** @internal The slot lists of this generation's response memos (input.ts, RipPayload memo fields). */
  heardAgain = new Int32Array(64);
  /** @internal */
  heardAgainUsed = 0;
  /** @internal The table generation `heardAgain` belongs to. */
  heardAgainGeneration = -1;
  /** @internal Bumped each time `heardAgain` is started again. */
  heardAgainEpoch = 0;
  /** @internal By 2 × interface index + version − 1: that update's messages (output.ts). */
  readonly updateCache: (CachedUpdate | undefined)[] = [];

  constructor(
    /** Replaced by a configuration change while the process runs (./reconfigure.ts). */
    public config: RipConfig,
    readonly interfaces: readonly RipInterfaceView[],
    readonly prefixes: PrefixTable,
    /** @internal */ readonly rng: RandomSource,
    /** @internal */ readonly ports: RipPorts,
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
    this.sendMaskOf = new Uint8Array(n);
    this.receiveMaskOf = new Uint8Array(n);
    this.applyInterfaceSettings();
  }

  /** @internal Per-interface settings from the configuration: versions, passive, split horizon. */
  applyInterfaceSettings(): void {
    const config = this.config;
    const mask = (vs: readonly number[]): number => vs.reduce((m, v) => m | (1 << v), 0);
    for (const i of this.interfaces) {
      const versions = config.interfaceVersions[i.name];
      this.sendMaskOf[i.index] = mask(versions?.send ?? [config.sendVersion]);
      this.receiveMaskOf[i.index] = mask(versions?.receive ?? config.receiveVersions);
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
    arm(this);
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
      this.table.generation++;
      sendUpdates(this, false);
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

  // ---- events (handled in input.ts and timers.ts) ----------------------------------------------

  /** The port timer fired. */
  onTimer(now: SimTime): void {
    timerFired(this, now);
  }

  /** A RIP datagram arrived on interface `ifIndex` from `src:srcPort`. */
  onPacket(now: SimTime, ifIndex: number, src: number, srcPort: number, payload: RipPayload | Uint8Array): void {
    receive(this, now, ifIndex, src, srcPort, payload);
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

  /** The versions sent and accepted on an interface (`[]`: `none`), as `show ip rip status` lists them. */
  interfaceVersions(index: number): { send: (1 | 2)[]; receive: (1 | 2)[] } {
    const list = (m: number): (1 | 2)[] => ([1, 2] as const).filter((v) => (m & (1 << v)) !== 0);
    return { send: list(this.sendMaskOf[index]!), receive: list(this.receiveMaskOf[index]!) };
  }

  // ---- own routes and interfaces -------------------------------------------------------------

  /** @internal */
  updateEnabled(i: RipInterfaceView): void {
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
  /** @internal */
  reconcileLocal(now: SimTime): void {
    const t = this.table;
    const want = new Map<number, { kind: number; metric: number; ifIndex: number; nextHop: number }>();
    const cfg = this.config;
    for (const iface of this.interfaces) {
      if (!iface.operational) continue;
      const byName = cfg.interfaceNames.includes(iface.name);
      for (const a of iface.addresses) {
        const id = this.prefixes.intern(a.address, a.prefixLength);
        if (this.prefixes.valid[id] !== 1) continue;
        if (byName || this.inNetworks(a.address)) want.set(id, { kind: KIND_INTERFACE, metric: 1, ifIndex: iface.index, nextHop: 0 });
        else if (cfg.redistributeConnected !== null && !want.has(id)) {
          want.set(id, { kind: KIND_CONNECTED, metric: Math.min(RIP_METRIC_INFINITY, cfg.redistributeConnected.metric ?? 1), ifIndex: iface.index, nextHop: 0 });
        }
      }
    }
    // A Linux kernel route (`route add` in a setup script) is ripd's only with `redistribute kernel`;
    // staticd's `ip route` (and IOS's) with `redistribute static`. ripd keeps the route's gateway as its
    // next hop (ripd.c rip_redistribute_add: `newinfo.nh = *nh`): `show ip rip` prints it, and an update
    // out of the gateway's interface carries it (RFC 2453 4.4).
    const kernel = cfg.redistributeKernel ?? null;
    if (cfg.redistributeStatic !== null || kernel !== null) {
      for (const r of this.ports.staticRoutes()) {
        const redist = r.kernel === true ? kernel : cfg.redistributeStatic;
        if (redist === null) continue;
        const id = this.prefixes.intern(r.prefix, r.prefixLength);
        if (this.prefixes.valid[id] !== 1 || want.has(id)) continue;
        const metric = Math.min(RIP_METRIC_INFINITY, redist.metric ?? cfg.defaultMetric);
        const zebraDistance = r.kernel === true ? 0 : (r.distance ?? 1);
        this.redistributedDistance.set(id, zebraDistance === 0 && (r.nextHop ?? 0) !== 0 ? 120 : zebraDistance);
        want.set(id, { kind: r.kernel === true ? KIND_KERNEL : KIND_STATIC, metric, ifIndex: r.ifIndex, nextHop: r.nextHop ?? 0 });
      }
    }
    if (cfg.defaultInformationOriginate) {
      const id = this.prefixes.intern(0, 0);
      if (!want.has(id)) want.set(id, { kind: KIND_DEFAULT, metric: 1, ifIndex: -1, nextHop: 0 });
    }
    for (const [id, w] of want) {
      const old = t.slot(id);
      if (old >= 0 && t.kind[old] === w.kind && t.state[old] === STATE_VALID && t.metric[old] === w.metric && t.ifIndex[old] === w.ifIndex && t.nextHop[old] === w.nextHop) continue;
      // zebra redistributes only the route it selected: a static that lost to a learned route on
      // distance (input.ts learnedBeatsRedistributed) is not offered to ripd again.
      if (old >= 0 && t.kind[old] === KIND_LEARNED && t.state[old] === STATE_VALID && (w.kind === KIND_STATIC || w.kind === KIND_KERNEL) && this.learnedWins(id, t.from[old]!)) continue;
      const wasLearned = old >= 0 && t.kind[old] === KIND_LEARNED;
      const s = t.add(id);
      t.kind[s] = w.kind;
      t.state[s] = STATE_VALID;
      t.metric[s] = w.metric;
      t.ifIndex[s] = w.ifIndex;
      t.nextHop[s] = w.nextHop;
      t.from[s] = 0;
      t.tag[s] = 0;
      t.deadline[s] = INF;
      t.updatedAt[s] = now;
      t.extra.delete(id);
      changed(this, now, id, wasLearned);
    }
    for (const id of [...t.ids]) {
      const s = t.slot(id);
      const k = t.kind[s];
      if (k === KIND_LEARNED || want.has(id) || t.state[s] !== STATE_VALID) continue;
      // ripd `rip_redistribute_delete()`: "Poison ... with an infinity metric", garbage timer.
      this.ports.event('invalid', id, now);
      t.metric[s] = RIP_METRIC_INFINITY;
      t.state[s] = this.profile.onInvalid === 'holddown' ? STATE_INACCESSIBLE : STATE_GARBAGE;
      t.deadline[s] = now + garbageTime(this);
      deadlineAt(this, t.deadline[s]!);
      changed(this, now, id, false);
    }
  }

  /** @internal Whether a route learned from `from` beats the redistributed route of `id` on distance (ripd.c rip_rte_process). */
  learnedWins(id: number, from: number): boolean {
    const old = this.redistributedDistance.get(id);
    return old !== undefined && ripDistance(this.config.policy, from, this.prefixes.addresses[id]!, this.prefixes.lengths[id]!) <= old;
  }

  /** An interface went up or down (carrier, shutdown). */
  onInterfaceChange(now: SimTime, ifIndex: number): void {
    if (this.stopped || !this.started) return;
    const iface = this.interfaces[ifIndex]!;
    if (!iface.operational) this.interfaceDown(now, ifIndex);
    else {
      this.updateEnabled(iface);
      if (this.enabled[ifIndex] === 1 && this.running[ifIndex] !== 1) this.wakeupAt[ifIndex] = now + this.profile.interfaceWakeup;
    }
    this.reconcileLocal(now);
    arm(this);
  }

  /** @internal ripd `rip_if_down()`: RIP stops on the interface; routes through it become unreachable at once. */
  interfaceDown(now: SimTime, ifIndex: number): void {
    this.running[ifIndex] = 0;
    this.wakeupAt[ifIndex] = INF;
    this.dropPaths(now, (pathIfIndex) => pathIfIndex === ifIndex);
  }

  /**
   * The neighbour `from` is gone (its BFD session went Down): every route learned from it times out
   * now, as ripd/rip_bfd.c rip_bfd_session_change → rip_peer_delete_routes drops them (an extra
   * ECMP path just goes, rip_ecmp_delete; a route's only path is withdrawn and a triggered update
   * signalled). NOTE: rip_peer_delete_routes frees a single-path entry outright; here it takes the
   * RFC 2453 3.8 timeout path instead (metric 16, garbage collection), so the triggered update
   * poisons it and neighbours drop it too rather than waiting out their own timeout. Returns the
   * number of prefixes that lost a path.
   */
  dropPeer(now: SimTime, from: number): number {
    if (this.stopped || !this.started) return 0;
    const dropped = this.dropPaths(now, (_ifIndex, pathFrom) => pathFrom === from);
    this.peers.delete(from);
    arm(this);
    return dropped;
  }

  /**
   * Every valid learned path that `lost` picks goes at once: an extra ECMP path is removed, a
   * route's primary path gives way to an extra one, or the route is withdrawn as the profile's
   * onInvalid says. Returns the number of prefixes that lost a path.
   */
  private dropPaths(now: SimTime, lost: (ifIndex: number, from: number) => boolean): number {
    const t = this.table;
    let dropped = 0;
    for (const id of [...t.ids]) {
      const s = t.slot(id);
      if (t.kind[s] !== KIND_LEARNED || t.state[s] !== STATE_VALID) continue;
      let lostAPath = false;
      const extra = t.extra.get(id);
      if (extra !== undefined) {
        const kept = extra.filter((p) => !lost(p.ifIndex, p.from));
        if (kept.length !== extra.length) {
          lostAPath = true;
          if (kept.length === 0) t.extra.delete(id);
          else t.extra.set(id, kept);
          changed(this, now, id);
        }
      }
      if (lost(t.ifIndex[s]!, t.from[s]!)) {
        lostAPath = true;
        if (t.extra.has(id)) dropPrimary(this, now, id);
        else if (this.profile.onInvalid === 'holddown') toInaccessible(this, now, id);
        else toGarbage(this, now, id);
      }
      if (lostAPath) dropped++;
    }
    return dropped;
  }

  // ---- interface helpers (for the handlers too) ------------------------------------------------

  /** @internal Whether `a` is an address of one of our interfaces. */
  isOwnAddress(a: number): boolean {
    for (const i of this.interfaces) for (const x of i.addresses) if (x.address === a) return true;
    return false;
  }

  /** @internal Index (in the interface's address list) of the address whose subnet holds `a`, or -1. */
  connectedAddress(ifIndex: number, a: number): number {
    const addrs = this.interfaces[ifIndex]!.addresses;
    for (let k = 0; k < addrs.length; k++) {
      const x = addrs[k]!;
      if (((x.address ^ a) & prefixMask(x.prefixLength)) === 0) return k;
    }
    return -1;
  }

  /** @internal The operational, non-loopback interface on whose subnet `a` is, or -1. */
  interfaceFor(a: number): number {
    for (const i of this.interfaces) if (i.operational && !i.loopback && this.connectedAddress(i.index, a) >= 0) return i.index;
    return -1;
  }

  /** @internal The directed broadcast of the interface's first subnet (ripd's RIP-1 destination). */
  broadcastOf(i: number): number {
    const a = this.interfaces[i]!.addresses[0]!;
    return (a.address | ~prefixMask(a.prefixLength)) >>> 0;
  }
}
