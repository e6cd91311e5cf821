/**
 * Ethernet II framing (no FCS, no VLAN tags). ARP and IPv4 payloads are decoded; any other
 * EtherType stays bytes.
 *
 * NOTE: emit does not pad frames to the 60-byte minimum. A capture on the sending host shows the
 * frame before the NIC pads it (the write-up's DNS query is 67 bytes, an ARP request 42), and our
 * taps stand where tcpdump stands. Parse accepts padding: ARP and IPv4 know their own length.
 */
import { macToString, readMac, writeMac } from './addr';
import { arpBufferLen, decodeArp, emitArp, formatArpBody, isArpPacket } from './arp';
import { need, needRoom, WireError, type ParseOptions } from './errors';
import { decodeIpv4, emitIpv4, formatIpv4Body, ipv4BufferLen } from './ipv4';
import type { EthernetFrame } from './types';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './types';

export const ETHERNET_HEADER_LEN = 14;
/** Shortest frame on the wire without the FCS; shorter ones are padded by the sending NIC. */
export const ETHERNET_MIN_FRAME_LEN = 60;
const FORMAT = 'ethernet';

export function ethernetPayloadLen(payload: EthernetFrame['payload']): number {
  if (payload instanceof Uint8Array) return payload.length;
  return isArpPacket(payload) ? arpBufferLen(payload) : ipv4BufferLen(payload);
}

export function ethernetBufferLen(frame: EthernetFrame): number {
  return ETHERNET_HEADER_LEN + ethernetPayloadLen(frame.payload);
}

/**
 * Writes the frame and everything inside it into `buf` at `offset` when given, else into a new
 * array; returns the bytes written. A decoded payload must agree with `etherType`.
 */
export function emitEthernet(frame: EthernetFrame, buf?: Uint8Array, offset = 0): Uint8Array {
  const payload = frame.payload;
  if (!(payload instanceof Uint8Array)) {
    const expected = isArpPacket(payload) ? ETHERTYPE_ARP : ETHERTYPE_IPV4;
    if (frame.etherType !== expected) {
      throw new WireError(FORMAT, `EtherType ${hex4(frame.etherType)} does not match its ${expected === ETHERTYPE_ARP ? 'ARP' : 'IPv4'} payload`);
    }
  }
  const len = ethernetBufferLen(frame);
  if (buf === undefined) {
    buf = new Uint8Array(len);
    offset = 0;
  } else {
    needRoom(FORMAT, buf, offset, len);
  }
  writeMac(buf, offset, frame.dst);
  writeMac(buf, offset + 6, frame.src);
  buf[offset + 12] = frame.etherType >>> 8;
  buf[offset + 13] = frame.etherType;
  const at = offset + ETHERNET_HEADER_LEN;
  if (payload instanceof Uint8Array) buf.set(payload, at);
  else if (isArpPacket(payload)) emitArp(payload, buf, at);
  else emitIpv4(payload, buf, at);
  return buf.subarray(offset, offset + len);
}

/** Decodes the frame in `bytes[start, end)`; error offsets are relative to `bytes`. */
export function decodeEthernet(bytes: Uint8Array, start: number, end: number, options?: ParseOptions): EthernetFrame {
  need(FORMAT, 'header', start, ETHERNET_HEADER_LEN, end);
  const etherType = (bytes[start + 12] << 8) | bytes[start + 13];
  const body = start + ETHERNET_HEADER_LEN;
  let payload: EthernetFrame['payload'];
  if (etherType === ETHERTYPE_IPV4) payload = decodeIpv4(bytes, body, end, options);
  else if (etherType === ETHERTYPE_ARP) payload = decodeArp(bytes, body, end);
  else payload = bytes.slice(body, end);
  return { dst: readMac(bytes, start), src: readMac(bytes, start + 6), etherType, payload };
}

/**
 * Parses a frame and its ARP or IPv4 (→ ICMP/UDP) contents; byte arrays in the result are copies.
 * Malformed contents throw rather than degrade to raw bytes, so a bad checksum is never silently
 * accepted; a capture reader that wants to go on can catch the WireError.
 */
export function parseEthernet(bytes: Uint8Array, options?: ParseOptions): EthernetFrame {
  return decodeEthernet(bytes, 0, bytes.length, options);
}

function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

function etherTypeName(t: number): string {
  switch (t) {
    case ETHERTYPE_IPV4:
      return 'IPv4';
    case ETHERTYPE_ARP:
      return 'ARP';
    case 0x86dd:
      return 'IPv6';
    case 0x8100:
      return '802.1Q';
    case 0x88cc:
      return 'LLDP';
    default:
      return 'Unknown';
  }
}

/**
 * `tcpdump -e`'s one-liner, e.g. `cc:03:18:19:00:01 > 08:00:27:a9:51:1d, ethertype IPv4 (0x0800),
 * length 67: 10.128.7.2.39946 > 10.128.5.2.53: UDP, length 25`. The length is the frame's as
 * emitted (unpadded). Use formatIpv4/formatArp on the payload for tcpdump's line without `-e`.
 */
export function formatEthernet(frame: EthernetFrame): string {
  const len = ethernetBufferLen(frame);
  const link = `${macToString(frame.src)} > ${macToString(frame.dst)}`;
  const payload = frame.payload;
  if (frame.etherType < 0x0600) return `${link}, 802.3, length ${len}`;
  const head = `${link}, ethertype ${etherTypeName(frame.etherType)} (${hex4(frame.etherType)}), length ${len}`;
  if (payload instanceof Uint8Array) return head;
  return `${head}: ${isArpPacket(payload) ? formatArpBody(payload) : formatIpv4Body(payload)}`;
}
