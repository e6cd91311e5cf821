/**
 * UDP (RFC 768). The checksum covers an IPv4 pseudo-header, so emit and parse take the addresses
 * of the enclosing packet; `emitIpv4`/`parseIpv4` pass them for nested datagrams.
 */
import { ipv4ToString } from './addr';
import { internetChecksum, pseudoHeaderSum, sumWords, foldSum } from './checksum';
import { need, needRoom, WireError, type ParseOptions } from './errors';
import type { Ipv4Addr, Ipv4Packet, UdpDatagram } from './types';
import { IPPROTO_UDP } from './types';

export const UDP_HEADER_LEN = 8;
const FORMAT = 'udp';

export function udpBufferLen(udp: UdpDatagram): number {
  return UDP_HEADER_LEN + udp.payload.byteLength;
}

function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

/**
 * Writes `udp` with its checksum over the pseudo-header of `src` → `dst`. Writes into `buf` at
 * `offset` when given, else allocates; returns the bytes written (a view into `buf`).
 */
export function emitUdp(udp: UdpDatagram, src: Ipv4Addr, dst: Ipv4Addr, buf?: Uint8Array, offset = 0): Uint8Array {
  const len = udpBufferLen(udp);
  if (len > 0xffff) throw new WireError(FORMAT, `datagram of ${len} bytes exceeds the 65535 the length field can hold`);
  if (buf === undefined) {
    buf = new Uint8Array(len);
    offset = 0;
  } else {
    needRoom(FORMAT, buf, offset, len);
  }
  buf[offset] = udp.srcPort >>> 8;
  buf[offset + 1] = udp.srcPort;
  buf[offset + 2] = udp.dstPort >>> 8;
  buf[offset + 3] = udp.dstPort;
  buf[offset + 4] = len >>> 8;
  buf[offset + 5] = len;
  buf[offset + 6] = 0;
  buf[offset + 7] = 0;
  const payload = udp.payload;
  if (payload instanceof Uint8Array) buf.set(payload, offset + UDP_HEADER_LEN);
  else payload.encodeInto(buf, offset + UDP_HEADER_LEN);
  let sum = internetChecksum(buf, offset, offset + len, pseudoHeaderSum(src, dst, IPPROTO_UDP, len));
  // RFC 768: a computed zero is sent as all ones, because zero on the wire means "no checksum".
  if (sum === 0) sum = 0xffff;
  buf[offset + 6] = sum >>> 8;
  buf[offset + 7] = sum;
  return buf.subarray(offset, offset + len);
}

/**
 * Decodes the datagram in `bytes[start, end)`; error offsets are relative to `bytes`. Bytes after
 * the UDP length field's extent are ignored, as Linux trims them (udp_rcv → pskb_trim_rcsum).
 */
export function decodeUdp(
  bytes: Uint8Array,
  start: number,
  end: number,
  src: Ipv4Addr,
  dst: Ipv4Addr,
  options?: ParseOptions,
): UdpDatagram {
  need(FORMAT, 'header', start, UDP_HEADER_LEN, end);
  const len = (bytes[start + 4] << 8) | bytes[start + 5];
  if (len < UDP_HEADER_LEN) throw new WireError(FORMAT, `length field ${len} is below the 8-byte header`, start + 4);
  if (start + len > end) throw new WireError(FORMAT, `length field ${len} exceeds the ${end - start} bytes available`, start + 4);
  const stored = (bytes[start + 6] << 8) | bytes[start + 7];
  if (stored !== 0 && options?.verifyChecksum !== false) {
    const sum = sumWords(bytes, start, start + len, pseudoHeaderSum(src, dst, IPPROTO_UDP, len));
    if (foldSum(sum) !== 0xffff) {
      const expected = ~foldSum(sum - stored) & 0xffff || 0xffff;
      throw new WireError(FORMAT, `checksum ${hex4(stored)} does not match the computed ${hex4(expected)}`, start + 6);
    }
  }
  return {
    srcPort: (bytes[start] << 8) | bytes[start + 1],
    dstPort: (bytes[start + 2] << 8) | bytes[start + 3],
    payload: bytes.slice(start + UDP_HEADER_LEN, start + len),
  };
}

/** Parses a UDP datagram carried from `src` to `dst`; the payload is copied out of `bytes`. */
export function parseUdp(bytes: Uint8Array, src: Ipv4Addr, dst: Ipv4Addr, options?: ParseOptions): UdpDatagram {
  return decodeUdp(bytes, 0, bytes.length, src, dst, options);
}

/**
 * tcpdump's line for a datagram: `10.128.7.2.39946 > 10.128.5.2.53: UDP, length 25` with the
 * addresses, `39946 > 53: UDP, length 25` without. The length is the payload's, as tcpdump prints.
 */
export function formatUdp(udp: UdpDatagram, src?: Ipv4Addr, dst?: Ipv4Addr): string {
  const from = src === undefined ? `${udp.srcPort}` : `${ipv4ToString(src)}.${udp.srcPort}`;
  const to = dst === undefined ? `${udp.dstPort}` : `${ipv4ToString(dst)}.${udp.dstPort}`;
  return `${from} > ${to}: UDP, length ${udp.payload.byteLength}`;
}

/** Whether an IPv4 payload value is a UDP datagram. */
export function isUdpDatagram(p: Ipv4Packet['payload']): p is UdpDatagram {
  return 'srcPort' in p;
}
