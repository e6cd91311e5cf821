import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hexdump } from './hexdump';
import { WRITEUP_DNS_FRAME_HEX, fromHex } from './test-support';

test('the write-up frame dumps as tshark -x prints it', () => {
  // Output of `tshark -r dns.pcap -x` (TShark 4.0.17) on the write-up's 67-byte frame.
  const expected = [
    "0000  08 00 27 a9 51 1d cc 03 18 19 00 01 08 00 45 00   ..'.Q.........E.",
    '0010  00 35 1d 8c 00 00 3f 11 3d 29 0a 80 07 02 0a 80   .5....?.=)......',
    '0020  05 02 9c 0a 00 35 00 21 35 df 00 3e 01 00 00 01   .....5.!5..>....',
    '0030  00 00 00 00 00 00 02 72 31 04 68 6f 6d 65 00 00   .......r1.home..',
    '0040  01 00 01                                          ...',
  ].join('\n');
  assert.equal(hexdump(fromHex(WRITEUP_DNS_FRAME_HEX)), expected);
});

test('printable ASCII is 0x20–0x7e; everything else is a dot', () => {
  // tshark 4.0.17 -x on bytes 0x00..0xff: row 0x20 shows ` !"#$%&'()*+,-./`, row 0x70 ends in `~.`.
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const lines = hexdump(all).split('\n');
  assert.equal(lines[2], '0020  20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f    !"#$%&\'()*+,-./');
  assert.equal(lines[7], '0070  70 71 72 73 74 75 76 77 78 79 7a 7b 7c 7d 7e 7f   pqrstuvwxyz{|}~.');
  assert.equal(lines[8].slice(-16), '................');
});

test('offsets widen only when the data needs it (epan/print.c, checked with tshark: 65536 bytes → 4 digits, 65537 → 5)', () => {
  assert.equal(hexdump(new Uint8Array(65536)).split('\n').at(-1)?.slice(0, 6), 'fff0  ');
  const lines = hexdump(new Uint8Array(65537)).split('\n');
  assert.equal(lines[0].slice(0, 7), '00000  ');
  assert.equal(lines.at(-1), '10000  00' + ' '.repeat(45) + '   .');
  assert.equal(hexdump(new Uint8Array(0)), '');
});

test('every dump reads back to its bytes, with the ASCII column in a fixed place', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const lines = hexdump(bytes).split('\n').filter((l) => l !== '');
      const back = lines.flatMap((l) => l.slice(6, 53).trim().split(' ').filter((h) => h !== '').map((h) => parseInt(h, 16)));
      assert.deepEqual(back, [...bytes]);
      for (const l of lines) assert.equal(l.slice(53, 56), '   ');
    }),
  );
});
