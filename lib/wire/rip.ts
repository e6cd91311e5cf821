/**
 * RIP messages, version 1 (RFC 1058) and version 2 (RFC 2453 section 4), carried in UDP port 520.
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  command (1)  |  version (1)  |       must be zero (2)        |   header, 4 bytes
 * +---------------+---------------+-------------------------------+
 * | Address Family Identifier (2) |        Route Tag (2)          |   one route entry (RTE),
 * |                         IP Address (4)                        |   20 bytes, 1 to 25 of them
 * |                         Subnet Mask (4)                       |   (RFC 2453 4: a message is at
 * |                         Next Hop (4)                          |    most 512 bytes)
 * |                         Metric (4)                            |
 * +---------------------------------------------------------------+
 * ```
 *
 * Two representations, one byte format:
 * - `RipMessage`: a plain value of any well-formed message, every field as on the wire (what
 *   `parseRip` returns and `emitRip` writes; authentication entries, AFI 0xffff, are entries too).
 * - `RipPayload`: the compact form the simulator moves between routers: typed arrays of interned
 *   prefix ids and metrics. It implements `EncodablePayload`, so it becomes RFC 2453 bytes only
 *   when a capture or a hex dump asks (`encodeInto`).
 */
import { PREFIX_MASKS, ipv4ToString, maskToPrefixLength, readIpv4Addr, writeIpv4Addr } from './addr';
import { need, needRoom, WireError } from './errors';
import type { EncodablePayload, Ipv4Addr } from './types';

export const RIP_PORT = 520;
/** 224.0.0.9, the RIP-2 routers' group (RFC 2453 4.5). */
export const RIP_MULTICAST_GROUP: Ipv4Addr = 0xe0000009;
export const RIP_REQUEST = 1;
export const RIP_RESPONSE = 2;
/** Address family of IPv4 route entries (RFC 2453 4: "2 for IP"). */
export const RIP_AFI_INET = 2;
/** Address family of an authentication entry (RFC 2453 4.1). */
export const RIP_AFI_AUTH = 0xffff;
/** RFC 2453 3.4: 16 means unreachable. */
export const RIP_METRIC_INFINITY = 16;
export const RIP_HEADER_LEN = 4;
export const RIP_ENTRY_LEN = 20;
/** RFC 2453 4 ("the maximum datagram size is 512 octets"): (512 - 8 - 4) / 20 = 25 entries. */
export const RIP_MAX_ENTRIES = 25;

const FORMAT = 'rip';

/** One route entry exactly as on the wire. Version 1 entries have zero tag, mask and next hop. */
export interface RipEntry {
  /** Address family: 2 (IP), 0 in a whole-table request, 0xffff for authentication. */
  afi: number;
  /** Route tag (RIP-2); in an authentication entry, the authentication type. */
  tag: number;
  address: Ipv4Addr;
  /** Subnet mask as on the wire (RIP-2); 0 in RIP-1. */
  mask: Ipv4Addr;
  /** Next hop (RIP-2); 0.0.0.0 means "via the sender". */
  nextHop: Ipv4Addr;
  /** 1–15 reachable, 16 unreachable; kept as the 32-bit field, so out-of-range values survive a parse. */
  metric: number;
}

export interface RipMessage {
  /** 1 request, 2 response (3–5 obsolete/reserved, kept as numbers). */
  command: number;
  version: number;
  entries: RipEntry[];
}

export function ripBufferLen(message: RipMessage): number {
  return RIP_HEADER_LEN + RIP_ENTRY_LEN * message.entries.length;
}

/**
 * Writes `message` into `buf` at `offset` when given, else into a new array; returns the bytes
 * written. The header's must-be-zero field is written as zero.
 */
