/**
 * One run recorded for stepping through, as Packet Tracer's simulation mode and Wireshark's flow
 * graph show it: every frame on every wire as a (sender, receiver) pair with its protocol and a
 * one-line summary, every routing-table change (the lab's route log), and each node's ARP caches
 * sampled as the run goes. `routingTablesAt(t)` and `arpCachesAt(t)` answer "what did the routers
 * know at this instant" for a cursor anywhere in the run, without running it again.
 */
import type { Duration, SimTime } from '../sim/time';
import { formatDuration, seconds, toSeconds } from '../sim/time';
import type { LabSpec } from '../config/spec';
import { Lab } from '../lab/lab';
import type { RouteChangeRow } from '../lab/route-log';
import type { EthernetFrame, Ipv4Packet, UdpDatagram, IcmpMessage, ArpPacket } from '../wire/types';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, IPPROTO_ICMP, IPPROTO_UDP } from '../wire/types';
import { ipv4ToString, isMulticastMac, macToString, maskToPrefixLength } from '../wire/addr';
import { isRipPayload, parseRip, RIP_PORT, RIP_RESPONSE, type RipMessage } from '../wire/rip';
import { DNS_PORT, payloadBytes, tryParseDns } from '../wire/dns';
import { WireError } from '../wire/errors';
import type { Interface } from '../net/interface';
import { startDnsProbe, startPingProbe } from './probes';

/** One frame from one node to one other, as a ladder draws it (a broadcast makes one per receiver). */
export interface TracePacket {
  /** Sent (seconds since boot). */
  sent: number;
  /** Arrived at the receiver's port (seconds since boot). */
  arrived: number;
  from: string;
  to: string;
  /** `RIP`, `DNS`, `ARP`, `ICMP`, `UDP`. */
  protocol: string;
  /** `RIP response: 10.128.224.2/32 metric 16`, `DNS query A test`, `ARP who has 10.128.5.2?` */
  label: string;
  /** The wire it crossed. */
  segment: string;
  /** The receiver was down, or its port: the frame went nowhere. */
  lost: boolean;
}

export interface TraceRouteEntry {
  prefix: string;
  nextHop: string | null;
  iface: string | null;
  metric: number;
  source: string;
  /** RIP's own state for the entry: `invalid` (advertised as unreachable, IOS hold-down) or ''. */
  state: string;
}

export interface TraceArpEntry {
  iface: string;
  ip: string;
  mac: string;
  state: string;
}

export interface TraceOptions {
  lab: LabSpec;
  /** @defaultValue 1 */
  seed?: number;
  /** In the CLI's form, `xenial1:halt@125s`. */
  failures?: string[];
  /** The run ends here. */
  until: SimTime;
  /** Packets before this are not kept (routing and ARP still are). @defaultValue 0 */
  from?: SimTime;
  /** Keep only packets for which this returns true. */
  keep?: (p: TracePacket) => boolean;
  /** Prefixes whose entries a RIP response's label names (the one a reader follows). @defaultValue ['10.128.224.2/32'] */
  watch?: string[];
  /** How often the ARP caches are sampled. @defaultValue 0.5 s */
  arpEvery?: Duration;
  /**
   * A client probing the anycast address while the run goes, so the ladder has its pings or DNS
   * queries: `ping` (echo requests), `dns` (`dig test @10.128.224.2`), from `client` every `interval`.
   * @defaultValue none
   */
  probe?: { kind: 'ping' | 'dns'; client?: string; target?: string; interval?: Duration; from?: SimTime };
}

export interface RunTrace {
  /** Seconds. */
  until: number;
  failures: string[];
  /** Nodes in the lab's order (the ladder's columns). */
  nodes: string[];
  routers: string[];
  packets: TracePacket[];
  routeChanges: RouteChangeRow[];
  /** Seconds of every change to a forwarding entry of a watched prefix, ascending. */
  watchedChanges: number[];
  routingTablesAt(t: number): Record<string, TraceRouteEntry[]>;
  arpCachesAt(t: number): Record<string, TraceArpEntry[]>;
}

const ICMP_UNREACH = ['network unreachable', 'host unreachable', 'protocol unreachable', 'port unreachable'];

