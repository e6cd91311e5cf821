/**
 * A node's UDP: the socket table (bind, ephemeral ports, EADDRINUSE), delivery of datagrams to the
 * socket bound to their address and port (a specific address before the wildcard), the port
 * unreachable when none is, and the ICMP errors a datagram caused handed back to the socket that
 * sent it (as Linux's `__udp4_lib_err` does: ECONNREFUSED, EHOSTUNREACH).
 */
import type { SimTime } from '../sim/time';
import type { EncodablePayload, IcmpMessage, Ipv4Addr, Ipv4Packet, UdpDatagram } from '../wire/types';
import { ICMP_UNREACH_PORT, IPPROTO_UDP } from '../wire/types';
import { icmpInvokingBytes, parseInvoking } from '../wire/icmp';
import type { Interface } from './interface';
import type { SendResult } from './ipv4';
import type { NetNode } from './node';

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

interface SocketEntry {
  socket: UdpSocketImpl;
  handlers: UdpHandlers;
}

export class UdpSockets {
  /** Sockets by local port; more than one only when bound to different specific addresses. */
  private readonly sockets = new Map<number, SocketEntry[]>();

  constructor(private readonly node: NetNode) {}

  /** Binds a UDP socket; port 0 picks an ephemeral port. Throws if the address/port is taken. */
  bind(localAddress: Ipv4Addr, localPort: number, handlers: UdpHandlers): UdpSocket {
    const node = this.node;
    if (!node.running) throw new Error(`${node.name} is not running`);
    const port = localPort === 0 ? this.ephemeralPort() : localPort;
    const list = this.sockets.get(port) ?? [];
    if (list.some((e) => e.socket.localAddress === localAddress || e.socket.localAddress === 0 || localAddress === 0)) {
      throw new Error(`${node.name}: UDP port ${port} already in use (EADDRINUSE)`);
    }
    const socket = new UdpSocketImpl(node, localAddress, port);
    list.push({ socket, handlers });
    this.sockets.set(port, list);
    return socket;
  }

  unbind(socket: UdpSocket): void {
    const list = this.sockets.get(socket.localPort);
    if (list === undefined) return;
    const kept = list.filter((e) => e.socket !== socket);
    if (kept.length === 0) this.sockets.delete(socket.localPort);
    else this.sockets.set(socket.localPort, kept);
  }

  /** The node halted: its sockets are gone with its processes. */
  clear(): void {
    this.sockets.clear();
  }

  /** A datagram for this node: to its socket, or a port unreachable (never for broadcast or multicast). */
  input(iface: Interface, packet: Ipv4Packet): void {
    const udp = packet.payload as UdpDatagram;
    const entry = this.find(packet.dst, udp.dstPort);
    const node = this.node;
    if (entry === undefined) {
      if (node.profile.portUnreachable && (packet.dst >>> 28) !== 0xe && !node.ipv4.isLocalBroadcast(packet.dst, iface)) {
        node.emit({ kind: 'port-unreachable', node: node.name, packet });
        node.icmp.sendError(packet, { kind: 'dest-unreachable', code: ICMP_UNREACH_PORT, nextHopMtu: 0, invoking: icmpInvokingBytes(packet, node.profile.icmpQuotePayload) }, iface);
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
      time: node.now,
    });
  }

  /** An ICMP error quoting a datagram this node sent: to the socket that sent it, if still bound. */
  deliverError(packet: Ipv4Packet, msg: Extract<IcmpMessage, { invoking: Uint8Array }>): void {
    const quoted = parseInvoking(msg.invoking);
    if (quoted === null || quoted.protocol !== IPPROTO_UDP || quoted.srcPort === null) return;
    const entry = this.find(quoted.src, quoted.srcPort);
    entry?.handlers.onError?.({ from: packet.src, message: msg, time: this.node.now });
  }

  private find(dst: Ipv4Addr, port: number): SocketEntry | undefined {
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
    const [lo, hi] = this.node.profile.ephemeralPorts;
    for (let tries = 0; tries < 1000; tries++) {
      const p = this.node.rng.int(lo, hi);
      if (!this.sockets.has(p)) return p;
    }
    throw new Error(`${this.node.name}: no free ephemeral UDP port`);
  }
}

/** The options of a send that gives none (read only: one object for every such send). */
const NO_OPTIONS: SendOptions = Object.freeze({});

class UdpSocketImpl implements UdpSocket {
  private closed = false;
  constructor(
    readonly node: NetNode,
    readonly localAddress: Ipv4Addr,
    readonly localPort: number,
  ) {}

  send(dst: Ipv4Addr, dstPort: number, payload: Uint8Array | EncodablePayload, options: SendOptions = NO_OPTIONS): SendResult {
    if (this.closed) throw new Error(`${this.node.name}: send on a closed UDP socket (port ${this.localPort})`);
    const node = this.node;
    const packet: Ipv4Packet = {
      tos: 0,
      id: options.id ?? node.ipv4.nextId(),
      dontFragment: options.dontFragment ?? node.profile.os === 'linux',
      moreFragments: false,
      fragmentOffset: 0,
      ttl: options.ttl ?? node.profile.defaultTtl,
      protocol: IPPROTO_UDP,
      src: options.src ?? this.localAddress,
      dst,
      payload: { srcPort: this.localPort, dstPort, payload },
    };
    return node.ipv4.send(packet, options.ifIndex);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node.udp.unbind(this);
  }
}
