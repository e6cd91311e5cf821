/**
 * ICMP for IPv4 (RFC 792): echo, destination unreachable (with the RFC 1191 next-hop MTU), time
 * exceeded, and everything else kept as `other`. Errors quote the packet that caused them; the
 * helpers at the end build such a quote and read one back.
 */
import { ipv4ToString, readIpv4Addr } from './addr';
import { foldSum, internetChecksum, sumWords } from './checksum';
import { need, needRoom, WireError, type ParseOptions } from './errors';
import { IPV4_HEADER_LEN, writeIpv4Header } from './ipv4-header';
import type { IcmpMessage, Ipv4Addr, Ipv4Packet } from './types';
import { IPPROTO_ICMP, IPPROTO_UDP } from './types';
import { emitUdp, isUdpDatagram, udpBufferLen } from './udp';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
/** Destination unreachable code 4: fragmentation needed and DF set; carries the next-hop MTU. */
export const ICMP_UNREACH_NEEDFRAG = 4;
export const ICMP_TIMXCEED_INTRANS = 0;
export const ICMP_TIMXCEED_REASS = 1;

/** Type, code, checksum and the 4-byte rest of header every message has. */
export const ICMP_HEADER_LEN = 8;

const FORMAT = 'icmp';
const IPPROTO_TCP = 6;

function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

/** The ICMP type number of a message. */
export function icmpType(msg: IcmpMessage): number {
  switch (msg.kind) {
    case 'echo-request':
      return ICMP_ECHO_REQUEST;
    case 'echo-reply':
      return ICMP_ECHO_REPLY;
    case 'dest-unreachable':
      return ICMP_DEST_UNREACHABLE;
    case 'time-exceeded':
      return ICMP_TIME_EXCEEDED;
    case 'other':
      return msg.type;
  }
}

export function icmpBufferLen(msg: IcmpMessage): number {
  switch (msg.kind) {
    case 'echo-request':
    case 'echo-reply':
      return ICMP_HEADER_LEN + msg.data.length;
    case 'dest-unreachable':
    case 'time-exceeded':
      return ICMP_HEADER_LEN + msg.invoking.length;
    case 'other':
      return 4 + msg.rest.length;
  }
}

/**
 * Writes `msg` with its checksum into `buf` at `offset` when given, else into a new array; returns
 * the bytes written. An `other` must not use a type that has its own kind (it would parse back as
 * that kind) and needs at least the 4-byte rest of header.
 */
export function emitIcmp(msg: IcmpMessage, buf?: Uint8Array, offset = 0): Uint8Array {
  if (msg.kind === 'other') {
    const t = msg.type;
    if (t === ICMP_ECHO_REQUEST || t === ICMP_ECHO_REPLY || t === ICMP_DEST_UNREACHABLE || t === ICMP_TIME_EXCEEDED) {
      throw new WireError(FORMAT, `type ${t} has its own kind; it cannot be emitted as 'other'`);
    }
    if (msg.rest.length < 4) throw new WireError(FORMAT, `'other' needs at least 4 bytes of rest of header, has ${msg.rest.length}`);
  }
  const len = icmpBufferLen(msg);
  if (buf === undefined) {
    buf = new Uint8Array(len);
    offset = 0;
  } else {
    needRoom(FORMAT, buf, offset, len);
  }
  buf[offset] = icmpType(msg);
  buf[offset + 2] = 0;
  buf[offset + 3] = 0;
  switch (msg.kind) {
    case 'echo-request':
    case 'echo-reply':
      buf[offset + 1] = 0;
      buf[offset + 4] = msg.id >>> 8;
      buf[offset + 5] = msg.id;
      buf[offset + 6] = msg.seq >>> 8;
      buf[offset + 7] = msg.seq;
      buf.set(msg.data, offset + ICMP_HEADER_LEN);
      break;
    case 'dest-unreachable':
      buf[offset + 1] = msg.code;
      buf[offset + 4] = 0;
      buf[offset + 5] = 0;
      buf[offset + 6] = msg.nextHopMtu >>> 8;
      buf[offset + 7] = msg.nextHopMtu;
      buf.set(msg.invoking, offset + ICMP_HEADER_LEN);
      break;
    case 'time-exceeded':
      buf[offset + 1] = msg.code;
      buf[offset + 4] = 0;
      buf[offset + 5] = 0;
      buf[offset + 6] = 0;
      buf[offset + 7] = 0;
      buf.set(msg.invoking, offset + ICMP_HEADER_LEN);
      break;
    case 'other':
      buf[offset + 1] = msg.code;
      buf.set(msg.rest, offset + 4);
      break;
  }
  const sum = internetChecksum(buf, offset, offset + len);
  buf[offset + 2] = sum >>> 8;
  buf[offset + 3] = sum;
  return buf.subarray(offset, offset + len);
}

