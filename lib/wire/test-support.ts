/**
 * fast-check generators of valid wire values and the "value or WireError" check, shared by the
 * wire tests. Test-only: nothing in the library imports this file (fast-check is a dev dependency).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireError } from './errors';
import type { ArpPacket, EthernetFrame, IcmpMessage, Ipv4Packet, UdpDatagram } from './types';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, IPPROTO_ICMP, IPPROTO_UDP } from './types';

/** fc.record that always builds plain objects (by default it sometimes uses a null prototype, which deepEqual tells apart). */
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}

export const arbU8 = fc.integer({ min: 0, max: 0xff });
export const arbU16 = fc.integer({ min: 0, max: 0xffff });
export const arbIpv4Addr = fc.tuple(arbU16, arbU16).map(([hi, lo]) => hi * 0x10000 + lo);
export const arbMacAddr = fc.tuple(arbU16, arbU16, arbU16).map(([a, b, c]) => (a * 0x10000 + b) * 0x10000 + c);
export const arbBytes = (maxLength = 64) => fc.uint8Array({ maxLength });

export const arbUdp: fc.Arbitrary<UdpDatagram> = rec({ srcPort: arbU16, dstPort: arbU16, payload: arbBytes(80) });

const ownKindTypes = new Set([0, 3, 8, 11]);
export const arbIcmp: fc.Arbitrary<IcmpMessage> = fc.oneof(
  rec({ kind: fc.constant('echo-request' as const), id: arbU16, seq: arbU16, data: arbBytes() }),
  rec({ kind: fc.constant('echo-reply' as const), id: arbU16, seq: arbU16, data: arbBytes() }),
  rec({ kind: fc.constant('dest-unreachable' as const), code: arbU8, nextHopMtu: arbU16, invoking: arbBytes(40) }),
  rec({ kind: fc.constant('time-exceeded' as const), code: arbU8, invoking: arbBytes(40) }),
  rec({
    kind: fc.constant('other' as const),
    type: arbU8.filter((t) => !ownKindTypes.has(t)),
    code: arbU8,
    rest: fc.uint8Array({ minLength: 4, maxLength: 40 }),
  }),
);

const arbIpv4Common = rec({
  tos: arbU8,
  id: arbU16,
  dontFragment: fc.boolean(),
  ttl: arbU8,
  src: arbIpv4Addr,
  dst: arbIpv4Addr,
});

/** Valid packets: decoded payloads only where parse decodes them (whole UDP/ICMP datagrams). */
export const arbIpv4: fc.Arbitrary<Ipv4Packet> = fc.oneof(
  fc.tuple(arbIpv4Common, arbUdp).map(([c, payload]) => ({ ...c, moreFragments: false, fragmentOffset: 0, protocol: IPPROTO_UDP, payload })),
  fc.tuple(arbIpv4Common, arbIcmp).map(([c, payload]) => ({ ...c, moreFragments: false, fragmentOffset: 0, protocol: IPPROTO_ICMP, payload })),
  fc
    .tuple(arbIpv4Common, arbU8.filter((p) => p !== IPPROTO_UDP && p !== IPPROTO_ICMP), fc.boolean(), fc.integer({ min: 0, max: 0x1fff }), arbBytes(80))
    .map(([c, protocol, moreFragments, fragmentOffset, payload]) => ({ ...c, protocol, moreFragments, fragmentOffset, payload })),
  // Fragments of UDP/ICMP stay bytes.
  fc
    .tuple(arbIpv4Common, fc.constantFrom(IPPROTO_UDP, IPPROTO_ICMP), fc.integer({ min: 1, max: 0x1fff }), fc.boolean(), arbBytes(80))
    .map(([c, protocol, fragmentOffset, moreFragments, payload]) => ({ ...c, protocol, moreFragments, fragmentOffset, payload })),
);

export const arbArp: fc.Arbitrary<ArpPacket> = rec({
  op: arbU16,
  senderMac: arbMacAddr,
  senderIp: arbIpv4Addr,
  targetMac: arbMacAddr,
  targetIp: arbIpv4Addr,
});

