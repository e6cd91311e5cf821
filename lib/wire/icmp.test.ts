import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireError } from './errors';
import { emitIcmp, formatIcmp, icmpBufferLen, icmpInvokingBytes, parseIcmp, parseInvoking } from './icmp';
import { emitIpv4, formatIpv4, parseIpv4 } from './ipv4';
import type { IcmpMessage, Ipv4Packet } from './types';
import { ICMP_UNREACH_PORT, IPPROTO_ICMP, IPPROTO_UDP } from './types';
import { WRITEUP_DNS_FRAME_HEX, a5, arbDamaged, arbIcmp, arbIpv4, fromHex, valueOrWireError, writeupDnsFrame } from './test-support';

const dnsQuery = writeupDnsFrame().payload as Ipv4Packet;

/*
 * Port unreachable from xenial1 (10.128.5.2) back to xenial3 (10.128.7.2) when nothing listens on
 * port 53, built by hand. RFC 792 layout: type 3, code 3, checksum, 4 unused bytes, then the
 * invoking packet's IP header and first 8 data bytes — here bytes 0x0e–0x29 of the write-up's
 * frame verbatim (its IPv4 header and UDP header, checksum 0x35df included). Outer header as Linux
 * sends errors: TOS 0xc0 (precedence internetwork control), TTL 64; id 0x4d2e chosen. The two
 * checksums (IPv4 0x0bd4, ICMP 0x2abd) were computed with an independent RFC 1071 implementation
 * (Python) and tshark reports both as good in pcap.test.ts.
 */
const PORT_UNREACHABLE = fromHex(`
45 c0 00 38 4d 2e 00 00 40 01 0b d4 0a 80 05 02
0a 80 07 02 03 03 2a bd 00 00 00 00 45 00 00 35
1d 8c 00 00 3f 11 3d 29 0a 80 07 02 0a 80 05 02
9c 0a 00 35 00 21 35 df`);

const portUnreachable: Ipv4Packet = {
  tos: 0xc0,
  id: 0x4d2e,
  dontFragment: false,
  moreFragments: false,
  fragmentOffset: 0,
  ttl: 64,
  protocol: IPPROTO_ICMP,
  src: 0x0a800502,
  dst: 0x0a800702,
  payload: { kind: 'dest-unreachable', code: ICMP_UNREACH_PORT, nextHopMtu: 0, invoking: icmpInvokingBytes(dnsQuery) },
};

/*
 * Time exceeded from the router 10.128.7.1 to xenial3 for a traceroute probe, built by hand.
 * The probe: 10.128.7.2 → 10.128.5.2, TTL 1, id 0x8a3b, UDP 44101 → 33434 (traceroute's first
 * port), 32 data bytes 0x40..0x5f (Linux traceroute's default 60-byte packet). The error: type 11,
 * code 0, checksum, 4 unused bytes, the probe's IP header (checksum 0x0e73) and UDP header
 * (length 0x28, checksum 0xbab5); outer header TOS 0xc0, TTL 255 (IOS), id 5. All four checksums
 * computed with an independent RFC 1071 implementation (Python); tshark checks the outer two.
 */
const TIME_EXCEEDED = fromHex(`
45 c0 00 38 00 05 00 00 ff 01 97 fd 0a 80 07 01
0a 80 07 02 0b 00 0b 42 00 00 00 00 45 00 00 3c
8a 3b 00 00 01 11 0e 73 0a 80 07 02 0a 80 05 02
ac 45 82 9a 00 28 ba b5`);

const probe: Ipv4Packet = {
  tos: 0,
  id: 0x8a3b,
  dontFragment: false,
  moreFragments: false,
  fragmentOffset: 0,
  ttl: 1,
  protocol: IPPROTO_UDP,
  src: 0x0a800702,
  dst: 0x0a800502,
  payload: { srcPort: 44101, dstPort: 33434, payload: Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i) },
};

const timeExceeded: Ipv4Packet = {
  tos: 0xc0,
  id: 5,
  dontFragment: false,
  moreFragments: false,
  fragmentOffset: 0,
  ttl: 255,
  protocol: IPPROTO_ICMP,
  src: 0x0a800701,
  dst: 0x0a800702,
  payload: { kind: 'time-exceeded', code: 0, invoking: icmpInvokingBytes(probe) },
};

