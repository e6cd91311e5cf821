/**
 * The internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit
 * big-endian words. Sums are kept unfolded in a double (exact to 2^53, i.e. far beyond any
 * packet) and folded once at the end, which is what makes the incremental form cheap: a
 * pseudo-header sum is just an initial value.
 */
import type { Ipv4Addr } from './types';

/**
 * Adds the 16-bit words of `bytes[start, end)` to `initial` without folding. An odd final byte
 * counts as the high byte of a word whose low byte is zero (RFC 1071 §4.1).
 */
export function sumWords(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  const pairsEnd = end - ((end - start) & 1);
  let i = start;
  for (; i < pairsEnd; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  return sum;
}

/** Folds an unfolded sum to 16 bits with end-around carry. */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The checksum of `bytes[start, end)` plus `initial` (e.g. a pseudo-header sum). Over a region
 * that already contains a correct checksum field the result is 0, which is how parsers verify.
 */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  return ~foldSum(sumWords(bytes, start, end, initial)) & 0xffff;
}

/** Unfolded sum of the IPv4 pseudo-header that UDP and TCP checksums cover (RFC 768). */
export function pseudoHeaderSum(src: Ipv4Addr, dst: Ipv4Addr, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
