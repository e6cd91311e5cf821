/**
 * The one exception wire parsers throw. Parsers read untrusted bytes (captures, quotes inside
 * ICMP errors, fuzzers), so every way input can be wrong ends here, with the format and the byte
 * offset, instead of as a RangeError from a typed array or a TypeError from undefined.
 */
export class WireError extends Error {
  /** The format that rejected the input, e.g. `ipv4`, `udp`, `pcap`. */
  readonly format: string;
  /** Byte offset of the offending field from the start of the buffer handed to the parser, if known. */
  readonly offset: number | null;

  constructor(format: string, detail: string, offset: number | null = null) {
    super(`${format}: ${detail}${offset === null ? '' : ` (offset ${offset})`}`);
    this.name = 'WireError';
    this.format = format;
    this.offset = offset;
  }
}

/** How strictly parsers check their input. */
export interface ParseOptions {
  /**
   * Verify IPv4 header, ICMP and UDP checksums and reject mismatches. Turn off to read captures
   * taken on a sending host with checksum offload, where outgoing checksums are not yet filled in.
   * @defaultValue true
   */
  verifyChecksum?: boolean;
}

/** Throws unless `[start, start + length)` fits before `end`: the one bounds check parsers share. */
export function need(format: string, what: string, start: number, length: number, end: number): void {
  if (start + length > end) {
    throw new WireError(format, `truncated ${what}: needs ${length} bytes, ${Math.max(0, end - start)} available`, start);
  }
}

/** Throws unless `length` bytes fit in `buf` at `offset`: the bounds check emitters share. */
export function needRoom(format: string, buf: Uint8Array, offset: number, length: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + length > buf.length) {
    throw new WireError(format, `buffer too small: needs ${length} bytes at offset ${offset}, buffer holds ${buf.length}`);
  }
}
