/**
 * IPv4 and MAC addresses as plain numbers. Routing and forwarding touch addresses on every packet,
 * so the helpers here are integer arithmetic only (`>>> 0` keeps results unsigned); strings appear
 * only when parsing configuration or printing.
 */
import type { Ipv4Addr, MacAddr } from './types';

// ---- IPv4 ---------------------------------------------------------------------------------------

/** 255.255.255.255 (RFC 919): the limited broadcast, never forwarded by a router. */
export const LIMITED_BROADCAST: Ipv4Addr = 0xffffffff;

/** Parses a dotted quad, or returns null. Strict: four decimal parts 0–255, no leading zeros. */
export function tryParseIpv4(text: string): Ipv4Addr | null {
  // Leading zeros are rejected because inet_aton reads "010" as octal 8: a config line with one
  // means something different on a real device, so it is better refused than guessed.
  const n = text.length;
  if (n < 7 || n > 15) return null;
  let result = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return null;
      result = result * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null;
      part = part * 10 + (c - 48);
      if (part > 255) return null;
      digits++;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return result * 256 + part;
}

/** Parses a dotted quad such as `10.128.7.2`; throws an Error naming the text if it is not one. */
export function ipv4(text: string): Ipv4Addr {
  const a = tryParseIpv4(text);
  if (a === null) throw new Error(`invalid IPv4 address ${JSON.stringify(text)}: expected four dotted decimal numbers 0-255`);
  return a;
}

export function ipv4ToString(a: Ipv4Addr): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/** Netmasks by prefix length 0–32, for hot paths that index them without prefixMask's range check. */
export const PREFIX_MASKS: readonly number[] = Array.from({ length: 33 }, (_, len) => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0));

/** The netmask of a prefix length: 24 → 255.255.255.0. */
export function prefixMask(len: number): Ipv4Addr {
  const m = PREFIX_MASKS[len];
  if (m === undefined) throw new RangeError(`prefix length ${len} is not an integer from 0 to 32`);
  return m;
}

/** 255.255.255.0 → 24; null for a mask whose one-bits are not contiguous from the top (255.0.255.0). */
export function maskToPrefixLength(mask: Ipv4Addr): number | null {
  const host = ~mask >>> 0;
  // The host part of a valid mask is 2^k - 1, so adding one clears every bit it has.
  if ((host & (host + 1)) !== 0) return null;
  return Math.clz32(host);
}

/** The network address of `a` under a prefix length: (10.128.7.2, 24) → 10.128.7.0. */
export function networkOf(a: Ipv4Addr, len: number): Ipv4Addr {
  return (a & prefixMask(len)) >>> 0;
}

/** The broadcast address of `a`'s subnet: (10.128.7.2, 24) → 10.128.7.255. */
export function broadcastOf(a: Ipv4Addr, len: number): Ipv4Addr {
  return (networkOf(a, len) | (~prefixMask(len) >>> 0)) >>> 0;
}

/** Whether `a` and `b` lie in the same subnet of length `len`. */
export function inSubnet(a: Ipv4Addr, b: Ipv4Addr, len: number): boolean {
  return networkOf(a, len) === networkOf(b, len);
}

/**
 * The classful length of an address by its first octet (RFC 791 §2.3): A /8, B /16, and /24 for the
 * rest, as RIP's auto-summary and IOS's `show ip route` headings treat every address.
 */
