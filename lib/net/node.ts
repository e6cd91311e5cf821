/**
 * A node (router or host) and its IPv4 stack: Ethernet input, ARP, IPv4 local delivery and
 * forwarding, ICMP (echo, errors with the rate limits real devices apply), UDP sockets, and a
 * single CPU queue that gives every packet the node's processing time in order.
 */
import type { Duration, SimTime } from '../sim/time';
import { ms } from '../sim/time';
import type { Rng } from '../sim/rng';
import type { Scheduler } from '../sim/scheduler';
import type {
  ArpPacket,
  EncodablePayload,
  EthernetFrame,
  IcmpMessage,
  Ipv4Addr,
  Ipv4Packet,
  MacAddr,
  UdpDatagram,
} from '../wire/types';
import {
  ARP_REPLY,
  ARP_REQUEST,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ICMP_UNREACH_HOST,
  ICMP_UNREACH_NET,
  ICMP_UNREACH_PORT,
  IPPROTO_ICMP,
  IPPROTO_UDP,
} from '../wire/types';
import { BROADCAST_MAC, isMulticastMac, multicastMacFor, prefixMask } from '../wire/addr';
import { icmpInvokingBytes, parseInvoking } from '../wire/icmp';
import { ArpCache, ARP_PROFILES, type ArpProfile } from '../proto/arp';
import { DEFAULT_DISTANCE, Fib, type FibRoute } from '../proto/fib';
import { Interface, type InterfaceAddressRecord } from './interface';

export type NodeOs = 'ios' | 'linux';

/** Behaviour that differs between the operating systems these labs run. */
export interface StackProfile {
  os: NodeOs;
  arp: ArpProfile;
  /** Initial TTL of locally generated packets (Linux 64, IOS 255). */
  defaultTtl: number;
  /** Code of the ICMP unreachable sent when no route matches (IOS: host, Linux: net). */
  noRouteCode: number;
  /**
   * ICMP error rate limit: a token bucket per destination (Linux) or per node (IOS), applied to the
   * ICMP types listed (Linux icmp_ratemask 0x1818: unreachable, source quench, time exceeded,
   * parameter problem; IOS `ip icmp rate-limit unreachable`: unreachables only).
   */
  icmpRateLimit: { interval: Duration; burst: number; perDestination: boolean; types: readonly IcmpMessage['kind'][] };
  /** Whether the node answers with ICMP port unreachable when no UDP socket listens. */
  portUnreachable: boolean;
  /** Per-packet processing time drawn in [min, max]. */
  processingDelay: { min: Duration; max: Duration };
  /** Ephemeral UDP port range (Linux ip_local_port_range 32768–60999). */
  ephemeralPorts: [number, number];
  /**
   * Bytes of the offending packet's payload quoted in ICMP errors: RFC 792 asks for 8; Linux
   * quotes as much as fits in 576 bytes (icmp_send), IOS the minimum.
   */
  icmpQuotePayload: number;
}

export const STACK_PROFILES: Record<NodeOs, StackProfile> = {
  linux: {
    os: 'linux',
    arp: ARP_PROFILES.linux,
    defaultTtl: 64,
    noRouteCode: ICMP_UNREACH_NET,
    // net.ipv4.icmp_ratelimit = 1000 ms with a burst of 6 (XRLIM_BURST_FACTOR), per peer.
    icmpRateLimit: { interval: ms(1000), burst: 6, perDestination: true, types: ['dest-unreachable', 'time-exceeded'] },
    portUnreachable: true,
    processingDelay: { min: ms(0.05), max: ms(0.2) },
    ephemeralPorts: [32768, 60999],
    icmpQuotePayload: 576 - 20 - 8 - 20,
  },
  ios: {
    os: 'ios',
    arp: ARP_PROFILES.ios,
    defaultTtl: 255,
    // IOS answers a packet it has no route for with "host unreachable" (type 3 code 1): the
    // "Destination Host Unreachable" that Linux ping prints in the write-up comes from r3.
    noRouteCode: ICMP_UNREACH_HOST,
    // `ip icmp rate-limit unreachable` defaults to one per 500 ms.
    // NOTE: a bucket of two: the write-up's IOS traceroute shows "12 msec 12 msec *" at the last
    // hop — two port unreachables back to back, the third suppressed.
    icmpRateLimit: { interval: ms(500), burst: 2, perDestination: false, types: ['dest-unreachable'] },
    portUnreachable: true,
    processingDelay: { min: ms(2), max: ms(6) },
    ephemeralPorts: [49152, 65535],
    icmpQuotePayload: 8,
  },
};