export function emitRip(message: RipMessage, buf?: Uint8Array, offset = 0): Uint8Array {
  const n = message.entries.length;
  if (n > RIP_MAX_ENTRIES) throw new WireError(FORMAT, `${n} entries exceed the ${RIP_MAX_ENTRIES} a 512-byte message holds (RFC 2453 4)`);
  const len = ripBufferLen(message);
  if (buf === undefined) {
    buf = new Uint8Array(len);
    offset = 0;
  } else {
    needRoom(FORMAT, buf, offset, len);
  }
  buf[offset] = message.command;
  buf[offset + 1] = message.version;
  buf[offset + 2] = 0;
  buf[offset + 3] = 0;
  let at = offset + RIP_HEADER_LEN;
  for (const e of message.entries) {
    writeEntry(buf, at, e.afi, e.tag, e.address, e.mask, e.nextHop, e.metric);
    at += RIP_ENTRY_LEN;
  }
  return buf.subarray(offset, offset + len);
}

function writeEntry(buf: Uint8Array, at: number, afi: number, tag: number, address: number, mask: number, nextHop: number, metric: number): void {
  buf[at] = afi >>> 8;
  buf[at + 1] = afi;
  buf[at + 2] = tag >>> 8;
  buf[at + 3] = tag;
  writeIpv4Addr(buf, at + 4, address);
  writeIpv4Addr(buf, at + 8, mask);
  writeIpv4Addr(buf, at + 12, nextHop);
  writeIpv4Addr(buf, at + 16, metric);
}

/**
 * Decodes the message in `bytes[start, end)`. Structure only: a header and a whole number of
 * 20-byte entries, at most 25. What the fields mean (version 0, an unknown command, metric 17, a
 * mask that does not fit the address) is for the receiving router to judge (RFC 2453 3.9).
 * The header's must-be-zero bytes are not checked (ripd does not either).
 */
export function decodeRip(bytes: Uint8Array, start: number, end: number): RipMessage {
  need(FORMAT, 'header', start, RIP_HEADER_LEN, end);
  const body = end - start - RIP_HEADER_LEN;
  if (body % RIP_ENTRY_LEN !== 0) {
    throw new WireError(FORMAT, `${body} bytes after the header are not a whole number of ${RIP_ENTRY_LEN}-byte route entries`, start + RIP_HEADER_LEN);
  }
  const n = body / RIP_ENTRY_LEN;
  if (n > RIP_MAX_ENTRIES) {
    throw new WireError(FORMAT, `${n} route entries exceed the ${RIP_MAX_ENTRIES} of a 512-byte message (RFC 2453 4)`, start + RIP_HEADER_LEN + RIP_MAX_ENTRIES * RIP_ENTRY_LEN);
  }
  const entries: RipEntry[] = [];
  for (let i = 0, at = start + RIP_HEADER_LEN; i < n; i++, at += RIP_ENTRY_LEN) {
    entries.push({
      afi: (bytes[at] << 8) | bytes[at + 1],
      tag: (bytes[at + 2] << 8) | bytes[at + 3],
      address: readIpv4Addr(bytes, at + 4),
      mask: readIpv4Addr(bytes, at + 8),
      nextHop: readIpv4Addr(bytes, at + 12),
      metric: readIpv4Addr(bytes, at + 16),
    });
  }
  return { command: bytes[start], version: bytes[start + 1], entries };
}

/** Parses a whole UDP payload as a RIP message. */
export function parseRip(bytes: Uint8Array): RipMessage {
  return decodeRip(bytes, 0, bytes.length);
}

/**
 * RFC 2453 3.9.1: "exactly one entry in the request, [with] an address family identifier of zero
 * and a metric of infinity" asks for the whole table.
 */
export function isWholeTableRequest(message: RipMessage): boolean {
  return message.command === RIP_REQUEST && message.entries.length === 1 && message.entries[0]!.afi === 0 && message.entries[0]!.metric === RIP_METRIC_INFINITY;
}

/** The whole-table request a router sends when it starts (RFC 2453 3.9.1). */
export function wholeTableRequest(version: number): RipMessage {
  return { command: RIP_REQUEST, version, entries: [{ afi: 0, tag: 0, address: 0, mask: 0, nextHop: 0, metric: RIP_METRIC_INFINITY }] };
}

