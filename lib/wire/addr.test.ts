import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BROADCAST_MAC,
  LIMITED_BROADCAST,
  inPrefix,
  ipv4,
  ipv4ToString,
  isMulticastIpv4,
  isMulticastMac,
  mac,
  macToCisco,
  macToString,
  maskToPrefixLength,
  multicastMacFor,
  networkOf,
  prefixMask,
  readIpv4Addr,
  readMac,
  tryParseIpv4,
  tryParseMac,
  writeIpv4Addr,
  writeMac,
} from './addr';
import { arbIpv4Addr, arbMacAddr } from './test-support';

test('ipv4: dotted quads of the labs parse to their 32-bit values and print back', () => {
  // 10.128.7.2 = 0x0a 0x80 0x07 0x02, the bytes at offset 0x1a of the write-up's frame.
  assert.equal(ipv4('10.128.7.2'), 0x0a800702);
  assert.equal(ipv4('0.0.0.0'), 0);
  assert.equal(ipv4('255.255.255.255'), LIMITED_BROADCAST);
  assert.equal(ipv4('224.0.0.9'), 0xe0000009);
  assert.equal(ipv4ToString(0x0a800502), '10.128.5.2');
  assert.equal(ipv4ToString(0xffffffff), '255.255.255.255');
});

test('ipv4: anything but a strict dotted quad is refused, naming the text', () => {
  for (const bad of ['', '10.128.7', '10.128.7.2.1', '256.0.0.1', '1.2.3.256', '01.2.3.4', '1.2.3.00', '1..2.3', '.1.2.3', '1.2.3.', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.-4', 'a.b.c.d', '1.2.3.4/24', '１.2.3.4']) {
    assert.equal(tryParseIpv4(bad), null, JSON.stringify(bad));
    assert.throws(() => ipv4(bad), (e: Error) => e.message.includes(JSON.stringify(bad)));
  }
});

test('ipv4: parse agrees with a regular-expression reference on arbitrary short strings', () => {
  const part = '(0|[1-9][0-9]{0,2})';
  const re = new RegExp(`^${part}\\.${part}\\.${part}\\.${part}$`);
  const reference = (s: string): number | null => {
    const m = re.exec(s);
    if (m === null) return null;
    const parts = m.slice(1, 5).map(Number);
    if (parts.some((p) => p > 255)) return null;
    return ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
  };
  const chars = fc.constantFrom(...'0123456789.'.split(''), '2', '5', '.');
  fc.assert(fc.property(fc.string({ unit: chars, maxLength: 17 }), (s) => tryParseIpv4(s) === reference(s)));
  fc.assert(fc.property(arbIpv4Addr, (a) => ipv4(ipv4ToString(a)) === a));
});

test('prefix masks and prefix lengths', () => {
  assert.equal(prefixMask(0), 0);
  assert.equal(prefixMask(1), 0x80000000);
  assert.equal(prefixMask(24), 0xffffff00);
  assert.equal(prefixMask(32), 0xffffffff);
  for (const bad of [-1, 33, 1.5, NaN]) assert.throws(() => prefixMask(bad), RangeError);
  assert.equal(maskToPrefixLength(ipv4('255.255.255.0')), 24);
  assert.equal(maskToPrefixLength(0), 0);
  assert.equal(maskToPrefixLength(0xffffffff), 32);
  assert.equal(maskToPrefixLength(ipv4('255.255.255.254')), 31);
  for (const bad of ['255.0.255.0', '0.255.255.255', '0.0.0.1', '255.255.254.1']) assert.equal(maskToPrefixLength(ipv4(bad)), null, bad);
  fc.assert(fc.property(fc.integer({ min: 0, max: 32 }), (len) => maskToPrefixLength(prefixMask(len)) === len));
  fc.assert(
    fc.property(arbIpv4Addr, (m) => {
      const len = maskToPrefixLength(m);
      return len === null ? ![...Array(33).keys()].some((l) => prefixMask(l) === m) : prefixMask(len) === m;
    }),
  );
});

test('networkOf and inPrefix', () => {
  assert.equal(ipv4ToString(networkOf(ipv4('10.128.7.2'), 24)), '10.128.7.0');
  assert.equal(networkOf(ipv4('10.128.7.2'), 0), 0);
  assert.equal(networkOf(ipv4('10.128.7.2'), 32), ipv4('10.128.7.2'));
  assert.equal(networkOf(0xffffffff, 1), 0x80000000); // unsigned, not -2147483648
  assert.ok(inPrefix(ipv4('10.128.7.2'), ipv4('10.128.0.0'), 16));
  assert.ok(!inPrefix(ipv4('10.129.7.2'), ipv4('10.128.0.0'), 16));
  assert.ok(inPrefix(ipv4('200.1.2.3'), 0, 0));
  fc.assert(
    fc.property(arbIpv4Addr, arbIpv4Addr, fc.integer({ min: 0, max: 32 }), (a, b, len) => {
      const net = networkOf(a, len);
      return inPrefix(a, net, len) && net >= 0 && inPrefix(b, net, len) === (networkOf(b, len) === net);
    }),
  );
});

test('mac: Linux, Windows and Cisco spellings parse; prints in Linux and Cisco form', () => {
  // The write-up's addresses: xenial1 08:00:27:a9:51:1d, router port cc03.1819.0001 (bytes 0–11 of its frame).
  assert.equal(mac('08:00:27:a9:51:1d'), 0x080027a9511d);
  assert.equal(mac('08-00-27-A9-51-1D'), 0x080027a9511d);
  assert.equal(mac('cc03.1819.0001'), 0xcc0318190001);
  assert.equal(macToString(0xcc0318190001), 'cc:03:18:19:00:01');
  assert.equal(macToCisco(0x080027a9511d), '0800.27a9.511d');
  assert.equal(macToString(BROADCAST_MAC), 'ff:ff:ff:ff:ff:ff');
  assert.equal(macToString(0), '00:00:00:00:00:00');
  for (const bad of ['', '08:00:27:a9:51', '08:00:27:a9:51:1d:00', '08:00-27:a9:51:1d', '08:00:27:a9:51:1g', 'cc03.1819.001', 'cc03:1819:0001', '8:0:27:a9:51:1d']) {
    assert.equal(tryParseMac(bad), null, bad);
    assert.throws(() => mac(bad), (e: Error) => e.message.includes(JSON.stringify(bad)));
  }
  fc.assert(fc.property(arbMacAddr, (m) => mac(macToString(m)) === m && mac(macToCisco(m)) === m));
});

test('multicast mapping (RFC 1112 §6.4) and the I/G bit', () => {
  // RIPv2's group 224.0.0.9 → 01:00:5e:00:00:09; the high bit of the second octet is dropped: 239.255.255.250 → 01:00:5e:7f:ff:fa.
  assert.equal(macToString(multicastMacFor(ipv4('224.0.0.9'))), '01:00:5e:00:00:09');
  assert.equal(macToString(multicastMacFor(ipv4('239.255.255.250'))), '01:00:5e:7f:ff:fa');
  assert.ok(isMulticastIpv4(ipv4('224.0.0.9')) && isMulticastIpv4(ipv4('239.255.255.255')));
  assert.ok(!isMulticastIpv4(ipv4('223.255.255.255')) && !isMulticastIpv4(ipv4('240.0.0.0')));
  assert.ok(isMulticastMac(multicastMacFor(ipv4('224.0.0.9'))) && isMulticastMac(BROADCAST_MAC));
  assert.ok(!isMulticastMac(0x080027a9511d) && !isMulticastMac(0xfeffffffffff));
});

test('reading and writing addresses in buffers round-trips at any offset', () => {
  fc.assert(
    fc.property(arbMacAddr, arbIpv4Addr, fc.integer({ min: 0, max: 6 }), (m, a, at) => {
      const buf = new Uint8Array(16);
      writeMac(buf, at, m);
      writeIpv4Addr(buf, at + 6, a);
      return readMac(buf, at) === m && readIpv4Addr(buf, at + 6) === a;
    }),
  );
  const buf = new Uint8Array(6);
  writeMac(buf, 0, 0xcc0318190001);
  assert.deepEqual([...buf], [0xcc, 0x03, 0x18, 0x19, 0x00, 0x01]);
});
