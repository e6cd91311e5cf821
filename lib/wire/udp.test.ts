import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { internetChecksum, pseudoHeaderSum } from './checksum';
import { WireError } from './errors';
import { decodeUdp, emitUdp, formatUdp, parseUdp, udpBufferLen } from './udp';
import type { EncodablePayload, UdpDatagram } from './types';
import { IPPROTO_UDP } from './types';
import { WRITEUP_DNS_FRAME_HEX, WRITEUP_DNS_MESSAGE_HEX, a5, arbDamaged, arbIpv4Addr, arbUdp, fromHex, valueOrWireError } from './test-support';

const SRC = 0x0a800702; // 10.128.7.2, xenial3
const DST = 0x0a800502; // 10.128.5.2, xenial1
// The write-up's UDP datagram: bytes 0x22–0x42 of its frame (ports 39946 → 53, length 0x21, checksum 0x35df).
const DNS_UDP = fromHex(WRITEUP_DNS_FRAME_HEX).subarray(34);
const dnsUdp: UdpDatagram = { srcPort: 39946, dstPort: 53, payload: fromHex(WRITEUP_DNS_MESSAGE_HEX) };

test('write-up UDP datagram: deconstruct, construct, parse, emit into 0xa5', () => {
  assert.equal(DNS_UDP.length, 33);
  const d = parseUdp(DNS_UDP, SRC, DST);
  assert.equal(d.srcPort, 39946);
  assert.equal(d.dstPort, 53);
  assert.equal(d.payload.byteLength, 25);
  const bytes = emitUdp(dnsUdp, SRC, DST);
  assert.equal((bytes[6] << 8) | bytes[7], 0x35df);
  assert.deepEqual(bytes, DNS_UDP);
  assert.deepEqual(d, dnsUdp);
  const buf = a5(33);
  emitUdp(dnsUdp, SRC, DST, buf);
  assert.deepEqual(buf, DNS_UDP);
  assert.equal(formatUdp(dnsUdp, SRC, DST), '10.128.7.2.39946 > 10.128.5.2.53: UDP, length 25');
  assert.equal(formatUdp(dnsUdp), '39946 > 53: UDP, length 25');
});

test('the checksum covers the pseudo-header: other addresses fail verification, zero means none', () => {
  assert.throws(() => parseUdp(DNS_UDP, SRC, DST + 1), (e: unknown) => e instanceof WireError && e.offset === 6 && /^udp: checksum 0x35df does not match the computed 0x35de/.test(e.message));
  assert.deepEqual(parseUdp(DNS_UDP, SRC, DST + 1, { verifyChecksum: false }), dnsUdp);
  const noSum = Uint8Array.from(DNS_UDP);
  noSum[6] = 0;
  noSum[7] = 0;
  assert.deepEqual(parseUdp(noSum, 1, 2), dnsUdp, 'checksum 0 = not computed (RFC 768): not verified');
});

test('a checksum that computes to zero is sent as 0xffff (RFC 768) and verifies', () => {
  // Put the checksum of the datagram with a zero word into that word: the new sum is 0xffff, so the
  // computed checksum is 0, which must go on the wire as all ones.
  const payload = new Uint8Array(4);
  const first = emitUdp({ srcPort: 520, dstPort: 520, payload }, SRC, DST);
  const c = (first[6] << 8) | first[7];
  payload[2] = c >>> 8;
  payload[3] = c;
  const d: UdpDatagram = { srcPort: 520, dstPort: 520, payload };
  const bytes = emitUdp(d, SRC, DST);
  assert.equal((bytes[6] << 8) | bytes[7], 0xffff);
  assert.equal(internetChecksum(bytes, 0, bytes.length, pseudoHeaderSum(SRC, DST, IPPROTO_UDP, bytes.length)), 0);
  assert.deepEqual(parseUdp(bytes, SRC, DST), d);
});

test('an EncodablePayload writes itself in place', () => {
  const message: EncodablePayload = {
    byteLength: 25,
    encodeInto(buf, offset) {
      buf.set(fromHex(WRITEUP_DNS_MESSAGE_HEX), offset);
    },
  };
  const d: UdpDatagram = { srcPort: 39946, dstPort: 53, payload: message };
  assert.equal(udpBufferLen(d), 33);
  assert.deepEqual(emitUdp(d, SRC, DST), DNS_UDP);
  const buf = a5(40);
  emitUdp(d, SRC, DST, buf, 7);
  assert.deepEqual(buf.subarray(7), DNS_UDP);
  assert.equal(formatUdp(d), '39946 > 53: UDP, length 25');
});

test('length field errors, and bytes past the length are ignored as Linux trims them', () => {
  assert.throws(() => parseUdp(DNS_UDP.subarray(0, 7), SRC, DST), { message: 'udp: truncated header: needs 8 bytes, 7 available (offset 0)' });
  assert.throws(() => parseUdp(DNS_UDP.subarray(0, 32), SRC, DST), { message: 'udp: length field 33 exceeds the 32 bytes available (offset 4)' });
  const short = Uint8Array.from(DNS_UDP);
  short[5] = 7;
  assert.throws(() => parseUdp(short, SRC, DST), { message: 'udp: length field 7 is below the 8-byte header (offset 4)' });
  const longer = new Uint8Array(40);
  longer.set(DNS_UDP);
  assert.deepEqual(parseUdp(longer, SRC, DST), dnsUdp);
  assert.deepEqual(decodeUdp(longer, 0, 33, SRC, DST), dnsUdp);
  assert.throws(() => emitUdp({ srcPort: 1, dstPort: 2, payload: new Uint8Array(65528) }, SRC, DST), /65536 bytes exceeds/);
});

test('round trip: any datagram between any addresses', () => {
  fc.assert(
    fc.property(arbUdp, arbIpv4Addr, arbIpv4Addr, (d, src, dst) => assert.deepEqual(parseUdp(emitUdp(d, src, dst), src, dst), d)),
    { numRuns: 500 },
  );
});

test('arbitrary, damaged and truncated datagrams give a value or a WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), arbIpv4Addr, (b, a) => valueOrWireError(() => parseUdp(b, a, a))), { numRuns: 1000 });
  const valid = arbUdp.map((d) => emitUdp(d, SRC, DST));
  fc.assert(fc.property(arbDamaged(valid), (b) => valueOrWireError(() => parseUdp(b, SRC, DST))), { numRuns: 1000 });
});
