/**
 * Hex dumps in the format of `tshark -x` and Wireshark's "Copy as Hex Dump" (epan/print.c,
 * checked against tshark 4.0): a 4-digit offset (more only when the data needs them), two spaces,
 * 16 bytes separated by single spaces, three spaces, and ASCII with '.' for anything outside 0x20–0x7e.
 * A short last line is padded so its ASCII column lines up.
 */

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const ASCII = Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.'));
const HEX_WIDTH = 16 * 3 - 1;

/** One line per 16 bytes, joined with '\n' (no trailing newline); '' for no bytes. */
export function hexdump(bytes: Uint8Array): string {
  // print.c picks the offset width from the largest offset printed: 4 digits up to 0xffff.
  const digits = Math.max(4, (bytes.length > 0 ? bytes.length - 1 : 0).toString(16).length);
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const stop = Math.min(at + 16, bytes.length);
    let hex = '';
    let text = '';
    for (let i = at; i < stop; i++) {
      hex += (i === at ? '' : ' ') + HEX[bytes[i]];
      text += ASCII[bytes[i]];
    }
    lines.push(`${at.toString(16).padStart(digits, '0')}  ${hex.padEnd(HEX_WIDTH)}   ${text}`);
  }
  return lines.join('\n');
}
