/**
 * The ARP neighbour cache, with the behaviour of the two kinds of device in these labs.
 *
 * Linux (net/ipv4/arp.c + net/core/neighbour.c, defaults of /proc/sys/net/ipv4/neigh/default):
 *   INCOMPLETE → up to mcast_solicit (3) broadcast requests retrans_time (1 s) apart, packets queued
 *   meanwhile (unres_qlen); on failure every queued packet is dropped with ICMP host unreachable to
 *   its sender. A resolved entry is REACHABLE for a random time in [0.5, 1.5) × base_reachable_time
 *   (30 s), then STALE; a STALE entry still forwards, and its first use starts DELAY (5 s,
 *   delay_first_probe_time) then PROBE: ucast_solicit (3) unicast requests 1 s apart; no answer ⇒
 *   FAILED and the entry is removed. Replies from upper-layer confirmation (TCP) are not modelled:
 *   UDP-only traffic, as in these labs, re-probes like this on real Linux too.
 * Cisco IOS ("arp timeout" default 14400 s = 4 h; the packet that triggers resolution is dropped —
 *   the familiar ".!!!!" of a first ping): entries live 4 hours, are never re-validated, and a
 *   failed resolution drops packets silently (no ICMP).
 */
import type { Duration, SimTime } from '../sim/time';
import { hours, seconds } from '../sim/time';
import type { Rng } from '../sim/rng';
import type { Ipv4Addr, MacAddr } from '../wire/types';

export interface ArpProfile {
  name: string;
  /** Linux base_reachable_time; the real value is drawn in [0.5, 1.5) × this. IOS: the arp timeout. */
  reachableTime: Duration;
  /** Whether the reachable time is randomised (Linux) or fixed (IOS arp timeout). */
  randomizeReachable: boolean;
  /** Whether an entry past its reachable time is re-validated (Linux) or simply removed (IOS). */
  revalidate: boolean;
  /** Time between resolution attempts (Linux retrans_time_ms, 1000). */
  retransTime: Duration;
  /** Broadcast requests before giving up (Linux mcast_solicit, 3). */
  multicastSolicit: number;
  /** Unicast probes of a stale entry (Linux ucast_solicit, 3). */
  unicastSolicit: number;
  /** Linux delay_first_probe_time (5 s). */
  delayFirstProbe: Duration;
  /** Packets held while resolving; 0 = the triggering packet is dropped (IOS). Linux unres_qlen: 101. */
  queueLength: number;
  /** Send ICMP host unreachable for packets dropped by a failed resolution (Linux yes, IOS no). */
  icmpOnFailure: boolean;
  /** Whether an ARP request from a neighbour creates an entry for it (both do, RFC 826 merge). */
  learnFromRequests: boolean;
}

export const ARP_PROFILES: Record<'linux' | 'ios', ArpProfile> = {
  linux: {
    name: 'linux',
    reachableTime: seconds(30),
    randomizeReachable: true,
    revalidate: true,
    retransTime: seconds(1),
    multicastSolicit: 3,
    unicastSolicit: 3,
    delayFirstProbe: seconds(5),
    queueLength: 101,
    icmpOnFailure: true,
    learnFromRequests: true,
  },
  ios: {
    name: 'ios',
    reachableTime: hours(4),
    randomizeReachable: false,
    revalidate: false,
    // NOTE: IOS retries an incomplete entry on demand, throttled; we retry like Linux but drop the
    // packets, which shows the same thing on the wire for a stream of one packet per second or slower.
    retransTime: seconds(1),
    multicastSolicit: 3,
    unicastSolicit: 0,
    delayFirstProbe: 0,
    queueLength: 0,
    icmpOnFailure: false,
    learnFromRequests: true,
  },
};

export type ArpState = 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe';

export interface ArpEntry<P> {
  ip: Ipv4Addr;
  mac: MacAddr;
  state: ArpState;
  /** When the entry was created or last confirmed (for `arp -n` / `show ip arp` ages). */
  confirmedAt: SimTime;
  /** When the current state ends. */
  deadline: SimTime;
  probesSent: number;
  queue: P[];
}

/** What the cache needs from its node: sending requests and finishing with queued packets. */
export interface ArpPort<P> {
  sendRequest(targetIp: Ipv4Addr, unicastTo: MacAddr | null): void;
  /** Resolution succeeded: transmit the packets that waited for it. */
  flush(mac: MacAddr, packets: P[]): void;
  /** Resolution failed: the packets are dropped (with ICMP when the profile says so). */
  fail(ip: Ipv4Addr, packets: P[]): void;
  /** Ask to be called back (`tick`) at `at`. */
  wakeAt(at: SimTime): void;
}

export type ArpOutput = { kind: 'send'; mac: MacAddr } | { kind: 'queued' } | { kind: 'dropped' };

/** One cache per interface. */
export class ArpCache<P> {
  private readonly entries = new Map<Ipv4Addr, ArpEntry<P>>();

