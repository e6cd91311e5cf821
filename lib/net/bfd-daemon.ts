/**
 * bfdd on a node: binds lib/proto/bfd's sessions to a NetNode. It owns the UDP socket on port 3784
 * (RFC 5881 §4), a source socket and a timer per session, and the sessions themselves: those the
 * `bfd` node configures (`peer A.B.C.D [interface IF]`, FRR "configured") and those a client daemon
 * asks for (ripd with `ip rip bfd`, FRR "dynamic": lib/bfd.c bfd_sess_install over zebra).
 *
 * Service semantics: a halt (or a crash) ends every session with no word on the wire, so the
 * neighbours notice only when their detection time runs out; at boot the configured sessions start
 * again, Down, and clients ask anew for theirs.
 */
import type { SimTime } from '../sim/time';
import type { Timer } from '../sim/scheduler';
import type { Rng } from '../sim/rng';
import { ipv4ToString, prefixMask } from '../wire/addr';
import { BFD_CONTROL_PORT, BFD_DOWN, BFD_SOURCE_PORT_MIN, BFD_TTL, BFD_UP, BfdPayload, parseBfdControl, type BfdControl, type BfdState } from '../wire/bfd';
import { WireError } from '../wire/errors';
import type { EncodablePayload } from '../wire/types';
import { BfdSession, FRR_BFD_DEFAULTS, type BfdTimers } from '../proto/bfd/session';
import type { NetNode, Service, UdpMeta, UdpSocket } from './node';
import { frrLogOf } from './frr-log';
import { ServiceKey } from './service';

/** What the `bfd` node configures (FRR bfdd/bfdd_cli.c): profiles and peers. */
export interface BfdConfig {
  /** `profile NAME` with its timers (each defaulting to FRR's). */
  profiles: ReadonlyMap<string, BfdTimers>;
  /** `peer A.B.C.D [interface IF] [profile NAME]`, single hop, with the timers it runs (its own over its profile's). */
  peers: readonly { peer: number; interface: string | null; profile: string | null; timers: BfdTimers }[];
}

/** A state change as a client sees it (lib/bfd.h struct bfd_session_status). */
export interface BfdStatusChange {
  time: SimTime;
  peer: number;
  ifIndex: number;
  previous: BfdState;
  state: BfdState;
}

export type BfdClient = (change: BfdStatusChange) => void;

/** One session with what bfdd keeps beside the state machine. */
export interface BfdPeer {
  readonly session: BfdSession;
  readonly peer: number;
  readonly local: number;
  readonly ifIndex: number;
  readonly ifName: string;
  readonly profile: string | null;
  /** FRR's "configured" (the `bfd` node) or "dynamic" (a client's). */
  readonly configured: boolean;
  readonly clients: BfdClient[];
  socket: UdpSocket | null;
  timer: Timer | null;
}

export const BFD_DAEMON = new ServiceKey<BfdDaemon>('bfd/daemon');

export function bfdDaemonOf(node: NetNode): BfdDaemon | undefined {
  return node.service(BFD_DAEMON);
}

export class BfdDaemon implements Service {
  readonly name = 'bfdd';
  /** In creation order, as `show bfd peers` lists them (bfd_id_iterate walks a hash; NOTE: its order is not reproduced). */
  readonly peers: BfdPeer[] = [];
  private socket: UdpSocket | null = null;
  private running = false;
  /** Its own stream (discriminators, jitter), so adding bfdd leaves the node's other draws as they were. */
  private readonly rng: Rng;

  constructor(
    readonly node: NetNode,
    readonly config: BfdConfig,
  ) {
    this.rng = node.rng.fork('bfdd');
    node.setService(BFD_DAEMON, this);
  }

  start(node: NetNode): void {
    if (this.running) return;
    this.running = true;
    this.socket = node.udpBind(0, BFD_CONTROL_PORT, { onMessage: (payload, meta) => this.receive(payload, meta) });
    for (const p of this.config.peers) {
      const ifIndex = p.interface === null ? this.interfaceFor(p.peer) : (node.interfaces.find((i) => i.name === p.interface)?.index ?? -1);
      if (ifIndex >= 0) this.open(p.peer, ifIndex, p.profile, true, p.timers);
    }
  }

