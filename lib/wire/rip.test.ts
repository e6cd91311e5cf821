import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { WireError } from './errors';
import { emitEthernet } from './ethernet';
import { PcapWriter } from './pcap';
import {
  RIP_MAX_ENTRIES,
  RipPayload,
  decodeRip,
  emitRip,
  formatRip,
  isWholeTableRequest,
  parseRip,
  ripBufferLen,
  wholeTableRequest,
  type PrefixDictionary,
  type RipMessage,
} from './rip';
import { ETHERTYPE_IPV4, IPPROTO_UDP, type EthernetFrame } from './types';
import { a5, arbBytes, arbDamaged, arbIpv4Addr, arbU16, arbU8, fromHex, valueOrWireError } from './test-support';

// ---- golden bytes, written out by hand from the RFC 2453 section 4 layout -----------------------

/**
 * r1's update on 10.128.1.0/24 after convergence of the write-up's lab: version 2 response with two
 * entries, 10.128.3.0/24 (its own connected network, metric 1) and 10.128.7.0/24 (r3's, metric 2).
 * Header: command 2, version 2, must-be-zero 0000. Each entry: AFI 0002, tag 0000, address, mask,
 * next hop 0.0.0.0, metric as a 32-bit big-endian number.
 */
const RESPONSE_HEX = `
02 02 00 00
00 02 00 00 0a 80 03 00 ff ff ff 00 00 00 00 00 00 00 00 01
00 02 00 00 0a 80 07 00 ff ff ff 00 00 00 00 00 00 00 00 02`;

const RESPONSE: RipMessage = {
  command: 2,
  version: 2,
  entries: [
    { afi: 2, tag: 0, address: 0x0a800300, mask: 0xffffff00, nextHop: 0, metric: 1 },
    { afi: 2, tag: 0, address: 0x0a800700, mask: 0xffffff00, nextHop: 0, metric: 2 },
  ],
};

/** RFC 2453 3.9.1: a request for the whole table is one entry with AFI 0 and metric 16 (0x10). */
const REQUEST_HEX = `01 02 00 00  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 10`;

test('RIP response golden bytes: deconstruct, construct, parse, emit into 0xa5', () => {
  const bytes = fromHex(RESPONSE_HEX);
  // Deconstruct: the fields sit where RFC 2453 section 4 puts them.
  assert.equal(bytes.length, 4 + 2 * 20);
  assert.equal(bytes[0], 2, 'command: response');
  assert.equal(bytes[1], 2, 'version 2');
  assert.equal((bytes[4] << 8) | bytes[5], 2, 'AFI IP');
  assert.deepEqual([...bytes.subarray(8, 12)], [10, 128, 3, 0]);
  assert.deepEqual([...bytes.subarray(12, 16)], [255, 255, 255, 0]);
  assert.equal(bytes[23], 1, 'metric, low byte of a 32-bit field');
  // Construct, parse, emit.
  assert.equal(ripBufferLen(RESPONSE), 44);
  assert.deepEqual(emitRip(RESPONSE), bytes);
  assert.deepEqual(parseRip(bytes), RESPONSE);
  const buf = a5(50);
  emitRip(RESPONSE, buf, 3);
  assert.deepEqual(buf.subarray(3, 47), bytes);
  assert.deepEqual([...buf.subarray(0, 3), ...buf.subarray(47)], [0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5]);
  assert.equal(formatRip(RESPONSE), 'RIPv2, Response, length: 44, routes: 2');
  assert.equal(
    formatRip(RESPONSE, true),
    'RIPv2, Response, length: 44, routes: 2\n  AFI IPv4,      10.128.3.0/24, tag 0x0000, metric: 1, next-hop: self\n  AFI IPv4,      10.128.7.0/24, tag 0x0000, metric: 2, next-hop: self',
  );
});

test('whole-table request golden bytes', () => {
  const bytes = fromHex(REQUEST_HEX);
  const request = wholeTableRequest(2);
  assert.deepEqual(emitRip(request), bytes);
  assert.deepEqual(parseRip(bytes), request);
  assert.ok(isWholeTableRequest(parseRip(bytes)));
  assert.ok(!isWholeTableRequest(RESPONSE));
  assert.equal(formatRip(request), 'RIPv2, Request, length: 24');
  const compact = RipPayload.wholeTableRequest(2);
  assert.equal(compact.byteLength, 24);
  const out = a5(24);
  compact.encodeInto(out, 0);
  assert.deepEqual(out, bytes);
});

/** A two-prefix dictionary standing in for the simulator's interning table. */
const DICT: PrefixDictionary = { addresses: [0x0a800300, 0x0a800700, 0x0a80e002], lengths: [24, 24, 32] };