  constructor(
    readonly profile: ArpProfile,
    private readonly rng: Rng,
    private readonly port: ArpPort<P>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Entries in address order, for consoles. */
  list(): ArpEntry<P>[] {
    return [...this.entries.values()].sort((a, b) => a.ip - b.ip);
  }

  get(ip: Ipv4Addr): ArpEntry<P> | undefined {
    return this.entries.get(ip);
  }

  clear(): void {
    this.entries.clear();
  }

  /**
   * The neighbour's MAC when a packet to it can go at once with no change to the entry (reachable
   * and not yet due, or already in delay/probe), else -1: then `output` must run. Every forwarded
   * packet asks this first, so the common case allocates neither the queued packet's record nor
   * an `ArpOutput`.
   */
  usableMac(now: SimTime, ip: Ipv4Addr): MacAddr | -1 {
    const entry = this.entries.get(ip);
    if (entry === undefined) return -1;
    const state = entry.state;
    if (state === 'reachable') return now < entry.deadline ? entry.mac : -1;
    return state === 'delay' || state === 'probe' ? entry.mac : -1;
  }

  /** A packet must go to neighbour `ip`: send it now, queue it, or drop it while resolving. */
  output(now: SimTime, ip: Ipv4Addr, packet: P): ArpOutput {
    const entry = this.entries.get(ip);
    if (entry === undefined) {
      const fresh: ArpEntry<P> = {
        ip,
        mac: 0,
        state: 'incomplete',
        confirmedAt: now,
        deadline: now + this.profile.retransTime,
        probesSent: 1,
        queue: [],
      };
      this.entries.set(ip, fresh);
      this.port.sendRequest(ip, null);
      this.port.wakeAt(fresh.deadline);
      return this.enqueue(fresh, packet);
    }
    switch (entry.state) {
      case 'incomplete':
        return this.enqueue(entry, packet);
      case 'reachable':
        if (now < entry.deadline) return { kind: 'send', mac: entry.mac };
        if (!this.profile.revalidate) {
          // IOS: the entry timed out (its expiry tick has not run yet at this instant): resolve afresh.
          this.entries.delete(ip);
          return this.output(now, ip, packet);
        }
        return this.useStale(now, entry);
      case 'stale':
        return this.useStale(now, entry);
      case 'delay':
      case 'probe':
        return { kind: 'send', mac: entry.mac };
    }
  }

  /**
   * An ARP packet from a neighbour. Per RFC 826's merge rule an existing entry is updated by any ARP
   * from that address; a new one is created for a reply to us or a request aimed at us.
   */
  input(now: SimTime, senderIp: Ipv4Addr, senderMac: MacAddr, forUs: boolean): void {
    const entry = this.entries.get(senderIp);
    if (entry === undefined) {
      if (!forUs || !this.profile.learnFromRequests) return;
      this.entries.set(senderIp, this.confirmed(now, senderIp, senderMac, []));
      return;
    }
    const queue = entry.queue;
    const wasIncomplete = entry.state === 'incomplete';
    this.entries.set(senderIp, this.confirmed(now, senderIp, senderMac, []));
    if (wasIncomplete && queue.length > 0) this.port.flush(senderMac, queue);
  }

  /** Timer work due at `now`: retransmissions, probes, failures, expiries. */
  tick(now: SimTime): void {
    let next = Infinity;
    for (const entry of [...this.entries.values()]) {
      if (entry.deadline > now) {
        if (entry.state !== 'reachable' && entry.state !== 'stale') next = Math.min(next, entry.deadline);
        else if (entry.state === 'reachable' && !this.profile.revalidate) next = Math.min(next, entry.deadline);
        continue;
      }
      switch (entry.state) {
        case 'incomplete':
          if (entry.probesSent < this.profile.multicastSolicit) {
            entry.probesSent++;
            entry.deadline = now + this.profile.retransTime;
            this.port.sendRequest(entry.ip, null);
            next = Math.min(next, entry.deadline);
          } else {
            this.entries.delete(entry.ip);
            this.port.fail(entry.ip, entry.queue);
          }
          break;
        case 'reachable':
          if (!this.profile.revalidate) this.entries.delete(entry.ip);
          else entry.state = 'stale';
          break;
        case 'delay':
          entry.state = 'probe';
          entry.probesSent = 1;
          entry.deadline = now + this.profile.retransTime;
          this.port.sendRequest(entry.ip, entry.mac);
          next = Math.min(next, entry.deadline);
          break;
        case 'probe':
          if (entry.probesSent < this.profile.unicastSolicit) {
            entry.probesSent++;
            entry.deadline = now + this.profile.retransTime;
            this.port.sendRequest(entry.ip, entry.mac);
            next = Math.min(next, entry.deadline);
          } else {
            this.entries.delete(entry.ip);
          }
          break;
        case 'stale':
          break;
      }
    }
    if (next !== Infinity) this.port.wakeAt(next);
  }

  private useStale(now: SimTime, entry: ArpEntry<P>): ArpOutput {
    entry.state = 'delay';
    entry.deadline = now + this.profile.delayFirstProbe;
    this.port.wakeAt(entry.deadline);
    return { kind: 'send', mac: entry.mac };
  }

  private enqueue(entry: ArpEntry<P>, packet: P): ArpOutput {
    if (this.profile.queueLength === 0) return { kind: 'dropped' };
    if (entry.queue.length >= this.profile.queueLength) entry.queue.shift();
    entry.queue.push(packet);
    return { kind: 'queued' };
  }

  private confirmed(now: SimTime, ip: Ipv4Addr, mac: MacAddr, queue: P[]): ArpEntry<P> {
    const base = this.profile.reachableTime;
    const lifetime = this.profile.randomizeReachable ? Math.round(this.rng.uniform(0.5, 1.5) * base) : base;
    const entry: ArpEntry<P> = { ip, mac, state: 'reachable', confirmedAt: now, deadline: now + lifetime, probesSent: 0, queue };
    if (!this.profile.revalidate) this.port.wakeAt(entry.deadline);
    return entry;
  }
}