export interface UdpMeta {
  src: Ipv4Addr;
  dst: Ipv4Addr;
  srcPort: number;
  dstPort: number;
  ifIndex: number;
  ttl: number;
  time: SimTime;
}

export interface IcmpErrorMeta {
  /** Who sent the ICMP error. */
  from: Ipv4Addr;
  message: IcmpMessage;
  time: SimTime;
}

export interface UdpSocket {
  readonly node: NetNode;
  readonly localAddress: Ipv4Addr;
  readonly localPort: number;
  send(dst: Ipv4Addr, dstPort: number, payload: Uint8Array | EncodablePayload, options?: SendOptions): SendResult;
  close(): void;
}

export interface UdpHandlers {
  onMessage(payload: Uint8Array | EncodablePayload, meta: UdpMeta): void;
  /** ICMP errors about datagrams this socket sent (port/host unreachable: ECONNREFUSED/EHOSTUNREACH). */
  onError?(error: IcmpErrorMeta): void;
}

export interface SendOptions {
  src?: Ipv4Addr;
  ttl?: number;
  /** Send out this interface without a route lookup (multicast, directed updates). */
  ifIndex?: number;
  id?: number;
  /**
   * The DF bit. Linux sets it on UDP by default (path MTU discovery); BIND's tools turn it off on
   * their sockets, which is why the write-up's captured query has flags 0x00.
   */
  dontFragment?: boolean;
}

export type SendResult = 'sent' | 'no-route' | 'down';

/** Sees every ICMP message the node receives (ping, traceroute). Return nothing. */
export type IcmpListener = (message: IcmpMessage, packet: Ipv4Packet, time: SimTime) => void;

/** A daemon running on a node (RIP, named): started at boot, stopped at halt. */
export interface Service {
  readonly name: string;
  start(node: NetNode): void;
  /** `graceful`: an orderly stop (may send goodbyes); otherwise the process just vanishes. */
  stop(node: NetNode, graceful: boolean): void;
}

interface SocketEntry {
  socket: UdpSocketImpl;
  handlers: UdpHandlers;
}

interface Queued {
  packet: Ipv4Packet;
  ifIndex: number;
}

export class NetNode {
  readonly interfaces: Interface[] = [];
  readonly fib = new Fib();
  /** Routes from configuration, reinstalled at every boot. */
  staticRoutes: { prefix: Ipv4Addr; prefixLength: number; via: Ipv4Addr | null; device: string | null }[] = [];
  readonly services: Service[] = [];
  running = false;
  forwarding: boolean;
  hostname: string;
  private epoch = 0;
  private busyUntil: SimTime = 0;
  private cpuPending = 0;
  private cpuStale = 0;
  private readonly arpCaches: ArpCache<Queued>[] = [];
  private readonly sockets = new Map<number, SocketEntry[]>();
  private readonly icmpListeners = new Set<IcmpListener>();
  private readonly multicastGroups = new Map<Ipv4Addr, number>();
  private readonly icmpTokens = new Map<Ipv4Addr, { tokens: number; last: SimTime }>();
  private ipId: number;
  /** Packets this node forwarded (benchmarks, statistics). */
  forwardedPackets = 0;
  droppedPackets = 0;
  /** Observers of the stack's notable events (drops, ICMP sent), for traces and teaching. */
  readonly events: ((e: StackEvent) => void)[] = [];

  constructor(
    readonly name: string,
    readonly kind: 'router' | 'host',
    readonly profile: StackProfile,
    readonly scheduler: Scheduler,
    readonly rng: Rng,
  ) {
    this.forwarding = kind === 'router';
    this.hostname = name;
    this.ipId = rng.int(0, 0xffff);
  }

  get now(): SimTime {
    return this.scheduler.now;
  }

  addInterface(name: string, mac: MacAddr, loopback = false): Interface {
    const iface = new Interface(this, this.interfaces.length, name, mac, loopback);
    this.interfaces.push(iface);
    const index = iface.index;
    this.arpCaches.push(
      new ArpCache<Queued>(this.profile.arp, this.rng.fork(`arp/${name}`), {
        sendRequest: (ip, unicastTo) => this.sendArpRequest(index, ip, unicastTo),
        flush: (mac, packets) => {
          for (const q of packets) this.transmitIp(this.interfaces[q.ifIndex]!, mac, q.packet);
        },
        fail: (_ip, packets) => {
          for (const q of packets) {
            this.emit({ kind: 'arp-failed', node: this.name, packet: q.packet });
            if (this.profile.arp.icmpOnFailure) this.sendIcmpError(q.packet, { kind: 'dest-unreachable', code: ICMP_UNREACH_HOST, nextHopMtu: 0, invoking: icmpInvokingBytes(q.packet, this.profile.icmpQuotePayload) });
          }
        },
        wakeAt: (at) => this.scheduleGuarded(at, (now) => this.arpCaches[index]!.tick(now)),
      }),
    );
    return iface;
  }

