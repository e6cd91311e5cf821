/**
 * ARP (RFC 826) for Ethernet and IPv4 only: hardware type 1, protocol 0x0800, address lengths 6
 * and 4. Anything else is refused rather than half-decoded, since no device in these labs sends it.
 */
import { ipv4ToString, macToString, readIpv4Addr, readMac, writeIpv4Addr, writeMac } from './addr';
import { need, needRoom, WireError } from './errors';
import type { ArpPacket, EthernetFrame } from './types';
import { ARP_REPLY, ARP_REQUEST, ETHERTYPE_IPV4 } from './types';

export const ARP_LEN = 28;
const FORMAT = 'arp';
const HTYPE_ETHERNET = 1;

export function arpBufferLen(_arp: ArpPacket): number {
  return ARP_LEN;
}

/** Writes the 28-byte packet into `buf` at `offset` when given, else into a new array; returns the bytes written. */
export function emitArp(arp: ArpPacket, buf?: Uint8Array, offset = 0): Uint8Array {
  if (buf === undefined) {
    buf = new Uint8Array(ARP_LEN);
    offset = 0;
  } else {
    needRoom(FORMAT, buf, offset, ARP_LEN);
  }
  buf[offset] = 0;
  buf[offset + 1] = HTYPE_ETHERNET;
  buf[offset + 2] = ETHERTYPE_IPV4 >>> 8;
  buf[offset + 3] = ETHERTYPE_IPV4 & 0xff;
  buf[offset + 4] = 6;
  buf[offset + 5] = 4;
  buf[offset + 6] = arp.op >>> 8;
  buf[offset + 7] = arp.op;
  writeMac(buf, offset + 8, arp.senderMac);
  writeIpv4Addr(buf, offset + 14, arp.senderIp);
  writeMac(buf, offset + 18, arp.targetMac);
  writeIpv4Addr(buf, offset + 24, arp.targetIp);
  return buf.subarray(offset, offset + ARP_LEN);
}

/** Decodes the packet at `bytes[start, end)`; bytes after the 28 (frame padding) are ignored. */
export function decodeArp(bytes: Uint8Array, start: number, end: number): ArpPacket {
  need(FORMAT, 'packet', start, ARP_LEN, end);
  const htype = (bytes[start] << 8) | bytes[start + 1];
  if (htype !== HTYPE_ETHERNET) throw new WireError(FORMAT, `hardware type ${htype} is not Ethernet (1)`, start);
  const ptype = (bytes[start + 2] << 8) | bytes[start + 3];
  if (ptype !== ETHERTYPE_IPV4) throw new WireError(FORMAT, `protocol type 0x${ptype.toString(16).padStart(4, '0')} is not IPv4 (0x0800)`, start + 2);
  if (bytes[start + 4] !== 6) throw new WireError(FORMAT, `hardware address length ${bytes[start + 4]} is not 6`, start + 4);
  if (bytes[start + 5] !== 4) throw new WireError(FORMAT, `protocol address length ${bytes[start + 5]} is not 4`, start + 5);
  return {
    op: (bytes[start + 6] << 8) | bytes[start + 7],
    senderMac: readMac(bytes, start + 8),
    senderIp: readIpv4Addr(bytes, start + 14),
    targetMac: readMac(bytes, start + 18),
    targetIp: readIpv4Addr(bytes, start + 24),
  };
}

export function parseArp(bytes: Uint8Array): ArpPacket {
  return decodeArp(bytes, 0, bytes.length);
}

const OP_NAMES: Record<number, string> = {
  1: 'Request',
  2: 'Reply',
  3: 'Reverse Request',
  4: 'Reverse Reply',
  8: 'Inverse Request',
  9: 'Inverse Reply',
};

/** tcpdump's text without the leading `ARP, ` (left out by `tcpdump -e`, after the link header). */
export function formatArpBody(arp: ArpPacket): string {
  const spa = ipv4ToString(arp.senderIp);
  const tpa = ipv4ToString(arp.targetIp);
  let text: string;
  if (arp.op === ARP_REQUEST) {
    // tcpdump shows the target MAC only when it is set, as in Linux's unicast re-probes.
    const tha = arp.targetMac !== 0 ? ` (${macToString(arp.targetMac)})` : '';
    text = `Request who-has ${tpa}${tha} tell ${spa}`;
  } else if (arp.op === ARP_REPLY) {
    text = `Reply ${spa} is-at ${macToString(arp.senderMac)}`;
  } else {
    text = `${OP_NAMES[arp.op] ?? `Unknown (${arp.op})`} ${spa} (${macToString(arp.senderMac)}) > ${tpa} (${macToString(arp.targetMac)})`;
  }
  return `${text}, length ${ARP_LEN}`;
}

/**
 * tcpdump's one-liner (print-arp.c): `ARP, Request who-has 10.128.7.1 tell 10.128.7.2, length 28`,
 * `ARP, Reply 10.128.7.1 is-at cc:03:18:19:00:01, length 28`.
 */
export function formatArp(arp: ArpPacket): string {
  return 'ARP, ' + formatArpBody(arp);
}

/** Whether an Ethernet payload value is an ARP packet. */
export function isArpPacket(p: EthernetFrame['payload']): p is ArpPacket {
  return 'senderMac' in p;
}