/** Decodes the message in `bytes[start, end)`; byte arrays are copied; error offsets are relative to `bytes`. */
export function decodeIcmp(bytes: Uint8Array, start: number, end: number, options?: ParseOptions): IcmpMessage {
  need(FORMAT, 'header', start, ICMP_HEADER_LEN, end);
  if (options?.verifyChecksum !== false) {
    const sum = sumWords(bytes, start, end);
    if (foldSum(sum) !== 0xffff) {
      const stored = (bytes[start + 2] << 8) | bytes[start + 3];
      throw new WireError(FORMAT, `checksum ${hex4(stored)} does not match the computed ${hex4(~foldSum(sum - stored) & 0xffff)}`, start + 2);
    }
  }
  const type = bytes[start];
  const code = bytes[start + 1];
  const word1 = (bytes[start + 4] << 8) | bytes[start + 5];
  const word2 = (bytes[start + 6] << 8) | bytes[start + 7];
  const body = start + ICMP_HEADER_LEN;
  // NOTE: an echo's code and the unused bytes of types 3 and 11 are not represented; emit writes
  // them as zero, which is what every sender in these labs puts there.
  switch (type) {
    case ICMP_ECHO_REQUEST:
      return { kind: 'echo-request', id: word1, seq: word2, data: bytes.slice(body, end) };
    case ICMP_ECHO_REPLY:
      return { kind: 'echo-reply', id: word1, seq: word2, data: bytes.slice(body, end) };
    case ICMP_DEST_UNREACHABLE:
      return { kind: 'dest-unreachable', code, nextHopMtu: word2, invoking: bytes.slice(body, end) };
    case ICMP_TIME_EXCEEDED:
      return { kind: 'time-exceeded', code, invoking: bytes.slice(body, end) };
    default:
      return { kind: 'other', type, code, rest: bytes.slice(start + 4, end) };
  }
}

export function parseIcmp(bytes: Uint8Array, options?: ParseOptions): IcmpMessage {
  return decodeIcmp(bytes, 0, bytes.length, options);
}

/** Whether an IPv4 payload value is an ICMP message. */
export function isIcmpMessage(p: Ipv4Packet['payload']): p is IcmpMessage {
  return 'kind' in p;
}

// ---- quotes of the invoking packet --------------------------------------------------------------

/** What an ICMP error tells about the packet that caused it. */
export interface InvokingQuote {
  src: Ipv4Addr;
  dst: Ipv4Addr;
  protocol: number;
  ttl: number;
  id: number;
  /** Ports of a quoted UDP or TCP first fragment; null otherwise or when the quote is too short. */
  srcPort: number | null;
  dstPort: number | null;
  /** Identifier and sequence of a quoted ICMP echo request or reply (how ping matches errors). */
  icmpId: number | null;
  icmpSeq: number | null;
}

/**
 * The bytes an ICMP error quotes: the invoking packet's IP header and the first `payloadBytes`
 * bytes of its payload — 8 per RFC 792, enough for UDP ports or an echo's id and sequence.
 * NOTE: Linux quotes as much as keeps the error within 576 bytes (RFC 1812 §4.3.2.3); pass a
 * larger `payloadBytes` to model that.
 */
export function icmpInvokingBytes(packet: Ipv4Packet, payloadBytes = 8): Uint8Array {
  const payload = packet.payload;
  if (payload instanceof Uint8Array) {
    const n = Math.min(payloadBytes, payload.length);
    const out = new Uint8Array(IPV4_HEADER_LEN + n);
    writeIpv4Header(packet, IPV4_HEADER_LEN + payload.length, out, 0);
    out.set(payload.subarray(0, n), IPV4_HEADER_LEN);
    return out;
  }
  // A UDP checksum covers the whole datagram, so the full packet is built and then cut.
  const payloadLen = isUdpDatagram(payload) ? udpBufferLen(payload) : icmpBufferLen(payload);
  const whole = new Uint8Array(IPV4_HEADER_LEN + payloadLen);
  writeIpv4Header(packet, whole.length, whole, 0);
  if (isUdpDatagram(payload)) emitUdp(payload, packet.src, packet.dst, whole, IPV4_HEADER_LEN);
  else emitIcmp(payload, whole, IPV4_HEADER_LEN);
  return whole.slice(0, IPV4_HEADER_LEN + Math.min(payloadBytes, payloadLen));
}

/**
 * Reads a quote back, leniently (it comes from another host and may be cut anywhere after the
 * header); null when not even an IPv4 header is there.
 */