  iface(name: string): Interface | undefined {
    return this.interfaces.find((i) => i.name === name);
  }

  arpCache(ifIndex: number): ArpCache<Queued> {
    return this.arpCaches[ifIndex]!;
  }

  // ---- life cycle -------------------------------------------------------------------------

  /** Powers the node on: interfaces up, connected and static routes installed, services started. */
  boot(): void {
    if (this.running) return;
    this.running = true;
    this.epoch++;
    this.busyUntil = this.now;
    // The setup script brings its aliases up again at every boot.
    for (const label of [...this.downAliases.keys()]) this.restoreAlias(label);
    this.rebuildRoutes();
    for (const iface of this.interfaces) if (iface.operational && !iface.loopback) this.sendGratuitousArp(iface);
    for (const service of this.services) service.start(this);
  }

  /** Stops the node at once: no packets in or out, all state lost, timers void. */
  halt(): void {
    if (!this.running) return;
    for (const service of [...this.services].reverse()) service.stop(this, false);
    this.running = false;
    this.epoch++;
    this.cpuStale = this.cpuPending;
    this.fib.clear();
    for (const cache of this.arpCaches) cache.clear();
    this.sockets.clear();
    this.icmpListeners.clear();
    this.multicastGroups.clear();
    this.icmpTokens.clear();
  }

  /** Installs connected and static routes from the interfaces' current state. */
  rebuildRoutes(): void {
    this.collectLocalAddresses();
    const wanted: FibRoute[] = [];
    for (const iface of this.interfaces) {
      if (!iface.operational) continue;
      for (const a of iface.addresses) {
        // Host routes on loopback (lo:0 anycast) are local addresses, not a connected subnet to ARP on.
        if (iface.loopback) continue;
        wanted.push({ prefix: (a.address & prefixMask(a.prefixLength)) >>> 0, prefixLength: a.prefixLength, nextHop: 0, ifIndex: iface.index, source: 'connected', distance: DEFAULT_DISTANCE.connected, metric: 0, updatedAt: this.now });
      }
    }
    for (const r of this.staticRoutes) {
      const out = this.resolveStaticInterface(r.via, r.device);
      if (out === null) continue; // gateway not on an operational subnet: the route is inactive
      wanted.push({ prefix: (r.prefix & prefixMask(r.prefixLength)) >>> 0, prefixLength: r.prefixLength, nextHop: r.via ?? 0, ifIndex: out.index, source: 'static', distance: DEFAULT_DISTANCE.static, metric: 0, updatedAt: this.now });
    }
    // Change only what changed, so the route log shows an interface coming back as additions, not as
    // every connected route removed and re-added.
    const key = (r: FibRoute) => `${r.source}/${r.prefix}/${r.prefixLength}/${r.nextHop}/${r.ifIndex}`;
    const wantedKeys = new Set(wanted.map(key));
    const present = this.fib.routesOf(['connected', 'static']);
    const presentKeys = new Set(present.map(key));
    for (const r of present) if (!wantedKeys.has(key(r))) this.fib.remove(r.prefix, r.prefixLength, r.source, r.nextHop);
    for (const r of wanted) if (!presentKeys.has(key(r))) this.fib.upsert(r);
  }

  /** Carrier or admin state of an interface changed. */
  interfaceChanged(iface: Interface): void {
    if (!this.running) return;
    if (!iface.operational) {
      this.arpCaches[iface.index]!.clear();
      if (this.profile.os === 'linux') {
        // Linux deletes routes through an interface that goes down, static ones included: they do
        // not come back by themselves when the link returns (the setup script must run again).
        this.staticRoutes = this.staticRoutes.filter((r) => this.resolveStaticInterface(r.via, r.device)?.index !== iface.index);
      }
    }
    this.rebuildRoutes();
    if (iface.operational && !iface.loopback) this.sendGratuitousArp(iface);
    for (const l of this.linkListeners) l(iface);
  }

