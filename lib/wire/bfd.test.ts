/**
 * BFD control packets (RFC 5880 §4.1): golden bytes in smoltcp's four steps, a round trip over any
 * packet, and arbitrary bytes giving a packet or a WireError.
 *
 * The golden packet is laid out by hand from §4.1's diagram: version 1, diag 0, state Up (3) with
 * the Poll bit, detect mult 3, length 24, my discriminator 1, your discriminator 2, desired min TX
 * and required min RX 300 ms (300000 µs = 0x000493e0), required min echo RX 50 ms (50000 = 0xc350),
 * what FRR bfdd's first Up packet of a 300 ms profile carries (ptm_bfd_sess_up → bfd_set_polling).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BFD_CONTROL_LEN, BFD_UP, emitBfdControl, formatBfdControl, parseBfdControl, type BfdControl, type BfdState } from './bfd';
import { WireError } from './errors';
import { a5, arbBytes, fromHex, valueOrWireError } from './test-support';

const GOLDEN = fromHex('20 e0 03 18 00000001 00000002 000493e0 000493e0 0000c350');
const PACKET: BfdControl = {
  version: 1,
  diag: 0,
  state: BFD_UP,
  poll: true,
  final: false,
  controlPlaneIndependent: false,
  authPresent: false,
  demand: false,
  multipoint: false,
  detectMult: 3,
  length: 24,
  myDiscriminator: 1,
  yourDiscriminator: 2,
  desiredMinTxUs: 300_000,
  requiredMinRxUs: 300_000,
  requiredMinEchoRxUs: 50_000,
};

test('golden control packet: deconstruct, construct, parse, emit into a 0xa5 buffer', () => {
  assert.equal(GOLDEN.length, BFD_CONTROL_LEN);
  assert.equal(GOLDEN[0]! >> 5, 1, 'version in the top 3 bits');
  assert.equal(GOLDEN[1]! >> 6, 3, 'state Up in the top 2 bits of byte 1');
  assert.equal(GOLDEN[1]! & 0x20, 0x20, 'P bit');
  assert.deepEqual(emitBfdControl(PACKET), GOLDEN);
  assert.deepEqual(parseBfdControl(GOLDEN), PACKET);
  const buf = a5(BFD_CONTROL_LEN + 4);
  emitBfdControl(PACKET, buf, 2);
  assert.deepEqual(buf.subarray(2, 2 + BFD_CONTROL_LEN), GOLDEN);
  assert.equal(buf[0], 0xa5);
  assert.equal(buf[BFD_CONTROL_LEN + 2], 0xa5);
  assert.equal(formatBfdControl(PACKET), 'BFDv1 Up, diag 0, Flags [P], mult 3, my 1 your 2, tx 300ms rx 300ms');
});

test('a truncated packet or a Length past the datagram is a WireError (§6.8.6)', () => {
  assert.throws(() => parseBfdControl(GOLDEN.subarray(0, 23)), WireError);
  const long = Uint8Array.from(GOLDEN);
  long[3] = 26;
  assert.throws(() => parseBfdControl(long), /Length 26 exceeds the 24 bytes/);
});

const arbPacket: fc.Arbitrary<BfdControl> = fc.record({
  version: fc.integer({ min: 0, max: 7 }),
  diag: fc.integer({ min: 0, max: 31 }),
  state: fc.integer({ min: 0, max: 3 }).map((n) => n as BfdState),
  poll: fc.boolean(),
  final: fc.boolean(),
  controlPlaneIndependent: fc.boolean(),
  authPresent: fc.boolean(),
  demand: fc.boolean(),
  multipoint: fc.boolean(),
  detectMult: fc.integer({ min: 0, max: 255 }),
  length: fc.integer({ min: 0, max: 24 }),
  myDiscriminator: fc.nat(),
  yourDiscriminator: fc.nat(),
  desiredMinTxUs: fc.nat(),
  requiredMinRxUs: fc.nat(),
  requiredMinEchoRxUs: fc.nat(),
});

test('round trip: parse(emit(p)) is p for any packet', () => {
  fc.assert(fc.property(arbPacket, (p) => assert.deepEqual(parseBfdControl(emitBfdControl(p)), { ...p })));
});

test('arbitrary bytes give a packet or a WireError, never another exception', () => {
  fc.assert(fc.property(arbBytes(40), (bytes) => void valueOrWireError(() => parseBfdControl(bytes))));
});
