/**
 * A node (router or host): its identity and interfaces, boot and halt, the single CPU queue that
 * gives every received frame the node's processing time in order, Ethernet input and output with
 * ARP, Linux aliases, and the typed registry where the layers above keep per-node state.
 *
 * The IPv4 stack is split by protocol, as smoltcp splits src/iface/interface/: lib/net/ipv4.ts
 * (own addresses, forwarding, local delivery, TTL), lib/net/icmp.ts (echo, ICMP errors and their
 * rate limits), lib/net/udp.ts (the socket table). The methods of NetNode that other code calls
 * (`sendIp`, `udpBind`, `addIcmpListener`, …) stay here and hand over to them.
 */
import type { Duration, SimTime } from '../sim/time';
import { ms } from '../sim/time';
import type { Rng } from '../sim/rng';
import type { Scheduler } from '../sim/scheduler';
import type { ArpPacket, EthernetFrame, IcmpMessage, Ipv4Addr, Ipv4Packet, MacAddr } from '../wire/types';
import { ARP_REPLY, ARP_REQUEST, ETHERTYPE_ARP, ETHERTYPE_IPV4, ICMP_UNREACH_HOST, ICMP_UNREACH_NET, IPPROTO_ICMP } from '../wire/types';
import { BROADCAST_MAC, isMulticastMac, multicastMacFor, prefixMask } from '../wire/addr';
import { icmpInvokingBytes } from '../wire/icmp';
import { ArpCache, ARP_PROFILES, type ArpProfile } from '../proto/arp';
import { DEFAULT_DISTANCE, Fib, type FibRoute } from '../proto/fib';
import { Interface, type InterfaceAddressRecord } from './interface';
import { Ipv4, type SendResult } from './ipv4';
import { Icmp, IOS_ICMP_RATE_LIMIT, LINUX_ICMP_RATE_LIMIT, type IcmpListener, type IcmpRateLimit } from './icmp';
import { UdpSockets, type UdpHandlers, type UdpSocket } from './udp';
import { ServiceRegistry, type ServiceKey } from './service';

export type { SendResult } from './ipv4';
export type { IcmpListener, IcmpRateLimit } from './icmp';
export type { IcmpErrorMeta, SendOptions, UdpHandlers, UdpMeta, UdpSocket } from './udp';

export type NodeOs = 'ios' | 'linux';

/** Behaviour that differs between the operating systems these labs run. */
/** A configured static route: a setup script's `route add` (kernel), staticd's or IOS's `ip route`. */
export interface StaticRoute {
  prefix: Ipv4Addr;
  prefixLength: number;
  via: Ipv4Addr | null;
  device: string | null;
  /** No way out: dropped (`blackhole`) or refused with an ICMP unreachable (`reject`). */
  blackhole?: 'blackhole' | 'reject';
  /** Administrative distance; absent: 1. */
  distance?: number;
  /** Installed by the kernel's `route add`, not by zebra (FRR's `K` routes). */
  kernel?: boolean;
  /** Installed by staticd/zebra: it stays configured when its interface goes down. */
  zebra?: boolean;
}

export interface StackProfile {
  os: NodeOs;
  arp: ArpProfile;
  /** Initial TTL of locally generated packets (Linux 64, IOS 255). */
  defaultTtl: number;
  /** Code of the ICMP unreachable sent when no route matches (IOS: host, Linux: net). */
  noRouteCode: number;
  /** ICMP error rate limit (lib/net/icmp.ts says what each device does and why). */
  icmpRateLimit: IcmpRateLimit;
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
    icmpRateLimit: LINUX_ICMP_RATE_LIMIT, // 6 per destination, one more a second
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
    icmpRateLimit: IOS_ICMP_RATE_LIMIT, // unreachables only: a bucket of 2, one more every 500 ms
    portUnreachable: true,
    processingDelay: { min: ms(2), max: ms(6) },
    ephemeralPorts: [49152, 65535],
    icmpQuotePayload: 8,
  },
};

/** A daemon running on a node (RIP, named): started at boot, stopped at halt. */
export interface Service {
  readonly name: string;
  start(node: NetNode): void;
  /** `graceful`: an orderly stop (may send goodbyes); otherwise the process just vanishes. */
  stop(node: NetNode, graceful: boolean): void;
}

/** A packet waiting in an ARP cache for its next hop's MAC. */
interface Queued {
  packet: Ipv4Packet;
  ifIndex: number;
}