export const arbEthernet: fc.Arbitrary<EthernetFrame> = fc.oneof(
  rec({ dst: arbMacAddr, src: arbMacAddr, etherType: fc.constant(ETHERTYPE_IPV4), payload: arbIpv4 }),
  rec({ dst: arbMacAddr, src: arbMacAddr, etherType: fc.constant(ETHERTYPE_ARP), payload: arbArp }),
  rec({
    dst: arbMacAddr,
    src: arbMacAddr,
    etherType: arbU16.filter((t) => t !== ETHERTYPE_IPV4 && t !== ETHERTYPE_ARP),
    payload: arbBytes(80),
  }),
);

/** Valid bytes made invalid in the ways that matter: cut short, bytes overwritten, or both. */
export function arbDamaged(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), arbU8), { maxLength: 4 }), fc.option(fc.nat()))
    .map(([bytes, edits, cut]) => {
      const out = Uint8Array.from(bytes);
      for (const [at, value] of edits) if (out.length > 0) out[at % out.length] = value;
      return cut === null ? out : out.subarray(0, cut % (out.length + 1));
    });
}

/** Runs a parser on untrusted bytes: it must return or throw a WireError, nothing else. */
export function valueOrWireError(parse: () => unknown): void {
  try {
    parse();
  } catch (e) {
    assert.ok(e instanceof WireError, `expected a WireError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.match(e.message, new RegExp(`^${e.format}: `));
  }
}

/** Parses hex written with any whitespace, as copied from a hex dump. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex: ${text}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** A buffer pre-filled with 0xa5, so bytes an emitter forgets to write show up (smoltcp's emit tests). */
export function a5(length: number): Uint8Array {
  return new Uint8Array(length).fill(0xa5);
}

// ---- the write-up's capture ---------------------------------------------------------------------

/**
 * The DNS query from xenial3 (10.128.7.2) to xenial1 (10.128.5.2) as the write-up's Wireshark
 * capture shows it, after one router hop (TTL 63, source MAC the router's cc03.1819.0001).
 * Bytes 0x00–0x2f are the write-up's hex dump, verbatim; bytes 0x2a–0x42 are the DNS message of
 * its packet-details pane (id 0x003e, flags 0x0100 = standard query, recursion desired, 1
 * question `r1.home` A IN), so the 67-byte frame is fully given by the write-up.
 */
export const WRITEUP_DNS_FRAME_HEX = `
08 00 27 a9 51 1d cc 03 18 19 00 01 08 00 45 00
00 35 1d 8c 00 00 3f 11 3d 29 0a 80 07 02 0a 80
05 02 9c 0a 00 35 00 21 35 df 00 3e 01 00 00 01
00 00 00 00 00 00 02 72 31 04 68 6f 6d 65 00 00
01 00 01`;

/** The DNS message of that frame: header (6 × 16 bits) then QNAME 2"r1" 4"home" 0, QTYPE 1 (A), QCLASS 1 (IN). */
export const WRITEUP_DNS_MESSAGE_HEX = '00 3e 01 00 00 01 00 00 00 00 00 00 02 72 31 04 68 6f 6d 65 00 00 01 00 01';

/** The same frame as values, field by field from the write-up's packet-details pane. */
export function writeupDnsFrame(): EthernetFrame {
  return {
    dst: 0x080027a9511d, // xenial1
    src: 0xcc0318190001, // the router port on xenial1's LAN
    etherType: ETHERTYPE_IPV4,
    payload: {
      tos: 0,
      id: 0x1d8c,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 63,
      protocol: IPPROTO_UDP,
      src: 0x0a800702, // 10.128.7.2
      dst: 0x0a800502, // 10.128.5.2
      payload: { srcPort: 39946, dstPort: 53, payload: fromHex(WRITEUP_DNS_MESSAGE_HEX) },
    },
  };
}