test('the invoking quote is the IP header plus 8 payload bytes, taken from the packet as sent', () => {
  assert.deepEqual(icmpInvokingBytes(dnsQuery), fromHex(WRITEUP_DNS_FRAME_HEX).subarray(14, 42));
  assert.equal(icmpInvokingBytes(dnsQuery, 100).length, 53, 'a larger quote stops at the end of the packet');
  assert.deepEqual(icmpInvokingBytes(dnsQuery, 100), fromHex(WRITEUP_DNS_FRAME_HEX).subarray(14));
  const raw: Ipv4Packet = { ...dnsQuery, protocol: 99, payload: fromHex('01 02 03') };
  assert.deepEqual(icmpInvokingBytes(raw), emitIpv4(raw), 'payloads shorter than 8 bytes are quoted whole');
  const echo: Ipv4Packet = { ...dnsQuery, protocol: IPPROTO_ICMP, payload: { kind: 'echo-request', id: 1, seq: 9, data: new Uint8Array(56) } };
  assert.deepEqual(icmpInvokingBytes(echo), emitIpv4(echo).subarray(0, 28));
});

test('port unreachable: construct, deconstruct, parse, emit into 0xa5', () => {
  assert.deepEqual(emitIpv4(portUnreachable), PORT_UNREACHABLE);
  const p = parseIpv4(PORT_UNREACHABLE);
  const msg = p.payload as Extract<IcmpMessage, { kind: 'dest-unreachable' }>;
  assert.equal(msg.kind, 'dest-unreachable');
  assert.equal(msg.code, 3);
  assert.deepEqual(p, portUnreachable);
  const buf = a5(PORT_UNREACHABLE.length);
  emitIpv4(portUnreachable, buf);
  assert.deepEqual(buf, PORT_UNREACHABLE);
  assert.deepEqual(parseInvoking(msg.invoking), {
    src: 0x0a800702,
    dst: 0x0a800502,
    protocol: IPPROTO_UDP,
    ttl: 63,
    id: 0x1d8c,
    srcPort: 39946,
    dstPort: 53,
    icmpId: null,
    icmpSeq: null,
  });
  assert.equal(formatIpv4(portUnreachable), 'IP 10.128.5.2 > 10.128.7.2: ICMP 10.128.5.2 udp port 53 unreachable, length 36');
});

test('time exceeded: construct, parse, emit into 0xa5', () => {
  assert.deepEqual(emitIpv4(timeExceeded), TIME_EXCEEDED);
  assert.deepEqual(parseIpv4(TIME_EXCEEDED), timeExceeded);
  const buf = a5(TIME_EXCEEDED.length + 3);
  emitIpv4(timeExceeded, buf, 3);
  assert.deepEqual(buf.subarray(3), TIME_EXCEEDED);
  const q = parseInvoking((timeExceeded.payload as Extract<IcmpMessage, { kind: 'time-exceeded' }>).invoking);
  assert.equal(q?.ttl, 1);
  assert.equal(q?.dstPort, 33434);
  assert.equal(formatIpv4(timeExceeded), 'IP 10.128.7.1 > 10.128.7.2: ICMP time exceeded in-transit, length 36');
});

test('a quoted echo request gives ping its id and sequence back', () => {
  const ping: Ipv4Packet = { ...probe, protocol: IPPROTO_ICMP, payload: { kind: 'echo-request', id: 0x1234, seq: 7, data: new Uint8Array(56) } };
  const q = parseInvoking(icmpInvokingBytes(ping));
  assert.equal(q?.protocol, IPPROTO_ICMP);
  assert.equal(q?.icmpId, 0x1234);
  assert.equal(q?.icmpSeq, 7);
  assert.equal(q?.srcPort, null);
});

test('parseInvoking is lenient: short or odd quotes give null or partial answers, never throw', () => {
  const quote = icmpInvokingBytes(dnsQuery);
  assert.equal(parseInvoking(quote.subarray(0, 19)), null);
  assert.equal(parseInvoking(Uint8Array.from([0x65, ...quote.subarray(1)])), null, 'not IPv4');
  assert.equal(parseInvoking(quote.subarray(0, 23))?.srcPort, null, 'ports need 4 bytes after the header');
  assert.equal(parseInvoking(quote.subarray(0, 24))?.dstPort, 53);
  const fragment = Uint8Array.from(quote);
  fragment[7] = 1; // fragment offset 8: the bytes after the header are not a UDP header
  assert.equal(parseInvoking(fragment)?.srcPort, null);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => parseInvoking(b) === null || typeof parseInvoking(b)?.src === 'number'));
});

