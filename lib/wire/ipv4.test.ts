import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireError } from './errors';
import { decodeIpv4, emitIpv4, formatIpv4, ipv4BufferLen, parseIpv4 } from './ipv4';
import type { IcmpMessage, Ipv4Packet, UdpDatagram } from './types';
import { IPPROTO_ICMP, IPPROTO_UDP } from './types';
import { WRITEUP_DNS_FRAME_HEX, a5, arbDamaged, arbIpv4, fromHex, valueOrWireError, writeupDnsFrame } from './test-support';

/*
 * A published echo request: jpcap 0.01.14 docs/ethernet/ip/icmp/echoRequest.txt, Linux ping of
 * 127.0.0.1 with its hand decode — IPv4 total length 0x54, id 0x0010, TTL 0x40, protocol 1, header
 * checksum 7c 97; ICMP type 8, checksum 3b f6, id 0xf703, seq 0, then 56 bytes of data (8 bytes of
 * struct timeval, then 0x08..0x37). Both checksums are the capture's, not ours.
 */
const ECHO_PACKET = fromHex(`
45 00 00 54 00 10 00 00 40 01 7c 97 7f 00 00 01 7f 00 00 01
08 00 3b f6 f7 03 00 00 68 c8 05 3b 60 ff 0b 00 08 09 0a 0b
0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33
34 35 36 37`);

function echoData(): Uint8Array {
  const data = new Uint8Array(56);
  data.set([0x68, 0xc8, 0x05, 0x3b, 0x60, 0xff, 0x0b, 0x00]);
  for (let i = 8; i < 56; i++) data[i] = i;
  return data;
}

const echoPacket: Ipv4Packet = {
  tos: 0,
  id: 0x0010,
  dontFragment: false,
  moreFragments: false,
  fragmentOffset: 0,
  ttl: 64,
  protocol: IPPROTO_ICMP,
  src: 0x7f000001,
  dst: 0x7f000001,
  payload: { kind: 'echo-request', id: 0xf703, seq: 0, data: echoData() },
};

test('published ICMP echo packet: deconstruct', () => {
  const p = parseIpv4(ECHO_PACKET);
  assert.equal(p.id, 0x10);
  assert.equal(p.ttl, 64);
  assert.equal(p.protocol, IPPROTO_ICMP);
  assert.equal(p.src, 0x7f000001);
  const icmp = p.payload as Extract<IcmpMessage, { kind: 'echo-request' }>;
  assert.equal(icmp.kind, 'echo-request');
  assert.equal(icmp.id, 0xf703);
  assert.equal(icmp.seq, 0);
  assert.equal(icmp.data.length, 56);
});

test('published ICMP echo packet: construct reproduces the capture, checksums 0x7c97 and 0x3bf6 included', () => {
  assert.equal(ipv4BufferLen(echoPacket), 0x54);
  assert.deepEqual(emitIpv4(echoPacket), ECHO_PACKET);
});

test('published ICMP echo packet: parse and emit into 0xa5', () => {
  assert.deepEqual(parseIpv4(ECHO_PACKET), echoPacket);
  const buf = a5(0x54);
  emitIpv4(echoPacket, buf);
  assert.deepEqual(buf, ECHO_PACKET);
  assert.equal(formatIpv4(echoPacket), 'IP 127.0.0.1 > 127.0.0.1: ICMP echo request, id 63235, seq 0, length 64');
});

test('options are skipped via IHL, on both decoded and raw payloads', () => {
  // IHL 6: the 4-byte Router Alert option 94 04 00 00 (RFC 2113) after the fixed header. Header
  // checksums (c3dc, a820) computed with an independent RFC 1071 implementation (Python).
  const raw = fromHex('46 00 00 1c 00 01 00 00 40 fd c3 dc 0a 80 07 02 0a 80 05 02 94 04 00 00 de ad be ef');
  const p = parseIpv4(raw);
  assert.equal(p.protocol, 253);
  assert.deepEqual(p.payload, fromHex('de ad be ef'));
  // The write-up's UDP datagram behind the same option: the UDP checksum does not cover IHL.
  const udp = fromHex(WRITEUP_DNS_FRAME_HEX).subarray(34);
  const withOption = new Uint8Array(24 + udp.length);
  withOption.set(fromHex('46 00 00 39 1d 8c 00 00 3f 11 a8 20 0a 80 07 02 0a 80 05 02 94 04 00 00'));
  withOption.set(udp, 24);
  assert.deepEqual(parseIpv4(withOption), writeupDnsFrame().payload);
});