export function classfulLength(a: Ipv4Addr): number {
  const first = a >>> 24;
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

/** The classful length of a unicast network (A /8, B /16, C /24), or null for 0/8, 127/8, D and E. */
export function classfulPrefixLength(a: Ipv4Addr): number | null {
  const first = a >>> 24;
  if (first === 0 || first === 127 || first >= 224) return null;
  return classfulLength(a);
}

/** Whether `a` lies in prefix/len. */
export function inPrefix(a: Ipv4Addr, prefix: Ipv4Addr, len: number): boolean {
  return ((a ^ prefix) & prefixMask(len)) === 0;
}

/** 224.0.0.0/4 (RFC 5771). */
export function isMulticastIpv4(a: Ipv4Addr): boolean {
  return a >>> 28 === 0xe;
}

// ---- MAC ----------------------------------------------------------------------------------------

const TWO_32 = 0x1_0000_0000;

/** ff:ff:ff:ff:ff:ff. */
export const BROADCAST_MAC: MacAddr = 0xffff_ffff_ffff;

/** The Ethernet group address of an IPv4 multicast group: 01:00:5e + its low 23 bits (RFC 1112 §6.4). */
export function multicastMacFor(group: Ipv4Addr): MacAddr {
  return 0x01005e * 0x1000000 + (group & 0x7fffff);
}

/** Whether the I/G bit is set (broadcast included): a switch floods such frames. */
export function isMulticastMac(m: MacAddr): boolean {
  return (Math.floor(m / 0x100_0000_0000) & 1) === 1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20; // ASCII lower case
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Reads `count` hex digits of `text` from `start`, or -1 if any is not a hex digit. */
function hexRun(text: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const d = hexValue(text.charCodeAt(i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Parses a MAC address, or returns null: `08:00:27:a9:51:1d`, `08-00-27-a9-51-1d` or Cisco `cc03.1819.0001`. */
export function tryParseMac(text: string): MacAddr | null {
  if (text.length === 17) {
    const sep = text.charCodeAt(2);
    if (sep !== 58 /* : */ && sep !== 45 /* - */) return null;
    let v = 0;
    for (let i = 0; i < 6; i++) {
      if (i > 0 && text.charCodeAt(i * 3 - 1) !== sep) return null;
      const b = hexRun(text, i * 3, 2);
      if (b < 0) return null;
      v = v * 256 + b;
    }
    return v;
  }
  if (text.length === 14 && text.charCodeAt(4) === 46 && text.charCodeAt(9) === 46) {
    const a = hexRun(text, 0, 4);
    const b = hexRun(text, 5, 4);
    const c = hexRun(text, 10, 4);
    if (a < 0 || b < 0 || c < 0) return null;
    return (a * 65536 + b) * 65536 + c;
  }
  return null;
}

/** Parses a MAC address (see tryParseMac); throws an Error naming the text if it is not one. */
export function mac(text: string): MacAddr {
  const m = tryParseMac(text);
  if (m === null) {
    throw new Error(`invalid MAC address ${JSON.stringify(text)}: expected 08:00:27:a9:51:1d, 08-00-27-a9-51-1d or cc03.1819.0001`);
  }
  return m;
}

function hex2(b: number): string {
  return (b < 16 ? '0' : '') + b.toString(16);
}

function hex4(w: number): string {
  return w.toString(16).padStart(4, '0');
}

/** Linux/tcpdump form: `08:00:27:a9:51:1d`. */
export function macToString(m: MacAddr): string {
  const hi = Math.floor(m / TWO_32);
  const lo = m >>> 0;
  return `${hex2(hi >>> 8)}:${hex2(hi & 0xff)}:${hex2(lo >>> 24)}:${hex2((lo >>> 16) & 0xff)}:${hex2((lo >>> 8) & 0xff)}:${hex2(lo & 0xff)}`;
}

/** Cisco IOS form: `cc03.1819.0001`. */
export function macToCisco(m: MacAddr): string {
  const hi = Math.floor(m / TWO_32);
  const lo = m >>> 0;
  return `${hex4(hi)}.${hex4(lo >>> 16)}.${hex4(lo & 0xffff)}`;
}

/** Reads a 6-byte MAC at `offset`; the caller has checked the bounds. */
export function readMac(buf: Uint8Array, offset: number): MacAddr {
  const hi = (buf[offset] << 8) | buf[offset + 1];
  const lo = ((buf[offset + 2] << 24) | (buf[offset + 3] << 16) | (buf[offset + 4] << 8) | buf[offset + 5]) >>> 0;
  return hi * TWO_32 + lo;
}

/** Writes a 6-byte MAC at `offset`; the caller has checked the bounds. */
export function writeMac(buf: Uint8Array, offset: number, m: MacAddr): void {
  const hi = Math.floor(m / TWO_32);
  const lo = m >>> 0;
  buf[offset] = hi >>> 8;
  buf[offset + 1] = hi;
  buf[offset + 2] = lo >>> 24;
  buf[offset + 3] = lo >>> 16;
  buf[offset + 4] = lo >>> 8;
  buf[offset + 5] = lo;
}

/** Reads a big-endian IPv4 address at `offset`; the caller has checked the bounds. */
export function readIpv4Addr(buf: Uint8Array, offset: number): Ipv4Addr {
  return ((buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0;
}

/** Writes a big-endian IPv4 address at `offset`; the caller has checked the bounds. */
export function writeIpv4Addr(buf: Uint8Array, offset: number, a: Ipv4Addr): void {
  buf[offset] = a >>> 24;
  buf[offset + 1] = a >>> 16;
  buf[offset + 2] = a >>> 8;
  buf[offset + 3] = a;
}