test('the compact payload writes the same RFC 2453 bytes', () => {
  const p = RipPayload.response(2, DICT, Int32Array.of(99, (0 << 5) | 1, (1 << 5) | 2), 1, 2);
  assert.equal(p.byteLength, 44);
  assert.equal(p.count, 2);
  assert.equal(p.prefixId(1), 1);
  assert.equal(p.metric(1), 2);
  const buf = a5(44);
  p.encodeInto(buf, 0);
  assert.deepEqual(buf, fromHex(RESPONSE_HEX));
  assert.deepEqual(p.toMessage(), RESPONSE);
  // Next hop and tag are written when given; version 1 zeroes tag, mask and next hop (RFC 1058).
  const withHop = RipPayload.response(2, DICT, Int32Array.of((2 << 5) | 16), 0, 1, Uint32Array.of(0x0a800502), Uint16Array.of(7));
  assert.deepEqual(withHop.toMessage().entries[0], { afi: 2, tag: 7, address: 0x0a80e002, mask: 0xffffffff, nextHop: 0x0a800502, metric: 16 });
  const v1 = RipPayload.response(1, DICT, Int32Array.of((2 << 5) | 3), 0, 1, Uint32Array.of(0x0a800502), Uint16Array.of(7));
  assert.deepEqual(v1.toMessage().entries[0], { afi: 2, tag: 0, address: 0x0a80e002, mask: 0, nextHop: 0, metric: 3 });
  assert.throws(() => p.encodeInto(new Uint8Array(43), 0), WireError);
  assert.throws(() => RipPayload.response(2, DICT, new Int32Array(26), 0, 26), /26 entries exceed the 25/);
});

test('structural errors are WireErrors naming the offset', () => {
  const bytes = fromHex(RESPONSE_HEX);
  assert.throws(() => parseRip(bytes.subarray(0, 3)), { message: 'rip: truncated header: needs 4 bytes, 3 available (offset 0)' });
  assert.throws(() => parseRip(bytes.subarray(0, 43)), { message: 'rip: 39 bytes after the header are not a whole number of 20-byte route entries (offset 4)' });
  const big = new Uint8Array(4 + 26 * 20);
  big[0] = 2;
  big[1] = 2;
  assert.throws(() => parseRip(big), { message: 'rip: 26 route entries exceed the 25 of a 512-byte message (RFC 2453 4) (offset 504)' });
  assert.deepEqual(parseRip(fromHex('02 02 00 00')), { command: 2, version: 2, entries: [] }, 'no entries is well formed');
  // decode reads a window of a larger buffer; offsets stay relative to it.
  const framed = new Uint8Array(10 + bytes.length);
  framed.set(bytes, 10);
  assert.deepEqual(decodeRip(framed, 10, framed.length), RESPONSE);
  assert.throws(() => emitRip({ command: 2, version: 2, entries: Array.from({ length: 26 }, () => RESPONSE.entries[0]!) }), WireError);
  assert.throws(() => emitRip(RESPONSE, new Uint8Array(43)), WireError);
});

// fast-check builds records without a prototype; spread them into plain objects like parse returns.
const arbEntry = fc.record({ afi: arbU16, tag: arbU16, address: arbIpv4Addr, mask: arbIpv4Addr, nextHop: arbIpv4Addr, metric: arbIpv4Addr }).map((e) => ({ ...e }));
const arbRip: fc.Arbitrary<RipMessage> = fc
  .record({ command: arbU8, version: arbU8, entries: fc.array(arbEntry, { maxLength: RIP_MAX_ENTRIES }) })
  .map((m) => ({ ...m }));

test('round trip: parse(emit(m)) = m and emit(parse(b)) = b for any well-formed message', () => {
  fc.assert(
    fc.property(arbRip, (m) => {
      const bytes = emitRip(m);
      assert.equal(bytes.length, ripBufferLen(m));
      assert.deepEqual(parseRip(bytes), m);
      assert.deepEqual(emitRip(parseRip(bytes)), bytes);
    }),
  );
});

test('arbitrary and damaged bytes give a value or a WireError', () => {
  fc.assert(fc.property(arbBytes(600), (b) => valueOrWireError(() => parseRip(b))));
  fc.assert(fc.property(arbDamaged(arbRip.map((m) => emitRip(m))), (b) => valueOrWireError(() => parseRip(b))));
});

function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    assert.fail('tshark is required for this test: it checks that Wireshark decodes our RIP bytes (apt-get install tshark)');
  }
  assert.equal(r.status, 0, `tshark ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

test('tshark decodes the compact payload as RIPv2 with our routes, UDP checksum good', () => {
  const frame: EthernetFrame = {
    dst: 0x01005e000009, // 224.0.0.9's group MAC (RFC 1112 6.4)
    src: 0xcc0318190000,
    etherType: ETHERTYPE_IPV4,
    payload: {
      tos: 0xc0,
      id: 1,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 2,
      protocol: IPPROTO_UDP,
      src: 0x0a800101,
      dst: 0xe0000009,
      payload: { srcPort: 520, dstPort: 520, payload: RipPayload.response(2, DICT, Int32Array.of((0 << 5) | 1, (1 << 5) | 2, (2 << 5) | 16), 0, 3) },
    },
  };
  const w = new PcapWriter();
  w.add(1_000_000, emitEthernet(frame));
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-rip-'));
  try {
    const file = join(dir, 'rip.pcap');
    writeFileSync(file, w.toBytes());
    const out = tshark(['-r', file, '-n', '-o', 'udp.check_checksum:TRUE', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'rip.version', '-e', 'rip.command', '-e', 'rip.ip', '-e', 'rip.netmask', '-e', 'rip.metric', '-e', 'udp.checksum.status']);
    assert.equal(out.trim(), '2\t2\t10.128.3.0,10.128.7.0,10.128.224.2\t255.255.255.0,255.255.255.0,255.255.255.255\t1,2,16\t1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
