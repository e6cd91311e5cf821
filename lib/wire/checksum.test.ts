import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldSum, internetChecksum, pseudoHeaderSum, sumWords } from './checksum';
import { arbIpv4Addr, fromHex } from './test-support';

/** A deliberately naive RFC 1071 reference: fold after every word. */
function reference(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  for (let i = 0; i < bytes.length; i += 2) {
    sum += (bytes[i] << 8) | (i + 1 < bytes.length ? bytes[i + 1] : 0);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ~sum & 0xffff;
}

test('RFC 1071 §3 worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2', () => {
  const bytes = fromHex('00 01 f2 03 f4 f5 f6 f7');
  assert.equal(foldSum(sumWords(bytes, 0, bytes.length)), 0xddf2);
  assert.equal(internetChecksum(bytes), 0x220d);
});

test('an odd final byte is the high half of a zero-padded word (RFC 1071 §4.1)', () => {
  assert.equal(internetChecksum(fromHex('01')), 0xfeff);
  assert.equal(internetChecksum(fromHex('00 01 f2')), ~(0x0001 + 0xf200) & 0xffff);
  assert.equal(internetChecksum(new Uint8Array(0)), 0xffff);
});

test('the write-up IPv4 header checksums to 0x3d29', () => {
  // Header bytes 0x0e–0x21 of the write-up's frame with the checksum field zeroed.
  const header = fromHex('45 00 00 35 1d 8c 00 00 3f 11 00 00 0a 80 07 02 0a 80 05 02');
  assert.equal(internetChecksum(header), 0x3d29);
  header[10] = 0x3d;
  header[11] = 0x29;
  assert.equal(internetChecksum(header), 0, 'a header with its checksum in place sums to zero');
});

test('checksum agrees with a naive reference, over sub-ranges and with an initial sum', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 0x3ffff }), (bytes, a, b, initial) => {
      const start = bytes.length === 0 ? 0 : a % bytes.length;
      const end = start + (b % (bytes.length - start + 1));
      return internetChecksum(bytes, start, end, initial) === reference(bytes.subarray(start, end), initial);
    }),
  );
});

test('sums split at an even boundary chain through the initial value', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (bytes, s) => {
      const split = (s % (bytes.length + 1)) & ~1;
      const whole = foldSum(sumWords(bytes, 0, bytes.length));
      const chained = foldSum(sumWords(bytes, split, bytes.length, sumWords(bytes, 0, split)));
      return whole === chained;
    }),
  );
});

test('sums far past 2^32 still fold correctly', () => {
  const big = new Uint8Array(200_000).fill(0xff); // 100 000 words of 0xffff: unfolded sum ≈ 6.5e9
  assert.equal(internetChecksum(big), reference(big));
});

test('pseudo-header sum equals the sum of the explicit 12-byte pseudo-header (RFC 768)', () => {
  fc.assert(
    fc.property(arbIpv4Addr, arbIpv4Addr, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff }), (src, dst, proto, len) => {
      const ph = new Uint8Array(12);
      const v = new DataView(ph.buffer);
      v.setUint32(0, src);
      v.setUint32(4, dst);
      v.setUint8(9, proto);
      v.setUint16(10, len);
      return foldSum(pseudoHeaderSum(src, dst, proto, len)) === foldSum(sumWords(ph, 0, 12));
    }),
  );
});