const COMMANDS: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Poll', 6: 'Poll Entry' };

/**
 * tcpdump's line (print-rip.c): `RIPv2, Response, length: 44, routes: 2`; with `verbose`, one line
 * per entry as `tcpdump -v` prints them (`AFI IPv4, 10.128.4.0/24, tag 0x0000, metric: 1, next-hop: self`).
 */
export function formatRip(message: RipMessage, verbose = false): string {
  const cmd = COMMANDS[message.command] ?? `unknown command (${message.command})`;
  const length = ripBufferLen(message);
  let line = `RIPv${message.version}, ${cmd}, length: ${length}`;
  if (message.command === RIP_RESPONSE) line += `, routes: ${message.entries.length}`;
  if (!verbose) return line;
  const lines = [line];
  for (const e of message.entries) {
    if (e.afi === RIP_AFI_AUTH) {
      lines.push(`  Auth type ${e.tag}`);
      continue;
    }
    if (e.afi === 0 && message.command === RIP_REQUEST) {
      lines.push(`  Request for the whole table, metric: ${e.metric}`);
      continue;
    }
    const afi = e.afi === RIP_AFI_INET ? 'IPv4' : `Unknown (${e.afi})`;
    const len = maskToPrefixLength(e.mask);
    const prefix = message.version >= 2 ? `${ipv4ToString(e.address)}/${len ?? ipv4ToString(e.mask)}` : ipv4ToString(e.address);
    const hop = e.nextHop === 0 ? 'self' : ipv4ToString(e.nextHop);
    lines.push(message.version >= 2 ? `  AFI ${afi}, ${prefix.padStart(18)}, tag 0x${e.tag.toString(16).padStart(4, '0')}, metric: ${e.metric}, next-hop: ${hop}` : `  AFI ${afi}, ${prefix.padStart(15)}, metric: ${e.metric}`);
  }
  return lines.join('\n');
}

// ---- the compact in-flight form ------------------------------------------------------------

/**
 * Interned prefixes: id → network address and prefix length. Every router of one simulated
 * network shares one dictionary, so a response can carry ids and a receiver use them as indexes.
 */
export interface PrefixDictionary {
  /** Network address of each id (masked). Arrays may be replaced as the dictionary grows. */
  readonly addresses: ArrayLike<number>;
  readonly lengths: ArrayLike<number>;
}

/** How a route is packed in `RipPayload.routes`: `(prefixId << 5) | metric` (metric 0–31). */
export const RIP_PACKED_METRIC_BITS = 5;
const METRIC_MASK = (1 << RIP_PACKED_METRIC_BITS) - 1;


/**
 * A RIP message kept as interned ids while it is in flight. Immutable once sent (one payload may
 * go to every router on a LAN). Its entries are `count` packed words `(prefixId << 5) | metric` at
 * `offset` in `buf` (buffers are shared chunks, so a message costs one small object); `nextHops`
 * and `tags` are null when every entry has 0 there (the common case).
 */
export class RipPayload implements EncodablePayload {
  // What the last router to take this payload in learned from it (lib/proto/rip/input.ts, "response
  // memo"), so that the same payload sent again — a periodic update of an unchanged table — is
  // applied without reading its entries again. Not part of the message: never encoded. Fields of
  // the payload rather than an object of their own: every message received is checked against
  // them, and a second object was a second cache miss (8% of a 32×32 grid's run).
  /** The router the memo is of; null: none. */
  memoRouter: object | null = null;
  memoGeneration = -1;
  memoEpoch = -1;
  memoSrc = 0;
  memoIfIndex = -1;
  memoStart = 0;
  memoCount = 0;

  private constructor(
    readonly command: number,
    readonly version: number,
    readonly dict: PrefixDictionary | null,
    /** Packed entries; null for a whole-table request. */
    readonly buf: Int32Array | null,
    readonly offset: number,
    readonly count: number,
    readonly nextHops: Uint32Array | null,
    readonly tags: Uint16Array | null,
  ) {}

