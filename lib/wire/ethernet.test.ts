import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireError } from './errors';
import { emitEthernet, ethernetBufferLen, formatEthernet, parseEthernet } from './ethernet';
import { emitArp } from './arp';
import { hexdump } from './hexdump';
import { formatIpv4 } from './ipv4';
import type { EthernetFrame, Ipv4Packet, UdpDatagram } from './types';
import { ARP_REPLY, ARP_REQUEST, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './types';
import {
  WRITEUP_DNS_FRAME_HEX,
  WRITEUP_DNS_MESSAGE_HEX,
  a5,
  arbDamaged,
  arbEthernet,
  fromHex,
  valueOrWireError,
  writeupDnsFrame,
} from './test-support';

const DNS_FRAME = fromHex(WRITEUP_DNS_FRAME_HEX);

// ---- the write-up's DNS query: smoltcp's four steps -------------------------------------------

test('write-up DNS query, deconstruct: every field of the captured bytes reads as Wireshark showed it', () => {
  assert.equal(DNS_FRAME.length, 67, 'the write-up frame is 67 bytes: 14 Ethernet + 53 IPv4 (total length 0x0035)');
  const frame = parseEthernet(DNS_FRAME);
  assert.equal(frame.dst, 0x080027a9511d);
  assert.equal(frame.src, 0xcc0318190001);
  assert.equal(frame.etherType, ETHERTYPE_IPV4);
  const ip = frame.payload as Ipv4Packet;
  assert.equal(ip.tos, 0);
  assert.equal(ip.id, 0x1d8c);
  assert.equal(ip.dontFragment, false);
  assert.equal(ip.moreFragments, false);
  assert.equal(ip.fragmentOffset, 0);
  assert.equal(ip.ttl, 0x3f);
  assert.equal(ip.protocol, 17);
  assert.equal(ip.src, 0x0a800702);
  assert.equal(ip.dst, 0x0a800502);
  const udp = ip.payload as UdpDatagram;
  assert.equal(udp.srcPort, 39946);
  assert.equal(udp.dstPort, 53);
  assert.deepEqual(udp.payload, fromHex(WRITEUP_DNS_MESSAGE_HEX));
});

test('write-up DNS query, construct: emitting the header values gives the captured bytes, checksums 0x3d29 and 0x35df', () => {
  const bytes = emitEthernet(writeupDnsFrame());
  assert.equal(ethernetBufferLen(writeupDnsFrame()), 67);
  // The checksums are computed by emit, never copied from the capture: IPv4 at 0x18, UDP at 0x28.
  assert.equal((bytes[0x18] << 8) | bytes[0x19], 0x3d29, 'IPv4 header checksum as in the write-up');
  assert.equal((bytes[0x28] << 8) | bytes[0x29], 0x35df, 'UDP checksum (pseudo-header + 33 bytes) as in the write-up');
  assert.deepEqual(bytes, DNS_FRAME);
});

test('write-up DNS query, parse: the bytes parse to exactly the value', () => {
  assert.deepEqual(parseEthernet(DNS_FRAME), writeupDnsFrame());
});

test('write-up DNS query, emit into a buffer pre-filled with 0xa5 at an offset: every byte written, none outside', () => {
  const buf = a5(67 + 10);
  const written = emitEthernet(writeupDnsFrame(), buf, 5);
  assert.equal(written.byteOffset, 5);
  assert.equal(written.buffer, buf.buffer);
  assert.deepEqual(buf.subarray(5, 72), DNS_FRAME);
  assert.ok(buf.subarray(0, 5).every((b) => b === 0xa5) && buf.subarray(72).every((b) => b === 0xa5));
  assert.throws(() => emitEthernet(writeupDnsFrame(), a5(66)), (e: unknown) => e instanceof WireError && /buffer too small/.test(e.message));
});

test('write-up DNS query: hex dump of the first 48 bytes matches the write-up, in tshark -x layout', () => {
  // The write-up prints the offset and bytes; tshark 4.0.17 `-x` on the same frame prints these
  // lines (two spaces after the offset, three before the ASCII).
  const expected = [
    "0000  08 00 27 a9 51 1d cc 03 18 19 00 01 08 00 45 00   ..'.Q.........E.",
    '0010  00 35 1d 8c 00 00 3f 11 3d 29 0a 80 07 02 0a 80   .5....?.=)......',
    '0020  05 02 9c 0a 00 35 00 21 35 df 00 3e 01 00 00 01   .....5.!5..>....',
  ];
  const writeup = ['0000 08 00 27 a9 51 1d cc 03 18 19 00 01 08 00 45 00', '0010 00 35 1d 8c 00 00 3f 11 3d 29 0a 80 07 02 0a 80', '0020 05 02 9c 0a 00 35 00 21 35 df 00 3e 01 00 00 01'];
  const emitted = emitEthernet(writeupDnsFrame());
  const lines = hexdump(emitted.subarray(0, 48)).split('\n');
  assert.deepEqual(lines, expected);
  assert.deepEqual(
    lines.map((l) => l.slice(0, 53).split(/ +/).join(' ')),
    writeup,
    'offset and bytes equal the write-up lines',
  );
});

test('tcpdump renderings of the write-up frame', () => {
  const frame = writeupDnsFrame();
  assert.equal(formatIpv4(frame.payload as Ipv4Packet), 'IP 10.128.7.2.39946 > 10.128.5.2.53: UDP, length 25');
  assert.equal(
    formatEthernet(frame),
    'cc:03:18:19:00:01 > 08:00:27:a9:51:1d, ethertype IPv4 (0x0800), length 67: 10.128.7.2.39946 > 10.128.5.2.53: UDP, length 25',
  );
});

// ---- ARP in Ethernet --------------------------------------------------------------------------

/*
 * Hand-built ARP frames on xenial1's LAN (RFC 826 layout, 28 bytes after the 14-byte Ethernet
 * header): htype 0001 (Ethernet), ptype 0800 (IPv4), hlen 06, plen 04, op, sender MAC, sender IP,
 * target MAC, target IP. The router port cc03.1819.0001 is assumed to hold 10.128.5.1.
 */
const ARP_REQUEST_FRAME = fromHex(`
ff ff ff ff ff ff  cc 03 18 19 00 01  08 06
00 01  08 00  06  04  00 01
cc 03 18 19 00 01  0a 80 05 01
00 00 00 00 00 00  0a 80 05 02`);
const ARP_REPLY_FRAME = fromHex(`
cc 03 18 19 00 01  08 00 27 a9 51 1d  08 06
00 01  08 00  06  04  00 02
08 00 27 a9 51 1d  0a 80 05 02
cc 03 18 19 00 01  0a 80 05 01`);

const arpRequest: EthernetFrame = {
  dst: 0xffffffffffff,
  src: 0xcc0318190001,
  etherType: ETHERTYPE_ARP,
  payload: { op: ARP_REQUEST, senderMac: 0xcc0318190001, senderIp: 0x0a800501, targetMac: 0, targetIp: 0x0a800502 },
};
const arpReply: EthernetFrame = {
  dst: 0xcc0318190001,
  src: 0x080027a9511d,
  etherType: ETHERTYPE_ARP,
  payload: { op: ARP_REPLY, senderMac: 0x080027a9511d, senderIp: 0x0a800502, targetMac: 0xcc0318190001, targetIp: 0x0a800501 },
};

test('ARP request and reply frames: construct, parse, emit into 0xa5', () => {
  for (const [value, bytes] of [
    [arpRequest, ARP_REQUEST_FRAME],
    [arpReply, ARP_REPLY_FRAME],
  ] as const) {
    assert.equal(bytes.length, 42);
    assert.deepEqual(emitEthernet(value), bytes);
    assert.deepEqual(parseEthernet(bytes), value);
    const buf = a5(42);
    emitEthernet(value, buf);
    assert.deepEqual(buf, bytes);
  }
  assert.equal(formatEthernet(arpRequest), 'cc:03:18:19:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.128.5.2 tell 10.128.5.1, length 28');
});

test('frames padded to the 60-byte minimum parse the same: ARP and IPv4 know their own length', () => {
  for (const bytes of [ARP_REQUEST_FRAME, DNS_FRAME]) {
    const padded = new Uint8Array(Math.max(60, bytes.length + 7));
    padded.set(bytes);
    assert.deepEqual(parseEthernet(padded), parseEthernet(bytes));
  }
});

test('unknown EtherTypes keep their payload as bytes; 802.3 lengths print as such', () => {
  const lldp = fromHex('01 80 c2 00 00 0e 08 00 27 a9 51 1d 88 cc 02 07 04');
  const frame = parseEthernet(lldp);
  assert.equal(frame.etherType, 0x88cc);
  assert.deepEqual(frame.payload, fromHex('02 07 04'));
  assert.deepEqual(emitEthernet(frame), lldp);
  assert.equal(formatEthernet(frame), '08:00:27:a9:51:1d > 01:80:c2:00:00:0e, ethertype LLDP (0x88cc), length 17');
  assert.equal(formatEthernet({ ...frame, etherType: 0x0026 }), '08:00:27:a9:51:1d > 01:80:c2:00:00:0e, 802.3, length 17');
});

test('errors name the format and the offset within the frame', () => {
  assert.throws(() => parseEthernet(DNS_FRAME.subarray(0, 13)), {
    name: 'WireError',
    message: 'ethernet: truncated header: needs 14 bytes, 13 available (offset 0)',
  });
  // IPv4 total length 53 but only 40 bytes of IPv4 present: the offset is the total length field, 14 + 2.
  assert.throws(() => parseEthernet(DNS_FRAME.subarray(0, 54)), {
    message: 'ipv4: total length 53 exceeds the 40 bytes available (offset 16)',
  });
  const bad = Uint8Array.from(DNS_FRAME);
  bad[0x29] ^= 1; // UDP checksum 0x35df → 0x35de
  assert.throws(() => parseEthernet(bad), { message: 'udp: checksum 0x35de does not match the computed 0x35df (offset 40)' });
  assert.equal(((parseEthernet(bad, { verifyChecksum: false }).payload as Ipv4Packet).payload as UdpDatagram).dstPort, 53);
});

test('emit refuses a payload that contradicts the EtherType', () => {
  assert.throws(() => emitEthernet({ ...arpRequest, etherType: ETHERTYPE_IPV4 }), /ethernet: EtherType 0x0800 does not match its ARP payload/);
  assert.throws(() => emitEthernet({ ...writeupDnsFrame(), etherType: ETHERTYPE_ARP }), /does not match its IPv4 payload/);
  // Raw bytes may claim any EtherType: that is how a malformed frame is built on purpose.
  assert.deepEqual(parseEthernet(emitEthernet({ ...arpRequest, payload: emitArp(arpRequest.payload as never) })), arpRequest);
});

// ---- properties -------------------------------------------------------------------------------

test('round trip: any valid frame value → emit → parse gives the value back', () => {
  fc.assert(fc.property(arbEthernet, (frame) => assert.deepEqual(parseEthernet(emitEthernet(frame)), frame)), { numRuns: 500 });
});

test('emit into a 0xa5 buffer at any offset writes exactly what emit allocates', () => {
  fc.assert(
    fc.property(arbEthernet, fc.integer({ min: 0, max: 9 }), (frame, at) => {
      const alone = emitEthernet(frame);
      const buf = a5(alone.length + 12);
      emitEthernet(frame, buf, at);
      assert.deepEqual(buf.subarray(at, at + alone.length), alone);
      assert.ok(buf.subarray(0, at).every((b) => b === 0xa5) && buf.subarray(at + alone.length).every((b) => b === 0xa5));
    }),
  );
});

test('arbitrary, damaged and truncated frames give a value or a WireError, never another exception', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => valueOrWireError(() => parseEthernet(bytes))), { numRuns: 1000 });
  const valid = arbEthernet.map((f) => emitEthernet(f));
  fc.assert(fc.property(arbDamaged(valid), (bytes) => valueOrWireError(() => parseEthernet(bytes))), { numRuns: 2000 });
  fc.assert(fc.property(arbDamaged(valid), (bytes) => valueOrWireError(() => parseEthernet(bytes, { verifyChecksum: false }))), { numRuns: 2000 });
  // Prefixed with a valid Ethernet + IPv4 header so the fuzzing reaches UDP/ICMP decoding.
  const head = DNS_FRAME.subarray(0, 34);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 60 }), fc.constantFrom(1, 17, 6), (tail, proto) => {
      const bytes = new Uint8Array(34 + tail.length);
      bytes.set(head);
      bytes.set(tail, 34);
      bytes[23] = proto;
      bytes[16] = (20 + tail.length) >>> 8;
      bytes[17] = 20 + tail.length;
      valueOrWireError(() => parseEthernet(bytes, { verifyChecksum: false }));
    }),
    { numRuns: 2000 },
  );
});