  /** Addresses taken off by `setAliasUp(label, false)`, by label, to be put back in place. */
  private readonly downAliases = new Map<string, { iface: Interface; records: { at: number; record: InterfaceAddressRecord }[] }>();

  /**
   * `ifconfig <label> down|up` for a Linux alias such as `lo:0`: the alias's addresses leave the
   * interface (or come back where they were), and with them the local address and any connected
   * route. Link listeners hear of it as of any interface change, as zebra tells ripd of an address
   * deleted or added (ripd `rip_interface_address_delete()` / `_add()`). False: no alias so labelled.
   */
  setAliasUp(label: string, up: boolean): boolean {
    if (up) {
      const iface = this.restoreAlias(label);
      if (iface === null) return this.interfaces.some((i) => i.addresses.some((a) => a.label === label));
      this.interfaceChanged(iface);
      return true;
    }
    if (this.downAliases.has(label)) return true;
    for (const iface of this.interfaces) {
      const records: { at: number; record: InterfaceAddressRecord }[] = [];
      iface.addresses.forEach((record, at) => {
        if (record.label === label) records.push({ at, record });
      });
      if (records.length === 0) continue;
      for (let k = records.length - 1; k >= 0; k--) iface.addresses.splice(records[k]!.at, 1);
      this.downAliases.set(label, { iface, records });
      this.interfaceChanged(iface);
      return true;
    }
    return false;
  }

  /** Whether the alias is up (false also when the node has no such alias). */
  isAliasUp(label: string): boolean {
    return !this.downAliases.has(label) && this.interfaces.some((i) => i.addresses.some((a) => a.label === label));
  }

  private restoreAlias(label: string): Interface | null {
    const down = this.downAliases.get(label);
    if (down === undefined) return null;
    this.downAliases.delete(label);
    for (const { at, record } of down.records) down.iface.addresses.splice(Math.min(at, down.iface.addresses.length), 0, record);
    return down.iface;
  }

  /** Services that react to interfaces going up or down (RIP). */
  readonly linkListeners: ((iface: Interface) => void)[] = [];

  private resolveStaticInterface(via: Ipv4Addr | null, device: string | null): Interface | null {
    if (device !== null) {
      const iface = this.iface(device);
      return iface !== undefined && iface.operational ? iface : null;
    }
    if (via === null) return null;
    for (const iface of this.interfaces) {
      if (!iface.operational || iface.loopback) continue;
      for (const a of iface.addresses) {
        const m = prefixMask(a.prefixLength);
        if (((a.address ^ via) & m) === 0) return iface;
      }
    }
    return null;
  }

  /** Schedules work that is void if the node halts or reboots in between. */
  scheduleGuarded(at: SimTime, action: (now: SimTime) => void): void {
    const epoch = this.epoch;
    this.scheduler.at(Math.max(at, this.now), (now) => {
      if (this.epoch === epoch && this.running) action(now);
    });
  }

  afterGuarded(delay: Duration, action: (now: SimTime) => void): void {
    this.scheduleGuarded(this.now + delay, action);
  }

  // ---- addresses ------------------------------------------------------------------------------

  /** Whether `addr` is one of this node's own addresses (any interface: the weak host model). */
  isLocalAddress(addr: Ipv4Addr): boolean {
    return this.localAddresses.has(addr);
  }

  /**
   * Own addresses, looked up on every packet; rebuilt with the routes (boot, interface changes).
   * Code that adds an address to a running node must call `rebuildRoutes()`, as the kernel would
   * add the connected route.
   */
  private localAddresses = new Set<Ipv4Addr>();

  private collectLocalAddresses(): void {
    const set = new Set<Ipv4Addr>();
    for (const iface of this.interfaces) {
      if (!iface.adminUp) continue;
      for (const a of iface.addresses) set.add(a.address);
    }
    this.localAddresses = set;
  }

  private isLocalBroadcast(addr: Ipv4Addr, iface: Interface): boolean {
    if (addr === 0xffffffff) return true;
    for (const a of iface.addresses) {
      if (a.prefixLength >= 31) continue;
      const m = prefixMask(a.prefixLength);
      if ((addr & ~m) >>> 0 === (~m >>> 0) && ((addr ^ a.address) & m) === 0) return true;
    }
    return false;
  }

  joinMulticast(group: Ipv4Addr): void {
    this.multicastGroups.set(group, (this.multicastGroups.get(group) ?? 0) + 1);
  }