test('header errors say what is wrong and where', () => {
  const dns = fromHex(WRITEUP_DNS_FRAME_HEX).subarray(14);
  const bad = (edit: (b: Uint8Array) => void, message: string) => {
    const b = Uint8Array.from(dns);
    edit(b);
    assert.throws(() => parseIpv4(b), (e: unknown) => e instanceof WireError && e.format === 'ipv4' && e.message === message);
  };
  bad((b) => (b[0] = 0x43), 'ipv4: header length 3 words is below the minimum of 5 (offset 0)');
  bad((b) => (b[0] = 0x65), 'ipv4: version 6 is not 4 (offset 0)');
  bad((b) => (b[0] = 0x4f), 'ipv4: truncated header with options: needs 60 bytes, 53 available (offset 0)');
  bad((b) => (b[3] = 0x10), 'ipv4: total length 16 is shorter than the 20-byte header (offset 2)');
  bad((b) => (b[3] = 0x36), 'ipv4: total length 54 exceeds the 53 bytes available (offset 2)');
  bad((b) => (b[8] = 0x40), 'ipv4: header checksum 0x3d29 does not match the computed 0x3c29 (offset 10)');
  assert.throws(() => parseIpv4(dns.subarray(0, 19)), { message: 'ipv4: truncated header: needs 20 bytes, 19 available (offset 0)' });
  // With verification off the same packet parses (a capture on a host with checksum offload).
  const ttl64 = Uint8Array.from(dns);
  ttl64[8] = 0x40;
  assert.equal(parseIpv4(ttl64, { verifyChecksum: false }).ttl, 64);
});

test('decodeIpv4 reads a region of a larger buffer and reports offsets within it', () => {
  const frame = fromHex(WRITEUP_DNS_FRAME_HEX);
  assert.deepEqual(decodeIpv4(frame, 14, frame.length), writeupDnsFrame().payload);
  assert.throws(() => decodeIpv4(frame, 14, 30), { message: 'ipv4: truncated header: needs 20 bytes, 16 available (offset 14)' });
});

test('fragments keep their payload as bytes, whatever the protocol', () => {
  const first: Ipv4Packet = { ...echoPacket, id: 7, protocol: IPPROTO_UDP, moreFragments: true, fragmentOffset: 0, payload: fromHex('9c 0a 00 35 05 dc 00 00') };
  assert.deepEqual(parseIpv4(emitIpv4(first)), first);
  assert.equal(formatIpv4(first), 'IP 127.0.0.1 > 127.0.0.1: ip-proto-17 8 (frag 7:8@0+)');
  const last: Ipv4Packet = { ...first, moreFragments: false, fragmentOffset: 185 };
  assert.deepEqual(parseIpv4(emitIpv4(last)), last);
  assert.equal(formatIpv4(last), 'IP 127.0.0.1 > 127.0.0.1: ip-proto-17 8 (frag 7:8@1480)');
});

test('flags: DF sets 0x4000, MF 0x2000, offset in the low 13 bits', () => {
  const p: Ipv4Packet = { ...echoPacket, dontFragment: true, moreFragments: true, fragmentOffset: 0x1abc, protocol: 99, payload: new Uint8Array(0) };
  const b = emitIpv4(p);
  assert.equal((b[6] << 8) | b[7], 0x4000 | 0x2000 | 0x1abc);
  assert.deepEqual(parseIpv4(b), p);
});

test('emit refuses a payload that contradicts the protocol, and packets over 65535 bytes', () => {
  assert.throws(() => emitIpv4({ ...echoPacket, protocol: IPPROTO_UDP }), /ipv4: protocol 17 does not match its ICMP payload/);
  const udp: UdpDatagram = { srcPort: 1, dstPort: 2, payload: new Uint8Array(10) };
  assert.throws(() => emitIpv4({ ...echoPacket, payload: udp }), /protocol 1 does not match its UDP payload/);
  assert.throws(() => emitIpv4({ ...echoPacket, protocol: 99, payload: new Uint8Array(65516) }), /65536 bytes exceeds/);
  assert.equal(emitIpv4({ ...echoPacket, protocol: 99, payload: new Uint8Array(65515) }).length, 65535);
});

test('round trip: any valid packet value → emit → parse gives the value back', () => {
  fc.assert(fc.property(arbIpv4, (p) => assert.deepEqual(parseIpv4(emitIpv4(p)), p)), { numRuns: 500 });
});

test('arbitrary, damaged and truncated packets give a value or a WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => valueOrWireError(() => parseIpv4(bytes))), { numRuns: 1000 });
  // Arbitrary bytes behind a plausible first byte, so the fuzzing gets past the version check.
  fc.assert(
    fc.property(fc.integer({ min: 0x40, max: 0x4f }), fc.uint8Array({ maxLength: 80 }), (first, rest) =>
      valueOrWireError(() => parseIpv4(Uint8Array.from([first, ...rest]), { verifyChecksum: false })),
    ),
    { numRuns: 1000 },
  );
  const valid = arbIpv4.map((p) => emitIpv4(p));
  fc.assert(fc.property(arbDamaged(valid), (bytes) => valueOrWireError(() => parseIpv4(bytes))), { numRuns: 2000 });
  fc.assert(fc.property(arbDamaged(valid), (bytes) => valueOrWireError(() => parseIpv4(bytes, { verifyChecksum: false }))), { numRuns: 2000 });
});
