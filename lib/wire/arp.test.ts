import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arpBufferLen, decodeArp, emitArp, formatArp, parseArp } from './arp';
import type { ArpPacket } from './types';
import { ARP_REPLY, ARP_REQUEST } from './types';
import { a5, arbArp, arbDamaged, fromHex, valueOrWireError } from './test-support';

/*
 * xenial3 (10.128.7.2, MAC 08:00:27:3c:4d:5e assumed) asks for its gateway 10.128.7.1, by hand in
 * RFC 826 order: hardware type 0001 (Ethernet), protocol type 0800 (IPv4), hlen 06, plen 04,
 * op 0001 (request), sender MAC, sender IP, target MAC (unknown: zero), target IP.
 */
const REQUEST = fromHex('00 01 08 00 06 04 00 01 08 00 27 3c 4d 5e 0a 80 07 02 00 00 00 00 00 00 0a 80 07 01');
const request: ArpPacket = { op: ARP_REQUEST, senderMac: 0x0800273c4d5e, senderIp: 0x0a800702, targetMac: 0, targetIp: 0x0a800701 };

test('ARP request: deconstruct, construct, parse, emit into 0xa5', () => {
  const p = parseArp(REQUEST);
  assert.equal(p.op, 1);
  assert.equal(p.senderMac, 0x0800273c4d5e);
  assert.equal(p.targetIp, 0x0a800701);
  assert.equal(arpBufferLen(request), 28);
  assert.deepEqual(emitArp(request), REQUEST);
  assert.deepEqual(p, request);
  const buf = a5(30);
  emitArp(request, buf, 1);
  assert.deepEqual(buf.subarray(1, 29), REQUEST);
  assert.equal(buf[0], 0xa5);
  assert.equal(buf[29], 0xa5);
});

test('tcpdump text (print-arp.c): request, unicast re-probe with its target MAC, reply, other ops', () => {
  assert.equal(formatArp(request), 'ARP, Request who-has 10.128.7.1 tell 10.128.7.2, length 28');
  assert.equal(formatArp({ ...request, targetMac: 0xcc0318190000 }), 'ARP, Request who-has 10.128.7.1 (cc:03:18:19:00:00) tell 10.128.7.2, length 28');
  const reply: ArpPacket = { op: ARP_REPLY, senderMac: 0xcc0318190000, senderIp: 0x0a800701, targetMac: 0x0800273c4d5e, targetIp: 0x0a800702 };
  assert.equal(formatArp(reply), 'ARP, Reply 10.128.7.1 is-at cc:03:18:19:00:00, length 28');
  assert.match(formatArp({ ...request, op: 3 }), /^ARP, Reverse Request /);
  assert.match(formatArp({ ...request, op: 77 }), /^ARP, Unknown \(77\) /);
});

test('only Ethernet/IPv4 ARP is accepted, and the refusal names the field', () => {
  const edit = (at: number, value: number) => {
    const b = Uint8Array.from(REQUEST);
    b[at] = value;
    return b;
  };
  assert.throws(() => parseArp(edit(1, 6)), { message: 'arp: hardware type 6 is not Ethernet (1) (offset 0)' });
  assert.throws(() => parseArp(edit(2, 0x86)), { message: 'arp: protocol type 0x8600 is not IPv4 (0x0800) (offset 2)' });
  assert.throws(() => parseArp(edit(4, 8)), { message: 'arp: hardware address length 8 is not 6 (offset 4)' });
  assert.throws(() => parseArp(edit(5, 16)), { message: 'arp: protocol address length 16 is not 4 (offset 5)' });
  assert.throws(() => parseArp(REQUEST.subarray(0, 27)), { message: 'arp: truncated packet: needs 28 bytes, 27 available (offset 0)' });
  const padded = new Uint8Array(46);
  padded.set(REQUEST);
  assert.deepEqual(decodeArp(padded, 0, 46), request, 'Ethernet padding after the 28 bytes is ignored');
});

test('round trip and fuzzing', () => {
  fc.assert(fc.property(arbArp, (a) => assert.deepEqual(parseArp(emitArp(a)), a)), { numRuns: 500 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => valueOrWireError(() => parseArp(b))), { numRuns: 1000 });
  fc.assert(fc.property(arbDamaged(arbArp.map((a) => emitArp(a))), (b) => valueOrWireError(() => parseArp(b))), { numRuns: 1000 });
});