test('echo, need-to-frag and other messages: bytes and tcpdump text', () => {
  // Echo reply id 1 seq 1 with no data: 00 00 ffFD 00 01 00 01 — checksum ~(0x0001 + 0x0001) = 0xfffd.
  const reply: IcmpMessage = { kind: 'echo-reply', id: 1, seq: 1, data: new Uint8Array(0) };
  assert.deepEqual(emitIcmp(reply), fromHex('00 00 ff fd 00 01 00 01'));
  assert.equal(formatIcmp(reply), 'ICMP echo reply, id 1, seq 1, length 8');
  // Need to frag (RFC 1191): next-hop MTU in the low half of the second word: 03 04 cksum 00 00 05 dc.
  const needFrag: IcmpMessage = { kind: 'dest-unreachable', code: 4, nextHopMtu: 1500, invoking: icmpInvokingBytes(dnsQuery) };
  const b = emitIcmp(needFrag);
  assert.deepEqual([...b.subarray(4, 8)], [0, 0, 0x05, 0xdc]);
  assert.deepEqual(parseIcmp(b), needFrag);
  assert.equal(formatIcmp(needFrag), 'ICMP 10.128.5.2 unreachable - need to frag (mtu 1500), length 36');
  const invoking = icmpInvokingBytes(dnsQuery);
  const unreach = (code: number) => formatIcmp({ kind: 'dest-unreachable', code, nextHopMtu: 0, invoking });
  assert.equal(unreach(0), 'ICMP net 10.128.5.2 unreachable, length 36');
  assert.equal(unreach(1), 'ICMP host 10.128.5.2 unreachable, length 36');
  assert.equal(unreach(2), 'ICMP 10.128.5.2 protocol 17 unreachable, length 36');
  assert.equal(unreach(13), 'ICMP host 10.128.5.2 unreachable - admin prohibited filter, length 36');
  assert.equal(unreach(99), 'ICMP #99 10.128.5.2 unreachable, length 36');
  // Router solicitation (RFC 1256): type 10, code 0, 4 reserved bytes → an `other`.
  const solicit = parseIcmp(fromHex('0a 00 f5 ff 00 00 00 00'));
  assert.deepEqual(solicit, { kind: 'other', type: 10, code: 0, rest: new Uint8Array(4) });
  assert.equal(formatIcmp(solicit), 'ICMP router solicitation, length 8');
  assert.equal(formatIcmp({ kind: 'other', type: 42, code: 0, rest: new Uint8Array(4) }), 'ICMP type-#42, length 8');
  assert.equal(formatIcmp({ kind: 'time-exceeded', code: 1, invoking }), 'ICMP ip reassembly time exceeded, length 36');
});

test('emit refuses `other` values that would not parse back as themselves', () => {
  assert.throws(() => emitIcmp({ kind: 'other', type: 8, code: 0, rest: new Uint8Array(4) }), /icmp: type 8 has its own kind/);
  assert.throws(() => emitIcmp({ kind: 'other', type: 13, code: 0, rest: new Uint8Array(3) }), /at least 4 bytes/);
});

test('checksum and length errors', () => {
  const b = emitIcmp({ kind: 'echo-request', id: 1, seq: 1, data: new Uint8Array(0) });
  b[7] = 2;
  assert.throws(() => parseIcmp(b), (e: unknown) => e instanceof WireError && e.message === 'icmp: checksum 0xf7fd does not match the computed 0xf7fc (offset 2)');
  assert.equal((parseIcmp(b, { verifyChecksum: false }) as { seq: number }).seq, 2);
  assert.throws(() => parseIcmp(b.subarray(0, 7)), { message: 'icmp: truncated header: needs 8 bytes, 7 available (offset 0)' });
});

test('round trip: any valid message → emit → parse', () => {
  fc.assert(
    fc.property(arbIcmp, (m) => {
      const b = emitIcmp(m);
      assert.equal(b.length, icmpBufferLen(m));
      assert.deepEqual(parseIcmp(b), m);
    }),
    { numRuns: 500 },
  );
});

test('round trip of quotes: parseInvoking reads back what icmpInvokingBytes quoted', () => {
  fc.assert(
    fc.property(arbIpv4, (p) => {
      const q = parseInvoking(icmpInvokingBytes(p));
      assert.ok(q !== null);
      assert.equal(q.src, p.src);
      assert.equal(q.dst, p.dst);
      assert.equal(q.protocol, p.protocol);
      assert.equal(q.ttl, p.ttl);
      const payload = p.payload;
      if (!(payload instanceof Uint8Array) && 'srcPort' in payload) assert.deepEqual([q.srcPort, q.dstPort], [payload.srcPort, payload.dstPort]);
      if (!(payload instanceof Uint8Array) && 'kind' in payload && (payload.kind === 'echo-request' || payload.kind === 'echo-reply')) {
        assert.deepEqual([q.icmpId, q.icmpSeq], [payload.id, payload.seq]);
      }
    }),
  );
});

test('arbitrary, damaged and truncated messages give a value or a WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (b) => valueOrWireError(() => parseIcmp(b))), { numRuns: 1000 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (b) => valueOrWireError(() => parseIcmp(b, { verifyChecksum: false }))), { numRuns: 1000 });
  const valid = arbIcmp.map((m) => emitIcmp(m));
  fc.assert(fc.property(arbDamaged(valid), (b) => valueOrWireError(() => parseIcmp(b))), { numRuns: 1000 });
  fc.assert(fc.property(arbDamaged(valid), (b) => valueOrWireError(() => formatIcmp(parseIcmp(b, { verifyChecksum: false })))), { numRuns: 1000 });
});