  leaveMulticast(group: Ipv4Addr): void {
    const n = (this.multicastGroups.get(group) ?? 0) - 1;
    if (n <= 0) this.multicastGroups.delete(group);
    else this.multicastGroups.set(group, n);
  }

  // ---- input ------------------------------------------------------------------------------------

  /** A frame arrives from the wire; it waits its turn on the node's CPU. */
  receiveFrame(iface: Interface, frame: EthernetFrame): void {
    if (!iface.operational) return;
    if (frame.dst !== iface.mac && !isMulticastMac(frame.dst)) return; // not ours, not multicast
    iface.rxPackets++;
    const { min, max } = this.profile.processingDelay;
    let cost = min === max ? min : min + Math.floor(this.rng.next() * (max - min + 1));
    // NOTE: ICMP replies and errors addressed to the node itself (its own ping's and traceroute's
    // answers) cost nothing here. The write-up's timings need it: r1→r2 pings 4–8 ms and r3's first
    // traceroute hop 0–4 ms, while one router between two VMs adds ~10 ms to a round trip, so a
    // router's cost is in forwarding and answering, not in taking in its own answers.
    if (frame.etherType === ETHERTYPE_IPV4) {
      const packet = frame.payload as Ipv4Packet;
      if (packet.protocol === IPPROTO_ICMP && (packet.payload as IcmpMessage).kind !== 'echo-request' && this.isLocalAddress(packet.dst)) cost = 0;
    }
    const start = this.busyUntil > this.now ? this.busyUntil : this.now;
    const done = start + cost;
    this.busyUntil = done;
    this.cpuPending++;
    this.scheduler.at2(done, processFrame, iface, frame);
  }

  /** @internal the CPU finished with a frame that arrived on `iface`. */
  process(iface: Interface, frame: EthernetFrame): void {
    this.cpuPending--;
    // Frames that were on the CPU when the node halted die with it. They finish before anything
    // received after a reboot (FIFO, and a reboot comes after the old queue's end), so a count will do
    // and no per-frame closure is needed.
    if (this.cpuStale > 0) {
      this.cpuStale--;
      return;
    }
    if (!iface.operational) return;
    if (frame.etherType === ETHERTYPE_IPV4) this.ipInput(iface, frame.payload as Ipv4Packet);
    else if (frame.etherType === ETHERTYPE_ARP) this.arpInput(iface, frame.payload as ArpPacket);
  }

  private arpInput(iface: Interface, arp: ArpPacket): void {
    const forUs = iface.hasAddress(arp.targetIp);
    // A gratuitous ARP (sender = target) updates an existing entry but creates none.
    this.arpCaches[iface.index]!.input(this.now, arp.senderIp, arp.senderMac, forUs && arp.senderIp !== arp.targetIp);
    if (arp.op === ARP_REQUEST && forUs && arp.senderIp !== arp.targetIp) {
      const reply: ArpPacket = { op: ARP_REPLY, senderMac: iface.mac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp };
      this.transmitFrame(iface, { dst: arp.senderMac, src: iface.mac, etherType: ETHERTYPE_ARP, payload: reply });
    }
  }

  private ipInput(iface: Interface, packet: Ipv4Packet): void {
    const dst = packet.dst;
    // Multicast first: every RIP update is one, and it needs no scan of the interfaces' broadcasts.
    if ((dst >>> 28) === 0xe) {
      // A group we did not join is not forwarded either (no multicast routing).
      if (this.acceptsMulticast(dst)) this.localDeliver(iface, packet);
      return;
    }
    if (this.isLocalAddress(dst) || this.isLocalBroadcast(dst, iface)) {
      this.localDeliver(iface, packet);
      return;
    }
    if (!this.forwarding) {
      this.droppedPackets++;
      return;
    }
    this.forward(iface, packet);
  }

  private acceptsMulticast(group: Ipv4Addr): boolean {
    return group === 0xe0000001 || this.multicastGroups.has(group);
  }