  stop(_node: NetNode, _graceful: boolean): void {
    if (!this.running) return;
    this.running = false;
    for (const p of this.peers) this.close(p);
    this.peers.length = 0;
    this.socket?.close();
    this.socket = null;
  }

  /**
   * A client's session to `peer` on `ifIndex` (lib/bfd.c bfd_sess_install): an existing one is
   * shared, as bfdd keys sessions by peer, local address and interface.
   */
  requestSession(peer: number, ifIndex: number, profile: string | null, client: BfdClient): BfdPeer | null {
    if (!this.running) return null;
    const existing = this.peers.find((p) => p.peer === peer && p.ifIndex === ifIndex);
    const p = existing ?? this.open(peer, ifIndex, profile, false);
    if (p === null) return null;
    if (!p.clients.includes(client)) p.clients.push(client);
    return p;
  }

  /**
   * A client lets go of its session (ripd/rip_peer.c rip_peer_free → bfd_sess_free): a dynamic
   * session no client holds any more is deleted.
   */
  releaseSession(p: BfdPeer, client: BfdClient): void {
    const i = p.clients.indexOf(client);
    if (i >= 0) p.clients.splice(i, 1);
    if (p.clients.length > 0 || p.configured) return;
    this.close(p);
    const k = this.peers.indexOf(p);
    if (k >= 0) this.peers.splice(k, 1);
  }

  /** The timers of a profile name (FRR: a session naming a missing profile runs the defaults). */
  timersOf(profile: string | null): BfdTimers {
    return (profile === null ? undefined : this.config.profiles.get(profile)) ?? FRR_BFD_DEFAULTS;
  }

  private open(peer: number, ifIndex: number, profile: string | null, configured: boolean, timers: BfdTimers = this.timersOf(profile)): BfdPeer | null {
    const node = this.node;
    const iface = node.interfaces[ifIndex]!;
    const local = iface.addresses.find((a) => ((a.address ^ peer) & prefixMask(a.prefixLength)) === 0)?.address ?? iface.addresses[0]?.address;
    if (local === undefined) return null;
    const discriminator = this.newDiscriminator();
    const entry: BfdPeer = {
      session: null as unknown as BfdSession,
      peer,
      local,
      ifIndex,
      ifName: iface.name,
      profile,
      configured,
      clients: [],
      socket: null,
      timer: null,
    };
    const session = new BfdSession(discriminator, timers, this.rng.fork(`session/${discriminator}`), {
      send: (packet) => this.send(entry, packet),
      stateChanged: (now, from, to, diag) => this.stateChanged(entry, now, from, to, diag),
    }, node.now);
    (entry as { session: BfdSession }).session = session;
    entry.socket = this.bindSource();
    const timer = node.scheduler.timer((now) => {
      session.onTimer(now);
      this.rearm(entry);
    });
    entry.timer = timer;
    this.peers.push(entry);
    session.start(node.now);
    this.rearm(entry);
    return entry;
  }

  private close(p: BfdPeer): void {
    p.session.stop();
    p.timer?.cancel();
    p.socket?.close();
    p.socket = null;
  }

  private rearm(p: BfdPeer): void {
    const at = p.session.nextDeadline();
    if (at === Number.POSITIVE_INFINITY) p.timer?.cancel();
    else p.timer?.setAt(Math.max(at, this.node.now));
  }

  /** bfdd/bfd.c ptm_bfd_gen_ID: a random non-zero discriminator no other session has. */
  private newDiscriminator(): number {
    const rng = this.rng;
    for (let i = 0; i < 64; i++) {
      const d = rng.nextUint32();
      if (d !== 0 && !this.peers.some((p) => p.session.localDiscriminator === d)) return d;
    }
    throw new Error(`${this.node.name}: no free BFD discriminator after 64 draws`);
  }

  /** RFC 5881 §4: each session sends from its own port in 49152–65535 (FRR bp_udp_shop binds one per session). */
  private bindSource(): UdpSocket {
    for (let port = BFD_SOURCE_PORT_MIN; port <= 65535; port++) {
      if (this.peers.some((p) => p.socket?.localPort === port)) continue;
      try {
        return this.node.udpBind(0, port, { onMessage: () => {} });
      } catch {
        continue;
      }
    }
    throw new Error(`${this.node.name}: no free UDP source port for BFD`);
  }

