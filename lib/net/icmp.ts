/**
 * A node's ICMP: answering echo requests, handing the ICMP errors it receives to the UDP socket
 * that caused them and to listeners (ping, traceroute), and sending ICMP errors under the rules of
 * RFC 1122 §3.2.2 with the rate limits real devices apply.
 */
import type { Duration, SimTime } from '../sim/time';
import { ms } from '../sim/time';
import type { IcmpMessage, Ipv4Addr, Ipv4Packet } from '../wire/types';
import { IPPROTO_ICMP } from '../wire/types';
import type { Interface } from './interface';
import type { NetNode } from './node';

/**
 * ICMP error rate limit: a token bucket per destination (Linux) or per node (IOS), applied to the
 * ICMP types listed (Linux icmp_ratemask 0x1818: unreachable, source quench, time exceeded,
 * parameter problem; IOS `ip icmp rate-limit unreachable`: unreachables only). The bucket holds
 * `burst` tokens and gains one every `interval`.
 */
export interface IcmpRateLimit {
  interval: Duration;
  burst: number;
  perDestination: boolean;
  types: readonly IcmpMessage['kind'][];
}

/** Linux: 6 per destination, refilled one a second. */
// net.ipv4.icmp_ratelimit = 1000 ms with a burst of 6 (XRLIM_BURST_FACTOR), per peer.
export const LINUX_ICMP_RATE_LIMIT: IcmpRateLimit = { interval: ms(1000), burst: 6, perDestination: true, types: ['dest-unreachable', 'time-exceeded'] };

/** IOS: unreachables only, one bucket of 2 for the node, refilled one every 500 ms. */
// `ip icmp rate-limit unreachable` defaults to one per 500 ms.
// NOTE: a bucket of two: the write-up's IOS traceroute shows "12 msec 12 msec *" at the last
// hop — two port unreachables back to back, the third suppressed.
export const IOS_ICMP_RATE_LIMIT: IcmpRateLimit = { interval: ms(500), burst: 2, perDestination: false, types: ['dest-unreachable'] };

/** Sees every ICMP message the node receives (ping, traceroute). Return nothing. */
export type IcmpListener = (message: IcmpMessage, packet: Ipv4Packet, time: SimTime) => void;

/** Tokens in µs of credit (one error costs `interval`), as of `last`. */
interface Bucket {
  tokens: number;
  last: SimTime;
}

export class Icmp {
  private readonly listeners = new Set<IcmpListener>();
  /** Rate-limit buckets by destination (key 0: the node's one bucket). */
  private readonly tokens = new Map<Ipv4Addr, Bucket>();

  constructor(private readonly node: NetNode) {}

  addListener(listener: IcmpListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The node halted: listeners and buckets go with it. */
  clear(): void {
    this.listeners.clear();
    this.tokens.clear();
  }

  /** An ICMP message for this node. */
  input(iface: Interface, packet: Ipv4Packet, msg: IcmpMessage): void {
    const node = this.node;
    if (msg.kind === 'echo-request') {
      // RFC 1122 §3.2.2.6 lets a host ignore echo requests to a broadcast or multicast address; Linux
      // does by default (icmp_echo_ignore_broadcasts = 1).
      if ((packet.dst >>> 28) === 0xe || node.ipv4.isLocalBroadcast(packet.dst, iface)) return;
      node.ipv4.send({
        tos: packet.tos,
        id: node.ipv4.nextId(),
        dontFragment: node.profile.os === 'linux',
        moreFragments: false,
        fragmentOffset: 0,
        ttl: node.profile.defaultTtl,
        protocol: IPPROTO_ICMP,
        src: packet.dst,
        dst: packet.src,
        payload: { kind: 'echo-reply', id: msg.id, seq: msg.seq, data: msg.data },
      });
      return;
    }
    if (msg.kind === 'dest-unreachable' || msg.kind === 'time-exceeded') node.udp.deliverError(packet, msg);
    for (const listener of this.listeners) listener(msg, packet, node.now);
  }

  /**
   * Sends an ICMP error about `original`, following RFC 1122 3.2.2: never about an ICMP error, a
   * broadcast or multicast, or a packet from an address that cannot be answered; rate limited.
   */
  sendError(original: Ipv4Packet, message: IcmpMessage, _inIface?: Interface): void {
    if (original.protocol === IPPROTO_ICMP) {
      const m = original.payload as IcmpMessage;
      if (m.kind !== 'echo-request' && m.kind !== 'echo-reply') return;
    }
    if ((original.dst >>> 28) === 0xe || original.dst === 0xffffffff) return;
    if (original.src === 0 || (original.src >>> 28) >= 0xe) return;
    const node = this.node;
    if (node.profile.icmpRateLimit.types.includes(message.kind) && !this.allowed(original.src)) {
      node.emit({ kind: 'icmp-rate-limited', node: node.name, packet: original });
      return;
    }
    node.ipv4.send({
      tos: 0xc0, // Internetwork control, as Linux and IOS mark ICMP errors
      id: node.ipv4.nextId(),
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: node.profile.defaultTtl,
      protocol: IPPROTO_ICMP,
      // An error about a packet addressed to us comes from that address (Linux icmp_send); for a
      // forwarded packet the outgoing interface's address is used.
      src: node.ipv4.isLocalAddress(original.dst) ? original.dst : 0,
      dst: original.src,
      payload: message,
    });
  }

  /** Takes a token from the bucket for `dst` (Linux net/ipv4/icmp.c icmpv4_xrlim_allow, inet_peer_xrlim_allow). */
  private allowed(dst: Ipv4Addr): boolean {
    const { interval, burst, perDestination } = this.node.profile.icmpRateLimit;
    const key = perDestination ? dst : 0;
    const now = this.node.now;
    let bucket = this.tokens.get(key);
    if (bucket === undefined) {
      bucket = { tokens: burst * interval, last: now };
      this.tokens.set(key, bucket);
    }
    bucket.tokens = Math.min(burst * interval, bucket.tokens + (now - bucket.last));
    bucket.last = now;
    if (bucket.tokens < interval) return false;
    bucket.tokens -= interval;
    return true;
  }
}