  private forward(inIface: Interface, packet: Ipv4Packet): void {
    if (packet.ttl <= 1) {
      this.sendIcmpError(packet, { kind: 'time-exceeded', code: 0, invoking: icmpInvokingBytes(packet, this.profile.icmpQuotePayload) }, inIface);
      this.emit({ kind: 'ttl-expired', node: this.name, packet });
      return;
    }
    const found = this.fib.lookup(packet.dst);
    if (found.kind === 'none') {
      this.droppedPackets++;
      this.emit({ kind: 'no-route', node: this.name, packet });
      this.sendIcmpError(packet, { kind: 'dest-unreachable', code: this.profile.noRouteCode, nextHopMtu: 0, invoking: icmpInvokingBytes(packet, this.profile.icmpQuotePayload) }, inIface);
      return;
    }
    const route = found.route;
    const out = this.interfaces[route.ifIndex]!;
    if (!out.operational) {
      this.droppedPackets++;
      return;
    }
    this.forwardedPackets++;
    const copy: Ipv4Packet = {
      tos: packet.tos,
      id: packet.id,
      dontFragment: packet.dontFragment,
      moreFragments: packet.moreFragments,
      fragmentOffset: packet.fragmentOffset,
      ttl: packet.ttl - 1,
      protocol: packet.protocol,
      src: packet.src,
      dst: packet.dst,
      payload: packet.payload,
    };
    this.outputVia(out, route.nextHop === 0 ? packet.dst : route.nextHop, copy);
  }

  private localDeliver(iface: Interface, packet: Ipv4Packet): void {
    if (packet.protocol === IPPROTO_ICMP) {
      const msg = packet.payload as IcmpMessage;
      if (msg.kind === 'echo-request') {
        if ((packet.dst >>> 28) === 0xe || this.isLocalBroadcast(packet.dst, iface)) return;
        this.sendIp({
          tos: packet.tos,
          id: this.nextIpId(),
          dontFragment: this.profile.os === 'linux',
          moreFragments: false,
          fragmentOffset: 0,
          ttl: this.profile.defaultTtl,
          protocol: IPPROTO_ICMP,
          src: packet.dst,
          dst: packet.src,
          payload: { kind: 'echo-reply', id: msg.id, seq: msg.seq, data: msg.data },
        });
        return;
      }
      if (msg.kind === 'dest-unreachable' || msg.kind === 'time-exceeded') this.deliverIcmpErrorToSocket(packet, msg);
      for (const listener of this.icmpListeners) listener(msg, packet, this.now);
      return;
    }
    if (packet.protocol === IPPROTO_UDP) {
      const udp = packet.payload as UdpDatagram;
      const entry = this.findSocket(packet.dst, udp.dstPort);
      if (entry === undefined) {
        if (this.profile.portUnreachable && (packet.dst >>> 28) !== 0xe && !this.isLocalBroadcast(packet.dst, iface)) {
          this.emit({ kind: 'port-unreachable', node: this.name, packet });
          this.sendIcmpError(packet, { kind: 'dest-unreachable', code: ICMP_UNREACH_PORT, nextHopMtu: 0, invoking: icmpInvokingBytes(packet, this.profile.icmpQuotePayload) }, iface);
        }
        return;
      }
      entry.handlers.onMessage(udp.payload, {
        src: packet.src,
        dst: packet.dst,
        srcPort: udp.srcPort,
        dstPort: udp.dstPort,
        ifIndex: iface.index,
        ttl: packet.ttl,
        time: this.now,
      });
    }
  }

  private deliverIcmpErrorToSocket(packet: Ipv4Packet, msg: Extract<IcmpMessage, { invoking: Uint8Array }>): void {
    const quoted = parseInvoking(msg.invoking);
    if (quoted === null || quoted.protocol !== IPPROTO_UDP || quoted.srcPort === null) return;
    const entry = this.findSocket(quoted.src, quoted.srcPort);
    entry?.handlers.onError?.({ from: packet.src, message: msg, time: this.now });
  }

  // ---- output -----------------------------------------------------------------------------------

  nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /**
   * Sends a locally generated packet. A zero source address is filled in from the outgoing
   * interface, as the kernel does for an unbound socket.
   */
  sendIp(packet: Ipv4Packet, ifIndex?: number): SendResult {
    if (!this.running) return 'down';
    if (this.isLocalAddress(packet.dst)) {
      // To ourselves: through the loopback, no wire, no processing queue.
      if (packet.src === 0) packet.src = packet.dst;
      const lo = this.interfaces.find((i) => i.loopback) ?? this.interfaces[0]!;
      this.scheduleGuarded(this.now, () => this.localDeliver(lo, packet));
      return 'sent';
    }
    if (ifIndex !== undefined) {
      const out = this.interfaces[ifIndex]!;
      if (!out.operational) return 'down';
      if (packet.src === 0) packet.src = out.primaryAddress;
      this.outputVia(out, packet.dst, packet);
      return 'sent';
    }
    const found = this.fib.lookup(packet.dst);
    if (found.kind === 'none') return 'no-route';
    const route: FibRoute = found.route;
    const out = this.interfaces[route.ifIndex]!;
    if (!out.operational) return 'down';
    if (packet.src === 0) packet.src = this.sourceFor(out, route.nextHop === 0 ? packet.dst : route.nextHop);
    this.outputVia(out, route.nextHop === 0 ? packet.dst : route.nextHop, packet);
    return 'sent';
  }

