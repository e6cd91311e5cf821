/**
 * A node's IPv4 layer: which addresses are its own, multicast membership, the choice between local
 * delivery and forwarding, forwarding itself (TTL, route lookup, the ICMP errors it owes), and
 * sending locally generated packets. As smoltcp's src/iface/interface/ipv4.rs does for its
 * `InterfaceInner`, it works on the node's state (interfaces, FIB, profile) rather than owning it;
 * it owns only what is IPv4's alone (own-address set, groups joined, the IP ID counter).
 *
 * The link layer below (next hop → MAC, ARP, the wire) is the node's (`NetNode.outputVia`); ICMP
 * and UDP above are lib/net/icmp.ts and lib/net/udp.ts.
 */
import type { IcmpMessage, Ipv4Addr, Ipv4Packet } from '../wire/types';
import { ICMP_UNREACH_HOST, IPPROTO_ICMP, IPPROTO_UDP } from '../wire/types';
import { prefixMask } from '../wire/addr';
import { icmpInvokingBytes } from '../wire/icmp';
import type { Fib } from '../proto/fib';
import type { Interface } from './interface';
import type { NetNode, StackProfile } from './node';

export type SendResult = 'sent' | 'no-route' | 'down';

/** All-hosts (224.0.0.1): every IPv4 host is a member, without joining (RFC 1112 §4). */
const ALL_HOSTS_GROUP = 0xe0000001;

/**
 * The copy of a packet that a router sends on, TTL one less. A class of its own rather than an object
 * literal: its fields keep their own representation in V8, so a unicast address that fits a small
 * integer is stored as one, where the literal's shape, shared with every RIP update to 224.0.0.9,
 * boxed both addresses of every forwarded packet. Same own properties in the same order as the
 * literal it replaces, so nothing that lists or serialises a packet can tell.
 */
class ForwardedPacket implements Ipv4Packet {
  tos: number;
  id: number;
  dontFragment: boolean;
  moreFragments: boolean;
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  payload: Ipv4Packet['payload'];

  constructor(packet: Ipv4Packet) {
    this.tos = packet.tos;
    this.id = packet.id;
    this.dontFragment = packet.dontFragment;
    this.moreFragments = packet.moreFragments;
    this.fragmentOffset = packet.fragmentOffset;
    this.ttl = packet.ttl - 1;
    this.protocol = packet.protocol;
    this.src = packet.src;
    this.dst = packet.dst;
    this.payload = packet.payload;
  }
}

export class Ipv4 {
  /**
   * Own addresses, looked up on every packet; rebuilt with the routes (boot, interface changes).
   * Code that adds an address to a running node must call `NetNode.rebuildRoutes()`, as the kernel
   * would add the connected route.
   */
  private localAddresses = new Set<Ipv4Addr>();
  /** Groups joined, with how many sockets joined each. */
  private readonly multicastGroups = new Map<Ipv4Addr, number>();
  private readonly fib: Fib;
  private readonly interfaces: readonly Interface[];
  private readonly profile: StackProfile;

  constructor(
    private readonly node: NetNode,
    /** The IP ID counter (the last ID used); the node draws its start at random. */
    private ipId: number,
  ) {
    this.fib = node.fib;
    this.interfaces = node.interfaces;
    this.profile = node.profile;
  }

  // ---- addresses ------------------------------------------------------------------------------

  /** Whether `addr` is one of this node's own addresses (any interface: the weak host model). */
  isLocalAddress(addr: Ipv4Addr): boolean {
    return this.localAddresses.has(addr);
  }

  /** Takes the own-address set from the interfaces' current addresses (administratively up ones). */
  collectLocalAddresses(): void {
    const set = new Set<Ipv4Addr>();
    for (const iface of this.interfaces) {
      if (!iface.adminUp) continue;
      for (const a of iface.addresses) set.add(a.address);
    }
    this.localAddresses = set;
  }

  /** The limited broadcast, or the directed broadcast of one of `iface`'s subnets (not /31, /32). */
  isLocalBroadcast(addr: Ipv4Addr, iface: Interface): boolean {
    if (addr === 0xffffffff) return true;
    // A directed broadcast of a subnet of /30 or shorter has its last two (host) bits set: every
    // forwarded unicast packet that lacks them is answered without the scan below.
    if ((addr & 3) !== 3) return false;
    for (const a of iface.addresses) {
      if (a.prefixLength >= 31) continue;
      const m = prefixMask(a.prefixLength);
      if ((addr & ~m) >>> 0 === (~m >>> 0) && ((addr ^ a.address) & m) === 0) return true;
    }
    return false;
  }

  /** Source address for traffic out of `iface` towards `neighbour`: the address on its subnet. */
  sourceFor(iface: Interface, neighbour: Ipv4Addr): Ipv4Addr {
    for (const a of iface.addresses) {
      if (((a.address ^ neighbour) & prefixMask(a.prefixLength)) === 0) return a.address;
    }
    return iface.primaryAddress;
  }

  joinMulticast(group: Ipv4Addr): void {
    this.multicastGroups.set(group, (this.multicastGroups.get(group) ?? 0) + 1);
  }

  leaveMulticast(group: Ipv4Addr): void {
    const n = (this.multicastGroups.get(group) ?? 0) - 1;
    if (n <= 0) this.multicastGroups.delete(group);
    else this.multicastGroups.set(group, n);
  }

  private acceptsMulticast(group: Ipv4Addr): boolean {
    return group === ALL_HOSTS_GROUP || this.multicastGroups.has(group);
  }

  /** The node halted: memberships are gone with the processes that held them. */
  clear(): void {
    this.multicastGroups.clear();
  }

