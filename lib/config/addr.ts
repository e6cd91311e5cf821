/**
 * Reading addresses, masks, prefixes and MAC addresses from user text. IPv4 text goes through ip-num's
 * Validator (the project's validator) and comes out as the plain unsigned 32-bit numbers a LabSpec holds.
 * Strict on purpose: `010.1.1.1` or `10.128.5.300` are errors, not guesses.
 *
 * NOTE: lib/wire/addr.ts has the simulator's own conversions; these small helpers keep lib/config
 * independent of it while both are being written.
 */
// ip-num's validator alone: its IPv4 classes (and the IPv6, range and pool modules they load) only
// convert text the validator has accepted, which the plain 32-bit arithmetic below does, and cost a
// process that reads a lab three times the validator's load time.
import { Validator } from 'ip-num/dist/src/Validator';
import type { Ipv4Addr, MacAddr } from '../wire/types';
import { prefixMask } from '../wire/addr';

// Address maths lives in lib/wire/addr.ts; the parsers here read and format what people write.
export { networkOf, broadcastOf, inSubnet, classfulPrefixLength } from '../wire/addr';

const DOTTED = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function ipNumValid(check: () => [boolean, string[]]): boolean {
  try {
    return check()[0];
  } catch {
    return false;
  }
}

/** `10.128.5.2` → number, or null when the text is not a dotted-quad IPv4 address. */
export function readIpv4(text: string): Ipv4Addr | null {
  if (!DOTTED.test(text)) return null;
  if (!ipNumValid(() => Validator.isValidIPv4String(text))) return null;
  return dottedValue(text);
}

/** A dotted quad ip-num has validated, as a number. */
function dottedValue(text: string): Ipv4Addr {
  const [a, b, c, d] = text.split('.').map(Number) as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** `255.255.255.0` → 24, or null when not a contiguous netmask. */
export function readNetmask(text: string): number | null {
  if (!DOTTED.test(text)) return null;
  if (!ipNumValid(() => Validator.isValidIPv4String(text))) return null;
  if (!ipNumValid(() => Validator.isValidIPv4Mask(text))) return null;
  // A valid mask is contiguous ones: its prefix length is how many there are.
  let ones = 0;
  for (let m = dottedValue(text); m !== 0; m = (m << 1) >>> 0) ones++;
  return ones;
}

/** `24` → 24 (0–32), or null. */
export function readPrefixLength(text: string): number | null {
  if (!/^\d{1,2}$/.test(text)) return null;
  const n = Number(text);
  return n <= 32 ? n : null;
}

/** `10.128.5.2/24` → address and length (host bits allowed), or null. */
export function readCidr(text: string): { address: Ipv4Addr; prefixLength: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const address = readIpv4(text.slice(0, slash));
  const prefixLength = readPrefixLength(text.slice(slash + 1));
  if (address === null || prefixLength === null) return null;
  if (!ipNumValid(() => Validator.isValidIPv4CidrNotation(text))) return null;
  return { address, prefixLength };
}

export function formatIpv4(a: Ipv4Addr): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function formatPrefix(a: Ipv4Addr, prefixLength: number): string {
  return `${formatIpv4(a)}/${prefixLength}`;
}

export function formatNetmask(prefixLength: number): string {
  return formatIpv4(prefixMask(prefixLength));
}


/**
 * MAC addresses as people write them: `cc:03:18:19:00:01`, `CC-03-18-19-00-01`, IOS `cc03.1819.0001`.
 * Returns the 48-bit number, or null.
 */
export function readMac(text: string): MacAddr | null {
  let hex: string;
  if (/^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/.test(text)) {
    hex = text
      .split(/[:-]/)
      .map((b) => b.padStart(2, '0'))
      .join('');
  } else if (/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(text)) {
    hex = text.replace(/\./g, '');
  } else {
    return null;
  }
  return parseInt(hex, 16);
}

export function formatMac(m: MacAddr): string {
  return m
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

/** FNV-1a 32-bit: a small stable hash for default MAC addresses. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
