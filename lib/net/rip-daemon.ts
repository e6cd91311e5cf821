/**
 * The RIP daemon of a node: binds lib/proto/rip's state machine to a NetNode. It owns the UDP socket
 * on port 520 (and the 224.0.0.9 membership), the router's one timer, and the node's forwarding
 * table entries for RIP (distance 120). The FIB is touched only when a route really changes; a
 * refreshing update only moves `FibRoute.updatedAt` in place (IOS ages), so FIB listeners — the
 * route log — see changes, not the 30-second heartbeat.
 *
 * Service semantics (`stop(node, graceful)`):
 * - graceful (`ripd` stopped with SIGTERM, `no router rip`): ripd's `rip_clean()` →
 *   `rip_instance_disable()` deletes its routes from zebra (so from the kernel), closes the socket,
 *   and sends nothing: neighbours find out when the routes time out.
 * - crash (SIGKILL, or the node halting): nothing is sent either; zebra notices the client is gone
 *   and removes its routes (FRR zebra: a disconnected client's routes are removed from the RIB
 *   unless graceful restart is configured). On a halt the node loses its whole FIB anyway.
 * So on the wire both are silence; `RipProfile.gracefulStopPoisons` is there for a device that does
 * send a last poisoned update.
 */
import type { SimTime } from '../sim/time';
import type { Timer } from '../sim/scheduler';
import { DEFAULT_DISTANCE, type FibRoute } from '../proto/fib';
import type { RipConfig } from '../proto/rip/params';
import { PrefixTable } from '../proto/rip/prefixes';
import { ripDistance } from '../proto/rip/policy';
import { RipRouter, type RipEventKind } from '../proto/rip/router';
import { reconfigure } from '../proto/rip/reconfigure';
import { KIND_LEARNED, STATE_HOLDDOWN, STATE_VALID } from '../proto/rip/table';
import { RIP_MULTICAST_GROUP, RIP_PORT, RipPayload } from '../wire/rip';
import type { EncodablePayload } from '../wire/types';
import type { Interface } from './interface';
import type { NetNode, SendOptions, Service, UdpMeta, UdpSocket } from './node';
import { ServiceKey } from './service';

/**
 * The prefix dictionary shared by every RIP router of one network. Its ids travel in `RipPayload`s,
 * so a receiver can use them as indexes: it must be the sender's dictionary, one per network. The
 * network's registry is its home rather than RIP's own side table keyed by the scheduler (one
 * scheduler was one network): it goes away with the network and is found from any of its nodes.
 */
export const RIP_PREFIX_TABLE = new ServiceKey<PrefixTable>('rip/prefixes');

/** The RIP daemon configured on a node (registered by the daemon's constructor). */
export const RIP_DAEMON = new ServiceKey<RipDaemon>('rip/daemon');

/** The prefix dictionary of `node`'s network. */
export function prefixTableOf(node: NetNode): PrefixTable {
  return node.shared.getOrCreate(RIP_PREFIX_TABLE, () => new PrefixTable());
}

/** The RIP daemon configured on a node, if any. */
export function ripDaemonOf(node: NetNode): RipDaemon | undefined {
  return node.service(RIP_DAEMON);
}

/** A RIP-level event (the FIB's own changes reach the route log through `fib.listeners`). */
export interface RipDaemonEvent {
  kind: RipEventKind;
  time: SimTime;
  node: NetNode;
  prefix: number;
  prefixLength: number;
  /** RIP metric after the event: 16 for all of these. */
  metric: number;
  nextHop: number;
  ifIndex: number;
}

const EMPTY: readonly FibRoute[] = [];

export class RipDaemon implements Service {
  /** `rip` on IOS, `ripd` on Linux (the process name issue 5's `ripd stop` refers to). */
  readonly name: string;
  readonly prefixes: PrefixTable;
  /** The running process's state machine; null while stopped. */
  router: RipRouter | null = null;
  /** Observers of RIP-level route events (route log). */
  readonly listeners: ((e: RipDaemonEvent) => void)[] = [];
  /** Observers of each message taken from a neighbour (ripd rip_peer_update: ./rip-bfd.ts). */
  readonly peerListeners: ((now: SimTime, from: number, ifIndex: number) => void)[] = [];
  private socket: UdpSocket | null = null;
  private timer: Timer | null = null;
  private fibRoutes: (FibRoute | FibRoute[] | undefined)[] = [];
  private readonly sendOptions: (SendOptions | undefined)[] = [];
  /** A `distance` or `offset-list` change was made while running: refreshes re-read the distance. */
  private policyChanged = false;
  private readonly onLink = (iface: Interface) => this.router?.onInterfaceChange(this.node.now, iface.index);

  constructor(
    readonly node: NetNode,
    /** Replaced by `reconfigure` (a configuration change while the lab runs). */
    public config: RipConfig,
  ) {
    this.name = node.profile.os === 'ios' ? 'rip' : 'ripd';
    this.prefixes = prefixTableOf(node);
    node.setService(RIP_DAEMON, this);
  }

