import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireError } from './errors';
import { DnsPayload, dnsBufferLen, dnsQuery, emitDns, formatDns, parseDns, tryParseDns, type DnsMessage } from './dns';

/**
 * The write-up's §3.3 capture, packet 1: the DNS part of the bytes pane (after the 8-byte UDP
 * header `9c 0a 00 35 00 21 35 df`) as listed in the issue: ID 0x003e, flags 0x0100 (RD),
 * one question `r1.home` type A class IN.
 */
const GOLDEN = '00 3e 01 00 00 01 00 00 00 00 00 00 02 72 31 04 68 6f 6d 65 00 00 01 00 01';
const bytesOf = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/).map((h) => parseInt(h, 16)));

test('dns: golden query from the write-up: deconstruct, construct, parse, emit into 0xa5', () => {
  const bytes = bytesOf(GOLDEN);
  // deconstruct
  const m = parseDns(bytes);
  assert.equal(m.id, 0x3e);
  assert.equal(m.response, false);
  assert.equal(m.rd, true);
  assert.deepEqual(m.questions, [{ name: 'r1.home', type: 'A', class: 'IN' }]);
  // construct
  const built = dnsQuery(0x3e, 'r1.home', 'A');
  assert.deepEqual(emitDns(built), bytes);
  assert.equal(dnsBufferLen(built), 25);
  // UDP length 33 in the capture = 8 + 25
  assert.equal(8 + dnsBufferLen(built), 33);
  // emit into a pre-filled buffer
  const buf = new Uint8Array(40).fill(0xa5);
  emitDns(built, buf, 5);
  assert.deepEqual(buf.subarray(5, 30), bytes);
  assert.equal(buf[4], 0xa5);
  assert.equal(buf[30], 0xa5);
  assert.equal(formatDns(m, 'writeup'), 'Standard query A r1.home');
  assert.equal(formatDns(m, 'tshark'), 'Standard query 0x003e A r1.home');
  assert.deepEqual(new DnsPayload(built).bytes, bytes);
});

const arbName = fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const arbMessage: fc.Arbitrary<DnsMessage> = fc.record({
  id: fc.integer({ min: 0, max: 0xffff }),
  response: fc.boolean(),
  opcode: fc.constantFrom(0, 1, 2),
  aa: fc.boolean(),
  tc: fc.boolean(),
  rd: fc.boolean(),
  ra: fc.boolean(),
  z: fc.constant(false),
  ad: fc.boolean(),
  cd: fc.boolean(),
  rcode: fc.integer({ min: 0, max: 5 }),
  questions: fc.array(fc.record({ name: arbName, type: fc.constantFrom('A' as const, 'PTR' as const, 'NS' as const), class: fc.constant('IN' as const) }), { maxLength: 2 }),
  answers: fc.array(
    fc.oneof(
      fc.record({ name: arbName, type: fc.constant('A' as const), class: fc.constant('IN' as const), ttl: fc.integer({ min: 0, max: 86400 }), data: fc.ipV4() }),
      fc.record({ name: arbName, type: fc.constant('PTR' as const), class: fc.constant('IN' as const), ttl: fc.integer({ min: 0, max: 86400 }), data: arbName }),
    ),
    { maxLength: 3 },
  ),
  authorities: fc.constant([] as DnsMessage['authorities']),
  additionals: fc.constant([] as DnsMessage['additionals']),
}) as unknown as fc.Arbitrary<DnsMessage>;

test('dns: emit then parse is the identity (fast-check)', () => {
  fc.assert(
    fc.property(arbMessage, (m) => {
      const back = parseDns(emitDns(m));
      const norm = (x: DnsMessage) => JSON.stringify({ ...x, questions: x.questions.map((q) => [q.name, q.type]), answers: x.answers.map((a) => [a.name, a.type, 'ttl' in a ? a.ttl : 0, 'data' in a ? a.data : null]) });
      assert.equal(norm(back), norm(m));
    }),
  );
});

test('dns: arbitrary bytes give a message or a WireError, never another exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const r = tryParseDns(bytes);
      assert.ok(r instanceof WireError || typeof r.id === 'number');
    }),
    { numRuns: 3000 },
  );
  // damaged versions of the golden query
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 25 }), (at, value, cut) => {
      const b = bytesOf(GOLDEN);
      b[at] = value;
      const r = tryParseDns(b.subarray(0, cut));
      assert.ok(r instanceof WireError || typeof r.id === 'number');
    }),
  );
  assert.throws(() => parseDns(new Uint8Array(5)), WireError);
  assert.throws(() => parseDns(bytesOf(GOLDEN + ' 00')), WireError);
});