  /** Source address for traffic out of `iface` towards `neighbour`: the address on its subnet. */
  private sourceFor(iface: Interface, neighbour: Ipv4Addr): Ipv4Addr {
    for (const a of iface.addresses) {
      if (((a.address ^ neighbour) & prefixMask(a.prefixLength)) === 0) return a.address;
    }
    return iface.primaryAddress;
  }

  private outputVia(out: Interface, nextHop: Ipv4Addr, packet: Ipv4Packet): void {
    if ((packet.dst >>> 28) === 0xe) {
      this.transmitIp(out, multicastMacFor(packet.dst), packet);
      return;
    }
    if (packet.dst === 0xffffffff || this.isLocalBroadcast(packet.dst, out)) {
      this.transmitIp(out, BROADCAST_MAC, packet);
      return;
    }
    const result = this.arpCaches[out.index]!.output(this.now, nextHop, { packet, ifIndex: out.index });
    if (result.kind === 'send') this.transmitIp(out, result.mac, packet);
    else if (result.kind === 'dropped') {
      this.droppedPackets++;
      this.emit({ kind: 'arp-dropped', node: this.name, packet });
    }
  }

  private transmitIp(out: Interface, dstMac: MacAddr, packet: Ipv4Packet): void {
    this.transmitFrame(out, { dst: dstMac, src: out.mac, etherType: ETHERTYPE_IPV4, payload: packet });
  }

  private transmitFrame(out: Interface, frame: EthernetFrame): void {
    if (!out.operational || out.segment === null) return;
    out.txPackets++;
    for (let i = 0; i < this.frameTaps.length; i++) this.frameTaps[i]!(this.now, frame, out);
    out.segment.transmit(out, frame);
  }

  /** Observers of frames this node sends (per-interface capture). */
  readonly frameTaps: ((time: SimTime, frame: EthernetFrame, out: Interface) => void)[] = [];

  private sendArpRequest(ifIndex: number, ip: Ipv4Addr, unicastTo: MacAddr | null): void {
    const iface = this.interfaces[ifIndex]!;
    if (!iface.operational) return;
    const arp: ArpPacket = { op: ARP_REQUEST, senderMac: iface.mac, senderIp: this.sourceFor(iface, ip), targetMac: 0, targetIp: ip };
    this.transmitFrame(iface, { dst: unicastTo ?? BROADCAST_MAC, src: iface.mac, etherType: ETHERTYPE_ARP, payload: arp });
  }

  private sendGratuitousArp(iface: Interface): void {
    for (const a of iface.addresses) {
      const arp: ArpPacket = { op: ARP_REQUEST, senderMac: iface.mac, senderIp: a.address, targetMac: 0, targetIp: a.address };
      this.transmitFrame(iface, { dst: BROADCAST_MAC, src: iface.mac, etherType: ETHERTYPE_ARP, payload: arp });
    }
  }

  /**
   * Sends an ICMP error about `original`, following RFC 1122 3.2.2: never about an ICMP error, a
   * broadcast or multicast, or a packet from an address that cannot be answered; rate limited.
   */
  sendIcmpError(original: Ipv4Packet, message: IcmpMessage, _inIface?: Interface): void {
    if (original.protocol === IPPROTO_ICMP) {
      const m = original.payload as IcmpMessage;
      if (m.kind !== 'echo-request' && m.kind !== 'echo-reply') return;
    }
    if ((original.dst >>> 28) === 0xe || original.dst === 0xffffffff) return;
    if (original.src === 0 || (original.src >>> 28) >= 0xe) return;
    if (this.profile.icmpRateLimit.types.includes(message.kind) && !this.icmpAllowed(original.src)) {
      this.emit({ kind: 'icmp-rate-limited', node: this.name, packet: original });
      return;
    }
    this.sendIp({
      tos: 0xc0, // Internetwork control, as Linux and IOS mark ICMP errors
      id: this.nextIpId(),
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: this.profile.defaultTtl,
      protocol: IPPROTO_ICMP,
      // An error about a packet addressed to us comes from that address (Linux icmp_send); for a
      // forwarded packet the outgoing interface's address is used.
      src: this.isLocalAddress(original.dst) ? original.dst : 0,
      dst: original.src,
      payload: message,
    });
  }