  start(node: NetNode): void {
    if (node !== this.node) throw new Error(`RIP daemon of ${this.node.name} started on ${node.name}`);
    if (this.router !== null) return;
    this.fibRoutes = [];
    this.socket = node.udpBind(0, RIP_PORT, { onMessage: (payload, meta) => this.receive(payload, meta) });
    node.joinMulticast(RIP_MULTICAST_GROUP);
    const timer = node.scheduler.timer((now) => this.router?.onTimer(now));
    this.timer = timer;
    const router = new RipRouter(this.config, node.interfaces, this.prefixes, node.rng.fork('rip'), {
      setTimer: (at) => {
        if (at === Number.POSITIVE_INFINITY) timer.cancel();
        else timer.setAt(Math.max(at, node.now));
      },
      send: (ifIndex, src, dst, dstPort, payload, ttl) => this.send(ifIndex, src, dst, dstPort, payload, ttl),
      routeChanged: (id) => this.syncFib(id),
      routeRefreshed: (id, nextHop, now) => this.refreshFib(id, nextHop, now),
      event: (kind, id, now) => this.emit(kind, id, now),
      staticRoutes: () => node.fib.routes().filter((r) => r.source === 'static'),
    });
    this.router = router;
    node.linkListeners.push(this.onLink);
    router.start(node.now);
  }

  stop(node: NetNode, graceful: boolean): void {
    const router = this.router;
    if (router === null) return;
    router.stop(graceful);
    this.router = null;
    this.timer?.cancel();
    this.timer = null;
    this.socket?.close();
    this.socket = null;
    if (node.running) node.leaveMulticast(RIP_MULTICAST_GROUP);
    const i = node.linkListeners.indexOf(this.onLink);
    if (i >= 0) node.linkListeners.splice(i, 1);
  }

  /**
   * A configuration change while the daemon runs (`configure terminal`): the process keeps its
   * table and applies the change as ripd does (lib/proto/rip/reconfigure.ts). Stopped: the next
   * start reads the new configuration.
   */
  reconfigure(config: RipConfig, timersChanged: boolean): void {
    // ripd.c rip_rte_process: "an update of the distance on the actual route" is applied when the same
    // router's next update for it arrives ((old_dist != new_dist) && same → rip_ecmp_replace).
    if (config.policy !== this.config.policy) this.policyChanged = true;
    this.config = config;
    if (this.router !== null) reconfigure(this.router, this.node.now, config, { timersChanged, hearRefreshes: this.policyChanged });
  }

  /** The metric as the FIB and `show ip route` carry it (IOS: hops, FRR: the RIP metric). */
  fibMetric(ripMetric: number): number {
    return this.config.profile.fibMetric === 'hops' ? Math.max(0, ripMetric - 1) : ripMetric;
  }

  /** Whether IOS shows the route as "possibly down" (in hold-down, still forwarding). */
  isPossiblyDown(prefix: number, prefixLength: number): boolean {
    const id = this.prefixes.lookup(prefix, prefixLength);
    return id >= 0 && this.router !== null && this.router.isPossiblyDown(id);
  }

  private receive(payload: Uint8Array | EncodablePayload, meta: UdpMeta): void {
    const router = this.router;
    if (router === null) return;
    // ripd joins 224.0.0.9 on an interface when RIP starts running there (ripd/rip_interface.c
    // rip_interface_wakeup → rip_multicast_join), so the kernel hands it no multicast update from an
    // interface no `network` covers, even from a configured neighbour (seen on FRR 8.4.4:
    // data/real/feature-passive, r3 never learns r4's routes over eth2). Unicast still arrives.
    if (meta.dst === RIP_MULTICAST_GROUP && router.running[meta.ifIndex] !== 1) return;
    let p: RipPayload | Uint8Array;
    if (payload instanceof RipPayload || payload instanceof Uint8Array) p = payload;
    else {
      const bytes = new Uint8Array(payload.byteLength);
      payload.encodeInto(bytes, 0);
      p = bytes;
    }
    router.onPacket(meta.time, meta.ifIndex, meta.src, meta.srcPort, p);
    if (this.peerListeners.length !== 0 && router.peers.has(meta.src)) for (const l of this.peerListeners) l(meta.time, meta.src, meta.ifIndex);
  }

  private send(ifIndex: number, src: number, dst: number, dstPort: number, payload: RipPayload | Uint8Array, ttl: number | null): void {
    const socket = this.socket;
    if (socket === null) return;
    // Send options are read, never kept, by the stack: one object per (interface, source, TTL) will do.
    let options = this.sendOptions[ifIndex];
    if (options === undefined || options.src !== src || (options.ttl ?? null) !== ttl) {
      options = ttl === null ? { src, ifIndex } : { src, ifIndex, ttl };
      this.sendOptions[ifIndex] = options;
    }
    socket.send(dst, dstPort, payload, options);
  }