  private send(p: BfdPeer, packet: BfdControl): void {
    p.socket?.send(p.peer, BFD_CONTROL_PORT, new BfdPayload(packet), { src: p.local, ifIndex: p.ifIndex, ttl: BFD_TTL });
  }

  private receive(payload: Uint8Array | EncodablePayload, meta: UdpMeta): void {
    // RFC 5881 §5: without authentication, a single-hop packet whose TTL is not 255 is discarded.
    if (meta.ttl !== BFD_TTL) return;
    let packet: BfdControl;
    if (payload instanceof BfdPayload) packet = payload.packet;
    else {
      let bytes: Uint8Array;
      if (payload instanceof Uint8Array) bytes = payload;
      else {
        bytes = new Uint8Array(payload.byteLength);
        payload.encodeInto(bytes, 0);
      }
      try {
        packet = parseBfdControl(bytes);
      } catch (e) {
        if (e instanceof WireError) return;
        throw e;
      }
    }
    // RFC 5880 §6.8.6: by Your Discriminator when it is set, else by the packet's source and interface.
    const p =
      packet.yourDiscriminator !== 0
        ? this.peers.find((x) => x.session.localDiscriminator === packet.yourDiscriminator)
        : this.peers.find((x) => x.peer === meta.src && x.ifIndex === meta.ifIndex);
    if (p === undefined) return;
    p.session.onPacket(meta.time, packet);
    this.rearm(p);
  }

  private stateChanged(p: BfdPeer, now: SimTime, from: BfdState, to: BfdState, diag: number): void {
    const log = frrLogOf(this.node);
    // bfdd/bfd.c ptm_bfd_sess_up / ptm_bfd_sess_dn, under `debug bfd peer` (bglobal.debug_peer_event).
    const reason = to === BFD_UP ? '' : ` reason:${DIAG_REASONS[diag] ?? 'unknown'}`;
    if (to === BFD_UP || from === BFD_UP || to === BFD_DOWN) {
      log.debugMessage('bfd peer', now, 'BFD', `state-change: [${sessionString(p)}] ${STATE_WORDS[from]} -> ${STATE_WORDS[to]}${to === BFD_UP ? '' : reason}`);
    }
    // lib/bfd.c bfd_sess_*: clients hear Up and Down only (Init is bfdd's own business).
    if (to === BFD_UP || (to === BFD_DOWN && from === BFD_UP)) {
      for (const c of [...p.clients]) c({ time: now, peer: p.peer, ifIndex: p.ifIndex, previous: from, state: to });
    }
  }

  private interfaceFor(peer: number): number {
    for (const i of this.node.interfaces) if (!i.loopback && i.addresses.some((a) => ((a.address ^ peer) & prefixMask(a.prefixLength)) === 0)) return i.index;
    return -1;
  }
}

/** bfdd/bfd.c state_list[].str. */
const STATE_WORDS = ['admin-down', 'down', 'init', 'up'] as const;
/** bfdd/bfd.c diag_list[].str (get_diag_str), by RFC 5880 diagnostic code. */
const DIAG_REASONS: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'control-expired',
  2: 'echo-failed',
  3: 'neighbor-down',
  4: 'forwarding-reset',
  5: 'path-down',
  6: 'concatenated-path-down',
  7: 'administratively-down',
  8: 'reverse-concat-path-down',
};

/**
 * bfdd/bfd.c bs_to_string: "mhop:no peer:A local:B vrf:default ifname:eth1", B the session key's local
 * address: 0.0.0.0 for ripd's sessions (rip_bfd.c bfd_sess_set_ipv4_addrs(…, NULL, &rp->addr)) and
 * for peers configured without local-address, the only kinds modelled.
 */
export function sessionString(p: BfdPeer): string {
  return `mhop:no peer:${ipv4ToString(p.peer)} local:0.0.0.0 vrf:default ifname:${p.ifName}`;
}