  // ---- input ------------------------------------------------------------------------------------

  /** An IPv4 packet the CPU took off `iface`: delivered here, forwarded, or dropped. */
  input(iface: Interface, packet: Ipv4Packet): void {
    const dst = packet.dst;
    // Multicast first: every RIP update is one, and it needs no scan of the interfaces' broadcasts.
    if ((dst >>> 28) === 0xe) {
      // A group we did not join is not forwarded either (no multicast routing).
      if (this.acceptsMulticast(dst)) this.deliverLocal(iface, packet);
      return;
    }
    if (this.isLocalAddress(dst) || this.isLocalBroadcast(dst, iface)) {
      this.deliverLocal(iface, packet);
      return;
    }
    if (!this.node.forwarding) {
      this.node.droppedPackets++;
      return;
    }
    this.forward(iface, packet);
  }

  /**
   * A packet whose TTL would reach 0 is dropped with a time exceeded (RFC 1812 §5.3.1); one with no
   * route, with the profile's unreachable; otherwise a copy with TTL − 1 goes out (a packet in
   * flight is a value other nodes may hold, so it is never changed in place).
   */
  private forward(inIface: Interface, packet: Ipv4Packet): void {
    // The two refusals are out of line: `forward` stays small enough for V8 to inline it.
    if (packet.ttl <= 1) return this.timeExceeded(inIface, packet);
    const route = this.fib.lookupRoute(packet.dst);
    if (route === null) return this.noRoute(inIface, packet);
    const node = this.node;
    if (route.blackhole !== undefined) return this.blackholed(inIface, packet, route.blackhole);
    const out = this.interfaces[route.ifIndex]!;
    if (!out.operational) {
      node.droppedPackets++;
      return;
    }
    node.forwardedPackets++;
    const copy = new ForwardedPacket(packet);
    node.outputVia(out, route.nextHop === 0 ? packet.dst : route.nextHop, copy);
  }

  private timeExceeded(inIface: Interface, packet: Ipv4Packet): void {
    const node = this.node;
    node.icmp.sendError(packet, { kind: 'time-exceeded', code: 0, invoking: icmpInvokingBytes(packet, this.profile.icmpQuotePayload) }, inIface);
    node.emit({ kind: 'ttl-expired', node: node.name, packet });
  }

  /**
   * A blackhole route drops the packet in silence; a reject route answers with a host unreachable
   * (Linux: RTN_BLACKHOLE's -EINVAL sends nothing, RTN_UNREACHABLE's -EHOSTUNREACH becomes
   * ICMP_HOST_UNREACH in ip_error(); a real FRR 8.4 run: `ping` through a `reject` route prints
   * "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable", through `blackhole` nothing).
   */
  private blackholed(inIface: Interface, packet: Ipv4Packet, kind: 'blackhole' | 'reject'): void {
    const node = this.node;
    node.droppedPackets++;
    node.emit({ kind: 'no-route', node: node.name, packet });
    if (kind === 'reject') node.icmp.sendError(packet, { kind: 'dest-unreachable', code: ICMP_UNREACH_HOST, nextHopMtu: 0, invoking: icmpInvokingBytes(packet, this.profile.icmpQuotePayload) }, inIface);
  }

  private noRoute(inIface: Interface, packet: Ipv4Packet): void {
    const node = this.node;
    node.droppedPackets++;
    node.emit({ kind: 'no-route', node: node.name, packet });
    node.icmp.sendError(packet, { kind: 'dest-unreachable', code: this.profile.noRouteCode, nextHopMtu: 0, invoking: icmpInvokingBytes(packet, this.profile.icmpQuotePayload) }, inIface);
  }

  /** A packet for this node, by protocol: ICMP and UDP (nothing else is spoken here). */
  deliverLocal(iface: Interface, packet: Ipv4Packet): void {
    if (packet.protocol === IPPROTO_ICMP) this.node.icmp.input(iface, packet, packet.payload as IcmpMessage);
    else if (packet.protocol === IPPROTO_UDP) this.node.udp.input(iface, packet);
  }

  // ---- output -----------------------------------------------------------------------------------

  nextId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /**
   * Sends a locally generated packet. A zero source address is filled in from the outgoing
   * interface, as the kernel does for an unbound socket.
   */
  send(packet: Ipv4Packet, ifIndex?: number): SendResult {
    const node = this.node;
    if (!node.running) return 'down';
    if (this.isLocalAddress(packet.dst)) {
      // To ourselves: through the loopback, no wire, no processing queue.
      if (packet.src === 0) packet.src = packet.dst;
      const lo = this.interfaces.find((i) => i.loopback) ?? this.interfaces[0]!;
      node.scheduleGuarded(node.now, () => this.deliverLocal(lo, packet));
      return 'sent';
    }
    if (ifIndex !== undefined) {
      const out = this.interfaces[ifIndex]!;
      if (!out.operational) return 'down';
      if (packet.src === 0) packet.src = out.primaryAddress;
      node.outputVia(out, packet.dst, packet);
      return 'sent';
    }
    const route = this.fib.lookupRoute(packet.dst);
    if (route === null) return 'no-route';
    if (route.blackhole !== undefined) return 'no-route'; // the kernel refuses the send (EINVAL / EHOSTUNREACH)
    const out = this.interfaces[route.ifIndex]!;
    if (!out.operational) return 'down';
    if (packet.src === 0) packet.src = this.sourceFor(out, route.nextHop === 0 ? packet.dst : route.nextHop);
    node.outputVia(out, route.nextHop === 0 ? packet.dst : route.nextHop, packet);
    return 'sent';
  }
}