  /**
   * Makes the node's RIP routes for prefix `id` match the router's forwarding paths. One installed
   * path is kept as the FibRoute itself (not a one-element array): a large lab has a million of them.
   */
  private syncFib(id: number): void {
    const router = this.router;
    if (router === null) return this.withdraw(id);
    const t = router.table;
    const s = t.slot(id);
    if (s >= 0 && t.state[s] === STATE_HOLDDOWN) return; // IOS hold-down: still forwarding as before
    // No forwarding paths (router.forwardingPaths): not learned, or no longer valid.
    if (s < 0 || t.kind[s] !== KIND_LEARNED || t.state[s] !== STATE_VALID) return this.withdraw(id);
    const fib = this.node.fib;
    const now = this.node.now;
    const metric = this.fibMetric(t.metric[s]!);
    const cur = this.fibRoutes[id];
    const prefix = this.prefixes.addresses[id]!;
    const len = this.prefixes.lengths[id]!;
    if (!t.extra.has(id) && !Array.isArray(cur)) {
      // One path, read from the table's arrays (no path objects: this runs for every route change).
      const nextHop = t.nextHop[s]!;
      const ifIndex = t.ifIndex[s]!;
      const distance = this.distance(t.from[s]!, prefix, len);
      if (cur === undefined) {
        const f: FibRoute = { prefix, prefixLength: len, nextHop, ifIndex, source: 'rip', distance, metric, updatedAt: now };
        fib.upsert(f);
        this.fibRoutes[id] = f;
        return;
      }
      // One path before and after: change it in place, so the FIB reports one `replace`.
      if (cur.nextHop === nextHop && cur.ifIndex === ifIndex && cur.metric === metric && cur.distance === distance) return;
      cur.nextHop = nextHop;
      cur.ifIndex = ifIndex;
      cur.metric = metric;
      cur.distance = distance;
      cur.updatedAt = now;
      fib.upsert(cur);
      return;
    }
    const want = router.forwardingPaths(id);
    const have: readonly FibRoute[] = cur === undefined ? EMPTY : Array.isArray(cur) ? cur : [cur];
    const kept: FibRoute[] = [];
    for (const p of want) {
      let f = have.find((x) => x.nextHop === p.nextHop && x.ifIndex === p.ifIndex);
      if (f === undefined) {
        f = { prefix, prefixLength: len, nextHop: p.nextHop, ifIndex: p.ifIndex, source: 'rip', distance: this.distance(p.from, prefix, len), metric, updatedAt: now };
        fib.upsert(f);
      } else if (f.metric !== metric) {
        f.metric = metric;
        f.updatedAt = now;
        fib.upsert(f);
      }
      kept.push(f);
    }
    for (const f of have) if (!kept.includes(f)) fib.remove(prefix, len, 'rip', f.nextHop);
    this.fibRoutes[id] = kept.length === 1 ? kept[0]! : kept;
  }

  /** ripd.c rip_distance_apply: the distance ripd gives zebra for a route, by the path's sender. */
  private distance(from: number, prefix: number, prefixLength: number): number {
    const policy = this.config.policy;
    return policy === undefined ? DEFAULT_DISTANCE.rip : ripDistance(policy, from, prefix, prefixLength);
  }

  private withdraw(id: number): void {
    const cur = this.fibRoutes[id];
    if (cur === undefined) return;
    this.fibRoutes[id] = undefined;
    const prefix = this.prefixes.addresses[id]!;
    const len = this.prefixes.lengths[id]!;
    if (Array.isArray(cur)) for (const f of cur) this.node.fib.remove(prefix, len, 'rip', f.nextHop);
    else this.node.fib.remove(prefix, len, 'rip', cur.nextHop);
  }

  private refreshFib(id: number, nextHop: number, now: SimTime): void {
    const cur = this.fibRoutes[id];
    if (cur === undefined) return;
    if (this.policyChanged) {
      this.syncFib(id);
      // FRR's zebra keeps a route's uptime from its install: only IOS ages are refreshed.
      if (!this.config.profile.fibAgeRefresh) return;
    }
    if (!Array.isArray(cur)) {
      if (cur.nextHop === nextHop) cur.updatedAt = now;
      return;
    }
    for (let i = 0; i < cur.length; i++) if (cur[i]!.nextHop === nextHop) cur[i]!.updatedAt = now;
  }

  private emit(kind: RipEventKind, id: number, now: SimTime): void {
    if (this.listeners.length === 0) return;
    const t = this.router!.table;
    const s = t.slot(id);
    const e: RipDaemonEvent = {
      kind,
      time: now,
      node: this.node,
      prefix: this.prefixes.addresses[id]!,
      prefixLength: this.prefixes.lengths[id]!,
      metric: 16,
      nextHop: s < 0 ? 0 : t.nextHop[s]!,
      ifIndex: s < 0 ? -1 : t.ifIndex[s]!,
    };
    for (const l of this.listeners) l(e);
  }
}