export function parseInvoking(bytes: Uint8Array): InvokingQuote | null {
  if (bytes.length < IPV4_HEADER_LEN || bytes[0] >>> 4 !== 4) return null;
  const hl = (bytes[0] & 0x0f) * 4;
  if (hl < IPV4_HEADER_LEN || hl > bytes.length) return null;
  const protocol = bytes[9];
  const firstFragment = (((bytes[6] << 8) | bytes[7]) & 0x1fff) === 0;
  const hasWord = firstFragment && bytes.length >= hl + 4;
  const ports = hasWord && (protocol === IPPROTO_UDP || protocol === IPPROTO_TCP);
  const echo =
    firstFragment && bytes.length >= hl + 8 && protocol === IPPROTO_ICMP && (bytes[hl] === ICMP_ECHO_REQUEST || bytes[hl] === ICMP_ECHO_REPLY);
  return {
    src: readIpv4Addr(bytes, 12),
    dst: readIpv4Addr(bytes, 16),
    protocol,
    ttl: bytes[8],
    id: (bytes[4] << 8) | bytes[5],
    srcPort: ports ? (bytes[hl] << 8) | bytes[hl + 1] : null,
    dstPort: ports ? (bytes[hl + 2] << 8) | bytes[hl + 3] : null,
    icmpId: echo ? (bytes[hl + 4] << 8) | bytes[hl + 5] : null,
    icmpSeq: echo ? (bytes[hl + 6] << 8) | bytes[hl + 7] : null,
  };
}

// ---- tcpdump-style text (print-icmp.c) ----------------------------------------------------------

const TYPE_NAMES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  4: 'source quench',
  5: 'redirect',
  8: 'echo request',
  9: 'router advertisement',
  10: 'router solicitation',
  11: 'time exceeded',
  12: 'parameter problem',
  13: 'time stamp request',
  14: 'time stamp reply',
  15: 'information request',
  16: 'information reply',
  17: 'address mask request',
  18: 'address mask reply',
};

/** tcpdump's unreach2str: `%s` is the quoted packet's destination. */
const UNREACH_FORMATS: Record<number, string> = {
  0: 'net %s unreachable',
  1: 'host %s unreachable',
  5: '%s unreachable - source route failed',
  6: 'net %s unreachable - unknown',
  7: 'host %s unreachable - unknown',
  8: '%s unreachable - source host isolated',
  9: 'net %s unreachable - admin prohibited',
  10: 'host %s unreachable - admin prohibited',
  11: 'net %s unreachable - tos prohibited',
  12: 'host %s unreachable - tos prohibited',
  13: 'host %s unreachable - admin prohibited filter',
  14: 'host %s unreachable - host precedence violation',
  15: 'host %s unreachable - precedence cutoff',
};

function describeUnreachable(code: number, nextHopMtu: number, invoking: Uint8Array): string {
  const q = parseInvoking(invoking);
  if (q === null) return `unreachable code ${code} [|icmp]`;
  const dst = ipv4ToString(q.dst);
  switch (code) {
    case 2:
      return `${dst} protocol ${q.protocol} unreachable`;
    case 3:
      if (q.dstPort === null) return `${dst} protocol ${q.protocol} port unreachable`;
      if (q.protocol === IPPROTO_UDP) return `${dst} udp port ${q.dstPort} unreachable`;
      if (q.protocol === IPPROTO_TCP) return `${dst} tcp port ${q.dstPort} unreachable`;
      return `${dst} protocol ${q.protocol} port ${q.dstPort} unreachable`;
    case ICMP_UNREACH_NEEDFRAG:
      return nextHopMtu !== 0 ? `${dst} unreachable - need to frag (mtu ${nextHopMtu})` : `${dst} unreachable - need to frag`;
    default:
      return (UNREACH_FORMATS[code] ?? `#${code} %s unreachable`).replace('%s', dst);
  }
}

/**
 * tcpdump's text for a message, e.g. `ICMP echo request, id 1, seq 1, length 64` or
 * `ICMP 10.128.5.2 udp port 53 unreachable, length 36`; the length is the whole ICMP message.
 * Ports are numeric, as with `tcpdump -nn`.
 */
export function formatIcmp(msg: IcmpMessage): string {
  let text: string;
  switch (msg.kind) {
    case 'echo-request':
    case 'echo-reply':
      text = `echo ${msg.kind === 'echo-request' ? 'request' : 'reply'}, id ${msg.id}, seq ${msg.seq}`;
      break;
    case 'dest-unreachable':
      text = describeUnreachable(msg.code, msg.nextHopMtu, msg.invoking);
      break;
    case 'time-exceeded':
      text =
        msg.code === ICMP_TIMXCEED_INTRANS
          ? 'time exceeded in-transit'
          : msg.code === ICMP_TIMXCEED_REASS
            ? 'ip reassembly time exceeded'
            : `time exceeded-#${msg.code}`;
      break;
    case 'other':
      text = TYPE_NAMES[msg.type] ?? `type-#${msg.type}`;
      break;
  }
  return `ICMP ${text}, length ${icmpBufferLen(msg)}`;
}