function ripLabel(m: RipMessage, watch: readonly string[]): string {
  if (m.command !== RIP_RESPONSE) return 'RIP request';
  const prefixOf = (e: RipMessage['entries'][number]) => `${ipv4ToString(e.address)}/${maskToPrefixLength(e.mask) ?? ipv4ToString(e.mask)}`;
  const shown = m.entries.filter((e) => watch.includes(prefixOf(e)));
  if (shown.length === 0) return `RIP response (${m.entries.length} routes)`;
  const rest = m.entries.length - shown.length;
  return `RIP response: ${shown.map((e) => `${prefixOf(e)} metric ${e.metric}`).join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** The protocol and one-line summary of a frame, in the words of Wireshark's Info column. */
export function describeFrame(frame: EthernetFrame, watch: readonly string[] = []): { protocol: string; label: string } {
  if (frame.etherType === ETHERTYPE_ARP) {
    const a = frame.payload as ArpPacket;
    return { protocol: 'ARP', label: a.op === 1 ? `ARP who has ${ipv4ToString(a.targetIp)}?` : `ARP ${ipv4ToString(a.senderIp)} is at ${macToString(a.senderMac)}` };
  }
  if (frame.etherType !== ETHERTYPE_IPV4) return { protocol: 'Ethernet', label: `EtherType 0x${frame.etherType.toString(16)}` };
  const ip = frame.payload as Ipv4Packet;
  if (ip.protocol === IPPROTO_ICMP) {
    const m = ip.payload as IcmpMessage;
    if (m.kind === 'echo-request' || m.kind === 'echo-reply') return { protocol: 'ICMP', label: `ICMP echo ${m.kind === 'echo-request' ? 'request' : 'reply'} seq=${m.seq} ttl=${ip.ttl}` };
    if (m.kind === 'dest-unreachable') return { protocol: 'ICMP', label: `ICMP ${ICMP_UNREACH[m.code] ?? `unreachable code ${m.code}`}` };
    if (m.kind === 'time-exceeded') return { protocol: 'ICMP', label: 'ICMP time exceeded' };
    return { protocol: 'ICMP', label: `ICMP type ${m.type}` };
  }
  if (ip.protocol === IPPROTO_UDP) {
    const u = ip.payload as UdpDatagram;
    if (u.srcPort === RIP_PORT || u.dstPort === RIP_PORT) {
      const m = isRipPayload(u.payload) ? u.payload.toMessage() : parseRip(payloadBytes(u.payload));
      return { protocol: 'RIP', label: ripLabel(m, watch) };
    }
    if (u.srcPort === DNS_PORT || u.dstPort === DNS_PORT) {
      const m = tryParseDns(payloadBytes(u.payload));
      if (m instanceof WireError) return { protocol: 'DNS', label: 'DNS (malformed)' };
      const q = m.questions.map((x) => `${x.type} ${x.name}`).join(' ');
      if (!m.response) return { protocol: 'DNS', label: `DNS query ${q}` };
      const answers = m.answers.filter((a) => a.type === 'A').map((a) => String((a as { data?: unknown }).data ?? ''));
      return { protocol: 'DNS', label: `DNS answer ${q}${m.rcode !== 0 ? ` rcode ${m.rcode}` : answers.length > 0 ? ` ${answers.join(' ')}` : ''}` };
    }
    return { protocol: 'UDP', label: `UDP ${u.srcPort} → ${u.dstPort}` };
  }
  return { protocol: 'IPv4', label: `IPv4 protocol ${ip.protocol}` };
}

/** Runs `o.lab` with its failures to `o.until`, recording what a simulation mode steps through. */
export function traceRun(o: TraceOptions): RunTrace {
  if (!(o.until > 0)) throw new Error(`until: expected a time after boot, got ${formatDuration(o.until)}`);
  const failures = o.failures ?? [];
  const lab = new Lab(o.lab, { seed: o.seed ?? 1, failures });
  const watch = o.watch ?? ['10.128.224.2/32'];
  const from = o.from ?? 0;
  const packets: TracePacket[] = [];
  for (const segment of lab.network.segments.values()) {
    segment.taps.push((time: SimTime, frame: EthernetFrame, sender: Interface) => {
      if (time < from) return;
      const { protocol, label } = describeFrame(frame, watch);
      const receivers = isMulticastMac(frame.dst) ? segment.ports.filter((p) => p !== sender) : segment.ports.filter((p) => p !== sender && p.mac === frame.dst);
      for (const r of receivers) {
        const p: TracePacket = { sent: toSeconds(time), arrived: toSeconds(time + segment.delay), from: sender.node.name, to: r.node.name, protocol, label, segment: segment.name, lost: !r.node.running || !segment.isPortUp(r) };
        if (o.keep === undefined || o.keep(p)) packets.push(p);
      }
    });
  }
  const arpSamples: { t: number; caches: Record<string, TraceArpEntry[]>; key: string }[] = [];
  const sampleArp = () => {
    const caches: Record<string, TraceArpEntry[]> = {};
    for (const node of lab.network.nodes.values()) {
      caches[node.name] = node.running
        ? node.interfaces.filter((i) => !i.loopback).flatMap((i) => node.arpCache(i.index).list().filter((e) => e.state !== 'incomplete').map((e) => ({ iface: i.name, ip: ipv4ToString(e.ip), mac: macToString(e.mac), state: e.state })))
        : [];
    }
    const key = JSON.stringify(caches);
    if (arpSamples.at(-1)?.key !== key) arpSamples.push({ t: toSeconds(lab.now), caches, key });
  };
  if (o.probe !== undefined) {
    const p = { client: o.probe.client ?? 'xenial3', target: o.probe.target ?? '10.128.224.2', interval: o.probe.interval ?? seconds(5), from: o.probe.from ?? from, until: o.until };
    if (o.probe.kind === 'ping') startPingProbe(lab, p);
    else if (o.probe.kind === 'dns') startDnsProbe(lab, p);
    else throw new Error(`probe: expected "ping" or "dns", got "${String(o.probe.kind)}"`);
  }
  const every = o.arpEvery ?? seconds(0.5);
  // Stepping the clock adds no events to the scheduler: the run is the one an unstepped run makes.
  for (let t = 0; t < o.until; t = Math.min(o.until, t + every)) {
    lab.runUntil(Math.min(o.until, t + every));
    sampleArp();
  }
  const routeChanges = lab.routeLog.rows();
  const nodes = o.lab.nodes.filter((n) => n.kind !== 'bridge').map((n) => n.name);
  const routers = o.lab.nodes.filter((n) => n.kind === 'router').map((n) => n.name);
  const watchedChanges = [...new Set(routeChanges.filter((r) => watch.includes(r.prefix) && (r.event === 'add' || r.event === 'replace' || r.event === 'remove')).map((r) => toSeconds(r.t)))].sort((a, b) => a - b);
  return {
    until: toSeconds(o.until),
    failures,
    nodes,
    routers,
    packets: packets.sort((a, b) => a.sent - b.sent),
    routeChanges,
    watchedChanges,
    routingTablesAt: (t) => tablesAt(routeChanges, nodes, t),
    arpCachesAt: (t) => {
      let found: Record<string, TraceArpEntry[]> = {};
      for (const s of arpSamples) if (s.t <= t) found = s.caches;
      return found;
    },
  };
}

/** Each node's forwarding table at `t`, replayed from the route log (a node's halt clears its table). */
function tablesAt(rows: readonly RouteChangeRow[], nodes: readonly string[], t: number): Record<string, TraceRouteEntry[]> {
  const tables = new Map<string, Map<string, TraceRouteEntry>>(nodes.map((n) => [n, new Map()]));
  for (const r of rows) {
    if (toSeconds(r.t) > t) break;
    const table = tables.get(r.node) ?? new Map<string, TraceRouteEntry>();
    tables.set(r.node, table);
    if (r.event === 'add' || r.event === 'replace') table.set(r.prefix, { prefix: r.prefix, nextHop: r.nextHop, iface: r.iface, metric: r.metric, source: r.source, state: '' });
    else if (r.event === 'remove') table.delete(r.prefix);
    else if (r.event === 'invalid' || r.event === 'holddown') {
      const e = table.get(r.prefix);
      if (e !== undefined) e.state = r.event === 'holddown' ? 'hold-down' : 'invalid';
    }
  }
  const out: Record<string, TraceRouteEntry[]> = {};
  for (const [node, table] of tables) out[node] = [...table.values()].sort((a, b) => a.prefix.localeCompare(b.prefix, 'en', { numeric: true }));
  return out;
}
