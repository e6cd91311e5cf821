/**
 * IPv4 (RFC 791). Emitted packets have the 20-byte header and no options; parsing accepts options
 * (skipped via IHL) and trailing link-layer padding beyond the total length. Unfragmented ICMP and
 * UDP payloads are decoded; fragments and other protocols stay bytes.
 */
import { ipv4ToString, readIpv4Addr } from './addr';
import { foldSum, sumWords } from './checksum';
import { need, needRoom, WireError, type ParseOptions } from './errors';
import { decodeIcmp, emitIcmp, formatIcmp, icmpBufferLen, isIcmpMessage } from './icmp';
import { IPV4_HEADER_LEN, writeIpv4Header } from './ipv4-header';
import type { Ipv4Packet } from './types';
import { IPPROTO_ICMP, IPPROTO_UDP } from './types';
import { decodeUdp, emitUdp, formatUdp, isUdpDatagram, udpBufferLen } from './udp';

export { IPV4_HEADER_LEN } from './ipv4-header';
export const IPV4_MAX_LEN = 0xffff;

const FORMAT = 'ipv4';

function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

export function ipv4PayloadLen(payload: Ipv4Packet['payload']): number {
  if (payload instanceof Uint8Array) return payload.length;
  return isUdpDatagram(payload) ? udpBufferLen(payload) : icmpBufferLen(payload);
}

export function ipv4BufferLen(packet: Ipv4Packet): number {
  return IPV4_HEADER_LEN + ipv4PayloadLen(packet.payload);
}

/** Whether the packet is a fragment (not a whole datagram): its payload cannot be decoded alone. */
export function isFragment(packet: Pick<Ipv4Packet, 'moreFragments' | 'fragmentOffset'>): boolean {
  return packet.moreFragments || packet.fragmentOffset !== 0;
}

/**
 * Writes the packet (header checksum, and UDP/ICMP checksums of a decoded payload, included) into
 * `buf` at `offset` when given, else into a new array; returns the bytes written. A decoded UDP
 * or ICMP payload must agree with `protocol`, so that what is emitted parses back the same.
 */
export function emitIpv4(packet: Ipv4Packet, buf?: Uint8Array, offset = 0): Uint8Array {
  const payload = packet.payload;
  if (!(payload instanceof Uint8Array)) {
    const expected = isUdpDatagram(payload) ? IPPROTO_UDP : IPPROTO_ICMP;
    if (packet.protocol !== expected) {
      throw new WireError(FORMAT, `protocol ${packet.protocol} does not match its ${expected === IPPROTO_UDP ? 'UDP' : 'ICMP'} payload`);
    }
  }
  const len = ipv4BufferLen(packet);
  if (len > IPV4_MAX_LEN) throw new WireError(FORMAT, `packet of ${len} bytes exceeds the 65535 the total length field can hold`);
  if (buf === undefined) {
    buf = new Uint8Array(len);
    offset = 0;
  } else {
    needRoom(FORMAT, buf, offset, len);
  }
  writeIpv4Header(packet, len, buf, offset);
  const at = offset + IPV4_HEADER_LEN;
  if (payload instanceof Uint8Array) buf.set(payload, at);
  else if (isUdpDatagram(payload)) emitUdp(payload, packet.src, packet.dst, buf, at);
  else emitIcmp(payload, buf, at);
  return buf.subarray(offset, offset + len);
}

/**
 * Decodes the packet in `bytes[start, end)`, which may run past the total length (Ethernet
 * padding); error offsets are relative to `bytes`. Byte arrays in the result are copies.
 */
export function decodeIpv4(bytes: Uint8Array, start: number, end: number, options?: ParseOptions): Ipv4Packet {
  need(FORMAT, 'header', start, IPV4_HEADER_LEN, end);
  const version = bytes[start] >>> 4;
  if (version !== 4) throw new WireError(FORMAT, `version ${version} is not 4`, start);
  const ihl = bytes[start] & 0x0f;
  if (ihl < 5) throw new WireError(FORMAT, `header length ${ihl} words is below the minimum of 5`, start);
  const hl = ihl * 4;
  need(FORMAT, 'header with options', start, hl, end);
  const total = (bytes[start + 2] << 8) | bytes[start + 3];
  if (total < hl) throw new WireError(FORMAT, `total length ${total} is shorter than the ${hl}-byte header`, start + 2);
  if (start + total > end) throw new WireError(FORMAT, `total length ${total} exceeds the ${end - start} bytes available`, start + 2);
  if (options?.verifyChecksum !== false) {
    const sum = sumWords(bytes, start, start + hl);
    if (foldSum(sum) !== 0xffff) {
      const stored = (bytes[start + 10] << 8) | bytes[start + 11];
      throw new WireError(FORMAT, `header checksum ${hex4(stored)} does not match the computed ${hex4(~foldSum(sum - stored) & 0xffff)}`, start + 10);
    }
  }
  const flagsFragment = (bytes[start + 6] << 8) | bytes[start + 7];
  // NOTE: the reserved flag bit and any options are dropped: nothing in these labs sets them.
  const moreFragments = (flagsFragment & 0x2000) !== 0;
  const fragmentOffset = flagsFragment & 0x1fff;
  const protocol = bytes[start + 9];
  const src = readIpv4Addr(bytes, start + 12);
  const dst = readIpv4Addr(bytes, start + 16);
  const body = start + hl;
  const stop = start + total;
  let payload: Ipv4Packet['payload'];
  if (moreFragments || fragmentOffset !== 0) payload = bytes.slice(body, stop);
  else if (protocol === IPPROTO_UDP) payload = decodeUdp(bytes, body, stop, src, dst, options);
  else if (protocol === IPPROTO_ICMP) payload = decodeIcmp(bytes, body, stop, options);
  else payload = bytes.slice(body, stop);
  return {
    tos: bytes[start + 1],
    id: (bytes[start + 4] << 8) | bytes[start + 5],
    dontFragment: (flagsFragment & 0x4000) !== 0,
    moreFragments,
    fragmentOffset,
    ttl: bytes[start + 8],
    protocol,
    src,
    dst,
    payload,
  };
}

export function parseIpv4(bytes: Uint8Array, options?: ParseOptions): Ipv4Packet {
  return decodeIpv4(bytes, 0, bytes.length, options);
}

/** tcpdump's line without the leading `IP ` (which `tcpdump -e` leaves out after the link header). */
export function formatIpv4Body(packet: Ipv4Packet): string {
  const payload = packet.payload;
  const src = ipv4ToString(packet.src);
  const dst = ipv4ToString(packet.dst);
  if (payload instanceof Uint8Array) {
    const frag = isFragment(packet)
      ? ` (frag ${packet.id}:${payload.length}@${packet.fragmentOffset * 8}${packet.moreFragments ? '+' : ''})`
      : '';
    return `${src} > ${dst}: ip-proto-${packet.protocol} ${payload.length}${frag}`;
  }
  if (isIcmpMessage(payload)) return `${src} > ${dst}: ${formatIcmp(payload)}`;
  return formatUdp(payload, packet.src, packet.dst);
}

/**
 * tcpdump's one-liner: `IP 10.128.7.2.39946 > 10.128.5.2.53: UDP, length 25`,
 * `IP 10.128.7.2 > 10.128.5.2: ICMP echo request, id 1, seq 1, length 64`.
 */
export function formatIpv4(packet: Ipv4Packet): string {
  return 'IP ' + formatIpv4Body(packet);
}