export class NetNode {
  readonly interfaces: Interface[] = [];
  readonly fib = new Fib();
  /** Routes from configuration, reinstalled at every boot. */
  staticRoutes: StaticRoute[] = [];
  /** Daemons started at boot and stopped at halt, in this order (and the reverse). */
  readonly services: Service[] = [];
  running = false;
  forwarding: boolean;
  hostname: string;
  /** IPv4: own addresses, multicast groups, forwarding, local delivery (lib/net/ipv4.ts). */
  readonly ipv4: Ipv4;
  /** ICMP: echo, errors sent and received, their rate limits (lib/net/icmp.ts). */
  readonly icmp: Icmp;
  /** UDP: the socket table (lib/net/udp.ts). */
  readonly udp: UdpSockets;
  /** State the layers above keep for this node, by kind (`service(key)`; lib/net/service.ts). */
  private readonly registry = new ServiceRegistry();
  private epoch = 0;
  private busyUntil: SimTime = 0;
  private cpuPending = 0;
  private cpuStale = 0;
  private readonly arpCaches: ArpCache<Queued>[] = [];
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
    /** State shared by every node of the node's network (`Network.shared`); a node alone has its own. */
    readonly shared: ServiceRegistry = new ServiceRegistry(),
  ) {
    this.forwarding = kind === 'router';
    this.hostname = name;
    this.ipv4 = new Ipv4(this, rng.int(0, 0xffff));
    this.icmp = new Icmp(this);
    this.udp = new UdpSockets(this);
  }

  get now(): SimTime {
    return this.scheduler.now;
  }

  // ---- services by kind -------------------------------------------------------------------------

  /** This node's value for `key` (its RIP daemon, its DNS files, …), or undefined if it has none. */
  service<T>(key: ServiceKey<T>): T | undefined {
    return this.registry.get(key);
  }

  /** Registers this node's value for `key`, replacing any earlier one. */
  setService<T>(key: ServiceKey<T>, value: T): void {
    this.registry.set(key, value);
  }

  /** This node's value for `key`, made by `create` on first use. */
  serviceOrCreate<T>(key: ServiceKey<T>, create: () => T): T {
    return this.registry.getOrCreate(key, create);
  }

  // ---- interfaces -------------------------------------------------------------------------------

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
            if (this.profile.arp.icmpOnFailure) this.icmp.sendError(q.packet, { kind: 'dest-unreachable', code: ICMP_UNREACH_HOST, nextHopMtu: 0, invoking: icmpInvokingBytes(q.packet, this.profile.icmpQuotePayload) });
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
    this.udp.clear();
    this.icmp.clear();
    this.ipv4.clear();
  }

  /** Installs connected and static routes from the interfaces' current state. */
  rebuildRoutes(): void {
    this.ipv4.collectLocalAddresses();
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
      const route = this.staticFibRoute(r);
      if (route !== null) wanted.push(route);
    }
    // Change only what changed, so the route log shows an interface coming back as additions, not as
    // every connected route removed and re-added.
    const key = (r: FibRoute) => `${r.source}/${r.prefix}/${r.prefixLength}/${r.nextHop}/${r.ifIndex}/${r.distance}/${r.blackhole ?? ''}`;
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
        // staticd's routes do: it installs them again once their next hop resolves (staticd/static_zebra.c).
        this.staticRoutes = this.staticRoutes.filter((r) => r.zebra === true || this.resolveStaticInterface(r.via, r.device)?.index !== iface.index);
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

  /** The forwarding entry of a static route now, or null while its gateway or interface is not usable. */
  private staticFibRoute(r: StaticRoute): FibRoute | null {
    const prefix = (r.prefix & prefixMask(r.prefixLength)) >>> 0;
    const distance = r.distance ?? DEFAULT_DISTANCE.static;
    const base = { prefix, prefixLength: r.prefixLength, source: 'static' as const, distance, metric: 0, updatedAt: this.now };
    if (r.blackhole !== undefined) return { ...base, nextHop: 0, ifIndex: -1, blackhole: r.blackhole };
    const out = this.resolveStaticInterface(r.via, r.device);
    if (out === null) return null; // gateway not on an operational subnet: the route is inactive
    const route: FibRoute = { ...base, nextHop: r.via ?? 0, ifIndex: out.index };
    if (r.kernel === true) route.kernel = true;
    return route;
  }

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

  // ---- IPv4, ICMP and UDP, as other code calls them (lib/net/ipv4.ts, icmp.ts, udp.ts) ----------

  /** Whether `addr` is one of this node's own addresses (any interface: the weak host model). */
  isLocalAddress(addr: Ipv4Addr): boolean {
    return this.ipv4.isLocalAddress(addr);
  }

  joinMulticast(group: Ipv4Addr): void {
    this.ipv4.joinMulticast(group);
  }

  leaveMulticast(group: Ipv4Addr): void {
    this.ipv4.leaveMulticast(group);
  }

  nextIpId(): number {
    return this.ipv4.nextId();
  }

  /**
   * Sends a locally generated packet. A zero source address is filled in from the outgoing
   * interface, as the kernel does for an unbound socket.
   */
  sendIp(packet: Ipv4Packet, ifIndex?: number): SendResult {
    return this.ipv4.send(packet, ifIndex);
  }

  /**
   * Sends an ICMP error about `original`, following RFC 1122 3.2.2: never about an ICMP error, a
   * broadcast or multicast, or a packet from an address that cannot be answered; rate limited.
   */
  sendIcmpError(original: Ipv4Packet, message: IcmpMessage, inIface?: Interface): void {
    this.icmp.sendError(original, message, inIface);
  }

  addIcmpListener(listener: IcmpListener): () => void {
    return this.icmp.addListener(listener);
  }

  /** Binds a UDP socket; port 0 picks an ephemeral port. Throws if the address/port is taken. */
  udpBind(localAddress: Ipv4Addr, localPort: number, handlers: UdpHandlers): UdpSocket {
    return this.udp.bind(localAddress, localPort, handlers);
  }

  /** @internal */
  unbind(socket: UdpSocket): void {
    this.udp.unbind(socket);
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
      if (packet.protocol === IPPROTO_ICMP && (packet.payload as IcmpMessage).kind !== 'echo-request' && this.ipv4.isLocalAddress(packet.dst)) cost = 0;
    }
    const start = this.busyUntil > this.now ? this.busyUntil : this.now;
    const done = start + cost;
    this.busyUntil = done;
    this.cpuPending++;
    this.scheduler.post2(done, processFrame, iface, frame);
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
    if (frame.etherType === ETHERTYPE_IPV4) this.ipv4.input(iface, frame.payload as Ipv4Packet);
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

  // ---- output -----------------------------------------------------------------------------------

  /** @internal An IPv4 packet out of `out` towards `nextHop`: the MAC from the group, broadcast or ARP. */
  outputVia(out: Interface, nextHop: Ipv4Addr, packet: Ipv4Packet): void {
    if ((packet.dst >>> 28) === 0xe) {
      this.transmitIp(out, multicastMacFor(packet.dst), packet);
      return;
    }
    if (packet.dst === 0xffffffff || this.ipv4.isLocalBroadcast(packet.dst, out)) {
      this.transmitIp(out, BROADCAST_MAC, packet);
      return;
    }
    const cache = this.arpCaches[out.index]!;
    const mac = cache.usableMac(this.now, nextHop);
    if (mac !== -1) {
      this.transmitIp(out, mac, packet);
      return;
    }
    const result = cache.output(this.now, nextHop, { packet, ifIndex: out.index });
    if (result.kind === 'send') this.transmitIp(out, result.mac, packet);
    else if (result.kind === 'dropped') {
      this.droppedPackets++;
      this.emit({ kind: 'arp-dropped', node: this.name, packet });
    }
  }

  private transmitIp(out: Interface, dstMac: MacAddr, packet: Ipv4Packet): void {
    this.transmitFrame(out, new Ipv4Frame(dstMac, out.mac, packet));
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
    const arp: ArpPacket = { op: ARP_REQUEST, senderMac: iface.mac, senderIp: this.ipv4.sourceFor(iface, ip), targetMac: 0, targetIp: ip };
    this.transmitFrame(iface, { dst: unicastTo ?? BROADCAST_MAC, src: iface.mac, etherType: ETHERTYPE_ARP, payload: arp });
  }

  private sendGratuitousArp(iface: Interface): void {
    for (const a of iface.addresses) {
      const arp: ArpPacket = { op: ARP_REQUEST, senderMac: iface.mac, senderIp: a.address, targetMac: 0, targetIp: a.address };
      this.transmitFrame(iface, { dst: BROADCAST_MAC, src: iface.mac, etherType: ETHERTYPE_ARP, payload: arp });
    }
  }

  /** @internal Tells the observers of `events` (lib/net/ipv4.ts, icmp.ts, udp.ts report here too). */
  emit(e: StackEvent): void {
    for (let i = 0; i < this.events.length; i++) this.events[i]!(e);
  }
}

/**
 * An IPv4 frame this node sends. A class rather than a literal, for the same reason as lib/net/ipv4.ts
 * ForwardedPacket (V8 gives its fields their own representation); same own properties, same order.
 */
class Ipv4Frame implements EthernetFrame {
  dst: MacAddr;
  src: MacAddr;
  etherType: number;
  payload: Ipv4Packet;

  constructor(dst: MacAddr, src: MacAddr, payload: Ipv4Packet) {
    this.dst = dst;
    this.src = src;
    this.etherType = ETHERTYPE_IPV4;
    this.payload = payload;
  }
}

function processFrame(iface: Interface, frame: EthernetFrame): void {
  iface.node.process(iface, frame);
}

export type StackEvent = {
  kind: 'arp-failed' | 'arp-dropped' | 'no-route' | 'ttl-expired' | 'port-unreachable' | 'icmp-rate-limited';
  node: string;
  packet: Ipv4Packet;
};