  /**
   * A response (or a reply to a request) of `count` entries, at most 25, packed at `offset` in
   * `buf`; `nextHops`/`tags` (index 0 = first entry) or null for all zero. `buf` must not change after.
   */
  static response(version: number, dict: PrefixDictionary, buf: Int32Array, offset: number, count: number, nextHops: Uint32Array | null = null, tags: Uint16Array | null = null): RipPayload {
    if (count > RIP_MAX_ENTRIES) throw new WireError(FORMAT, `${count} entries exceed the ${RIP_MAX_ENTRIES} a 512-byte message holds (RFC 2453 4)`);
    return new RipPayload(RIP_RESPONSE, version, dict, buf, offset, count, nextHops, tags);
  }

  /**
   * `response` for a message that is kept and sent again (lib/proto/rip/output.ts `CachedUpdate`).
   * The same payload, made by another `new`: V8 allocates the objects of an allocation site whose
   * objects tend to survive straight into the old generation (allocation-site pretenuring), and
   * one shared site would send every short-lived message there too, each holding its arena chunk
   * until a full collection (a 32×32 grid's peak RSS doubled).
   */
  static lasting(version: number, dict: PrefixDictionary, buf: Int32Array, offset: number, count: number, nextHops: Uint32Array | null = null, tags: Uint16Array | null = null): RipPayload {
    if (count > RIP_MAX_ENTRIES) throw new WireError(FORMAT, `${count} entries exceed the ${RIP_MAX_ENTRIES} a 512-byte message holds (RFC 2453 4)`);
    return new RipPayload(RIP_RESPONSE, version, dict, buf, offset, count, nextHops, tags);
  }

  /** A request for the whole table (RFC 2453 3.9.1). */
  static wholeTableRequest(version: number): RipPayload {
    return new RipPayload(RIP_REQUEST, version, null, null, 0, 1, null, null);
  }

  get byteLength(): number {
    return RIP_HEADER_LEN + RIP_ENTRY_LEN * this.count;
  }

  prefixId(i: number): number {
    return this.buf![this.offset + i]! >> RIP_PACKED_METRIC_BITS;
  }

  metric(i: number): number {
    return this.buf![this.offset + i]! & METRIC_MASK;
  }

  /** Writes RFC 2453 bytes (RFC 1058 layout for version 1: tag, mask and next hop zero). */
  encodeInto(buf: Uint8Array, offset: number): void {
    needRoom(FORMAT, buf, offset, this.byteLength);
    buf[offset] = this.command;
    buf[offset + 1] = this.version;
    buf[offset + 2] = 0;
    buf[offset + 3] = 0;
    const entries = this.buf;
    if (entries === null) {
      writeEntry(buf, offset + RIP_HEADER_LEN, 0, 0, 0, 0, 0, RIP_METRIC_INFINITY);
      return;
    }
    const dict = this.dict!;
    const v1 = this.version === 1;
    let at = offset + RIP_HEADER_LEN;
    for (let i = 0; i < this.count; i++, at += RIP_ENTRY_LEN) {
      const packed = entries[this.offset + i]!;
      const id = packed >> RIP_PACKED_METRIC_BITS;
      const len = dict.lengths[id]!;
      writeEntry(
        buf,
        at,
        RIP_AFI_INET,
        v1 || this.tags === null ? 0 : this.tags[i]!,
        dict.addresses[id]!,
        v1 ? 0 : PREFIX_MASKS[len]!,
        v1 || this.nextHops === null ? 0 : this.nextHops[i]!,
        packed & METRIC_MASK,
      );
    }
  }

  /** The message as a plain value (for formatting and tests). */
  toMessage(): RipMessage {
    const bytes = new Uint8Array(this.byteLength);
    this.encodeInto(bytes, 0);
    return parseRip(bytes);
  }
}

/** Whether a UDP payload is a compact RIP message. */
export function isRipPayload(payload: unknown): payload is RipPayload {
  return payload instanceof RipPayload;
}
