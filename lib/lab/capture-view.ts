/**
 * A capture as Wireshark shows it: the packet list (No., Time, Source, Destination, Protocol,
 * Length, Info), one packet's details, and its bytes as a hex dump. Info texts follow the
 * write-up's Wireshark (§3.3–3.4: `Standard query A r1.home`, `Destination unreachable (Port
 * unreachable)`) or current tshark (`style: 'tshark'`). Pcap export is `Capture.toPcap()`.
 */
import type { Capture, CapturedFrame } from '../net/capture';
import type { Ipv4Packet, UdpDatagram, IcmpMessage } from '../wire/types';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, IPPROTO_ICMP, IPPROTO_UDP } from '../wire/types';
import { ipv4ToString, macToString } from '../wire/addr';
import { emitEthernet } from '../wire/ethernet';
import { hexdump } from '../wire/hexdump';
import { DNS_PORT, formatDns, payloadBytes, tryParseDns } from '../wire/dns';
import { WireError } from '../wire/errors';

export interface PacketRow {
  no: number;
  /** Seconds since the first packet, as Wireshark's default time column. */
  time: number;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

const UNREACH = ['Network unreachable', 'Host unreachable', 'Protocol unreachable', 'Port unreachable'];

function describe(f: CapturedFrame, style: 'writeup' | 'tshark'): Omit<PacketRow, 'no' | 'time' | 'length'> {
  const frame = f.frame;
  if (frame.etherType === ETHERTYPE_ARP) {
    const arp = frame.payload as { op: number; senderIp: number; targetIp: number; senderMac: number };
    const info = arp.op === 1 ? `Who has ${ipv4ToString(arp.targetIp)}? Tell ${ipv4ToString(arp.senderIp)}` : `${ipv4ToString(arp.senderIp)} is at ${macToString(arp.senderMac)}`;
    return { source: macToString(frame.src), destination: frame.dst === 0xffffffffffff ? 'Broadcast' : macToString(frame.dst), protocol: 'ARP', info };
  }
  if (frame.etherType !== ETHERTYPE_IPV4) return { source: macToString(frame.src), destination: macToString(frame.dst), protocol: 'Ethernet', info: `EtherType 0x${frame.etherType.toString(16)}` };
  const ip = frame.payload as Ipv4Packet;
  const base = { source: ipv4ToString(ip.src), destination: ipv4ToString(ip.dst) };
  if (ip.protocol === IPPROTO_ICMP) {
    const m = ip.payload as IcmpMessage;
    if (m.kind === 'dest-unreachable') return { ...base, protocol: 'ICMP', info: `Destination unreachable (${UNREACH[m.code] ?? `code ${m.code}`})` };
    if (m.kind === 'time-exceeded') return { ...base, protocol: 'ICMP', info: 'Time-to-live exceeded (Time to live exceeded in transit)' };
    if (m.kind === 'echo-request' || m.kind === 'echo-reply') return { ...base, protocol: 'ICMP', info: `Echo (ping) ${m.kind === 'echo-request' ? 'request' : 'reply'}  id=0x${m.id.toString(16).padStart(4, '0')}, seq=${m.seq}/${((m.seq & 0xff) << 8) | (m.seq >> 8)}, ttl=${ip.ttl}` };
    return { ...base, protocol: 'ICMP', info: `Type ${m.type}` };
  }
  if (ip.protocol === IPPROTO_UDP) {
    const u = ip.payload as UdpDatagram;
    if (u.srcPort === DNS_PORT || u.dstPort === DNS_PORT) {
      const m = tryParseDns(payloadBytes(u.payload));
      if (!(m instanceof WireError)) return { ...base, protocol: 'DNS', info: formatDns(m, style) };
      return { ...base, protocol: 'DNS', info: `Malformed Packet` };
    }
    if (u.srcPort === 520 || u.dstPort === 520) return { ...base, protocol: 'RIPv2', info: 'Response' };
    return { ...base, protocol: 'UDP', info: `${u.srcPort} → ${u.dstPort} Len=${payloadBytes(u.payload).length}` };
  }
  return { ...base, protocol: `IPv4`, info: `protocol ${ip.protocol}` };
}

/** The packet list. `filter`: keep rows for which it returns true (e.g. `r => r.protocol !== 'ARP'`). */
export function packetRows(capture: Capture, options: { style?: 'writeup' | 'tshark'; filter?: (r: PacketRow) => boolean } = {}): PacketRow[] {
  const frames = capture.sorted();
  const t0 = frames[0]?.time ?? 0;
  const rows = frames.map((f, i) => ({ no: i + 1, time: (f.time - t0) / 1e6, length: emitEthernet(f.frame).length, ...describe(f, options.style ?? 'writeup') }));
  return options.filter === undefined ? rows : rows.filter(options.filter);
}

/** The rows as Wireshark's list pane, tab-separated like the write-up's table. */
export function formatPacketList(rows: readonly PacketRow[]): string {
  const lines = ['No.\tTime\tSource\tDestination\tProtocol\tInfo'];
  for (const r of rows) lines.push(`${r.no}\t${r.time.toFixed(6)}\t${r.source}\t${r.destination}\t${r.protocol}\t${r.info}`);
  return lines.join('\n');
}

/** The details pane for packet `no` (1-based), like the write-up's §3.3 tree. */
export function packetDetails(capture: Capture, no: number): string {
  const f = capture.sorted()[no - 1];
  if (f === undefined) throw new RangeError(`no packet ${no} in a capture of ${capture.frames.length}`);
  const frame = f.frame;
  const out = [`Ethernet II, Src: ${macToString(frame.src)}, Dst: ${macToString(frame.dst)}`];
  if (frame.etherType !== ETHERTYPE_IPV4) return out.join('\n');
  const ip = frame.payload as Ipv4Packet;
  out.push(`Internet Protocol Version 4, Src: ${ipv4ToString(ip.src)}, Dst: ${ipv4ToString(ip.dst)}`);
  if (ip.protocol !== IPPROTO_UDP) return out.join('\n');
  const u = ip.payload as UdpDatagram;
  const bytes = payloadBytes(u.payload);
  out.push(`User Datagram Protocol, Src Port: ${u.srcPort}, Dst Port: ${u.dstPort}`);
  out.push(`    Source Port: ${u.srcPort}`, `    Destination Port: ${u.dstPort}`, `    Length: ${bytes.length + 8}`);
  const m = tryParseDns(bytes);
  if (m instanceof WireError) return out.join('\n');
  const flags = (bytes[2]! << 8) | bytes[3]!;
  out.push(`Domain Name System (${m.response ? 'response' : 'query'})`);
  out.push(`    Transaction ID: 0x${m.id.toString(16).padStart(4, '0')}`);
  out.push(`    Flags: 0x${flags.toString(16).padStart(4, '0')} ${m.response ? `Standard query response, ${m.rcode === 0 ? 'No error' : `rcode ${m.rcode}`}` : 'Standard query'}`);
  out.push(`    Questions: ${m.questions.length}`, `    Answer RRs: ${m.answers.length}`, `    Authority RRs: ${m.authorities.length}`, `    Additional RRs: ${m.additionals.length}`);
  out.push('    Queries');
  for (const q of m.questions) out.push(`        ${q.name}: type ${q.type}, class ${q.class ?? 'IN'}`);
  return out.join('\n');
}

/** The bytes pane for packet `no` (1-based), in tshark -x format. */
export function packetHexdump(capture: Capture, no: number): string {
  const f = capture.sorted()[no - 1];
  if (f === undefined) throw new RangeError(`no packet ${no} in a capture of ${capture.frames.length}`);
  return hexdump(emitEthernet(f.frame));
}