  private icmpAllowed(dst: Ipv4Addr): boolean {
    const { interval, burst, perDestination } = this.profile.icmpRateLimit;
    const key = perDestination ? dst : 0;
    const now = this.now;
    let bucket = this.icmpTokens.get(key);
    if (bucket === undefined) {
      bucket = { tokens: burst * interval, last: now };
      this.icmpTokens.set(key, bucket);
    }
    bucket.tokens = Math.min(burst * interval, bucket.tokens + (now - bucket.last));
    bucket.last = now;
    if (bucket.tokens < interval) return false;
    bucket.tokens -= interval;
    return true;
  }

  // ---- sockets -----------------------------------------------------------------------------------

  /** Binds a UDP socket; port 0 picks an ephemeral port. Throws if the address/port is taken. */
  udpBind(localAddress: Ipv4Addr, localPort: number, handlers: UdpHandlers): UdpSocket {
    if (!this.running) throw new Error(`${this.name} is not running`);
    const port = localPort === 0 ? this.ephemeralPort() : localPort;
    const list = this.sockets.get(port) ?? [];
    if (list.some((e) => e.socket.localAddress === localAddress || e.socket.localAddress === 0 || localAddress === 0)) {
      throw new Error(`${this.name}: UDP port ${port} already in use (EADDRINUSE)`);
    }
    const socket = new UdpSocketImpl(this, localAddress, port);
    list.push({ socket, handlers });
    this.sockets.set(port, list);
    return socket;
  }

  /** @internal */
  unbind(socket: UdpSocketImpl): void {
    const list = this.sockets.get(socket.localPort);
    if (list === undefined) return;
    const kept = list.filter((e) => e.socket !== socket);
    if (kept.length === 0) this.sockets.delete(socket.localPort);
    else this.sockets.set(socket.localPort, kept);
  }

  private findSocket(dst: Ipv4Addr, port: number): SocketEntry | undefined {
    const list = this.sockets.get(port);
    if (list === undefined) return undefined;
    let wildcard: SocketEntry | undefined;
    for (const e of list) {
      if (e.socket.localAddress === dst) return e;
      if (e.socket.localAddress === 0) wildcard = e;
    }
    return wildcard;
  }

  private ephemeralPort(): number {
    const [lo, hi] = this.profile.ephemeralPorts;
    for (let tries = 0; tries < 1000; tries++) {
      const p = this.rng.int(lo, hi);
      if (!this.sockets.has(p)) return p;
    }
    throw new Error(`${this.name}: no free ephemeral UDP port`);
  }

  addIcmpListener(listener: IcmpListener): () => void {
    this.icmpListeners.add(listener);
    return () => this.icmpListeners.delete(listener);
  }

  private emit(e: StackEvent): void {
    for (let i = 0; i < this.events.length; i++) this.events[i]!(e);
  }
}

function processFrame(_now: SimTime, iface: Interface, frame: EthernetFrame): void {
  iface.node.process(iface, frame);
}

export type StackEvent = {
  kind: 'arp-failed' | 'arp-dropped' | 'no-route' | 'ttl-expired' | 'port-unreachable' | 'icmp-rate-limited';
  node: string;
  packet: Ipv4Packet;
};

class UdpSocketImpl implements UdpSocket {
  private closed = false;
  constructor(
    readonly node: NetNode,
    readonly localAddress: Ipv4Addr,
    readonly localPort: number,
  ) {}

  send(dst: Ipv4Addr, dstPort: number, payload: Uint8Array | EncodablePayload, options: SendOptions = {}): SendResult {
    if (this.closed) throw new Error(`${this.node.name}: send on a closed UDP socket (port ${this.localPort})`);
    const packet: Ipv4Packet = {
      tos: 0,
      id: options.id ?? this.node.nextIpId(),
      dontFragment: options.dontFragment ?? this.node.profile.os === 'linux',
      moreFragments: false,
      fragmentOffset: 0,
      ttl: options.ttl ?? this.node.profile.defaultTtl,
      protocol: IPPROTO_UDP,
      src: options.src ?? this.localAddress,
      dst,
      payload: { srcPort: this.localPort, dstPort, payload },
    };
    return this.node.sendIp(packet, options.ifIndex);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node.unbind(this);
  }
}
