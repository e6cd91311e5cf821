/**
 * Classic libpcap files (https://wiki.wireshark.org/Development/LibpcapFileFormat): what tcpdump
 * writes and Wireshark reads. Written little-endian with microsecond timestamps, Ethernet link type.
 */
import { WireError } from './errors';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
/** The nanosecond-resolution variant (tcpdump --time-stamp-precision=nano); read, never written. */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const LINKTYPE_ETHERNET = 1;
/** tcpdump's default snapshot length since 4.99 (MAXIMUM_SNAPLEN). */
export const PCAP_DEFAULT_SNAPLEN = 262144;
const GLOBAL_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;
const FORMAT = 'pcap';

/**
 * Collects frames and produces a capture file. Each `add` copies the frame into its own chunk (so
 * callers may reuse their buffers); the file is assembled once, in `toBytes`.
 */
export class PcapWriter {
  readonly snaplen: number;
  private readonly chunks: Uint8Array[] = [];
  private bytes = GLOBAL_HEADER_LEN;

  constructor(snaplen: number = PCAP_DEFAULT_SNAPLEN) {
    if (!Number.isInteger(snaplen) || snaplen <= 0 || snaplen > 0xffffffff) {
      throw new RangeError(`pcap snaplen ${snaplen} is not a positive 32-bit integer`);
    }
    this.snaplen = snaplen;
  }

  /** Records `frame` captured at `timeUs` microseconds (simulated time since the epoch of the capture). */
  add(timeUs: number, frame: Uint8Array): void {
    if (!Number.isSafeInteger(timeUs) || timeUs < 0 || timeUs >= 0x1_0000_0000 * 1e6) {
      throw new RangeError(`pcap timestamp ${timeUs} µs is not a non-negative integer below 2^32 s`);
    }
    const incl = Math.min(frame.length, this.snaplen);
    const chunk = new Uint8Array(RECORD_HEADER_LEN + incl);
    const view = new DataView(chunk.buffer);
    const sec = Math.floor(timeUs / 1e6);
    view.setUint32(0, sec, true);
    view.setUint32(4, timeUs - sec * 1e6, true);
    view.setUint32(8, incl, true);
    view.setUint32(12, frame.length, true);
    chunk.set(frame.subarray(0, incl), RECORD_HEADER_LEN);
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  get packetCount(): number {
    return this.chunks.length;
  }

  /** The whole file: global header, then every record in the order added. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.bytes);
    const view = new DataView(out.buffer);
    view.setUint32(0, PCAP_MAGIC_US, true);
    view.setUint16(4, 2, true); // version 2.4
    view.setUint16(6, 4, true);
    view.setInt32(8, 0, true); // thiszone: timestamps are UTC
    view.setUint32(12, 0, true); // sigfigs
    view.setUint32(16, this.snaplen, true);
    view.setUint32(20, LINKTYPE_ETHERNET, true);
    let at = GLOBAL_HEADER_LEN;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

export interface PcapRecord {
  /** Capture time in microseconds (nanosecond files are truncated to microseconds). */
  timeUs: number;
  /** The captured bytes (a copy), at most snaplen long. */
  data: Uint8Array;
  /** Length of the frame on the wire. */
  origLen: number;
}

export interface PcapFile {
  linkType: number;
  snaplen: number;
  records: PcapRecord[];
}

/** Reads a classic pcap file in either byte order, microsecond or nanosecond resolution. */
export function parsePcap(bytes: Uint8Array): PcapFile {
  if (bytes.length < GLOBAL_HEADER_LEN) {
    throw new WireError(FORMAT, `truncated global header: needs ${GLOBAL_HEADER_LEN} bytes, ${bytes.length} available`, 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let little: boolean;
  let nano: boolean;
  const magicLe = view.getUint32(0, true);
  const magicBe = view.getUint32(0, false);
  if (magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS) {
    little = true;
    nano = magicLe === PCAP_MAGIC_NS;
  } else if (magicBe === PCAP_MAGIC_US || magicBe === PCAP_MAGIC_NS) {
    little = false;
    nano = magicBe === PCAP_MAGIC_NS;
  } else {
    throw new WireError(FORMAT, `magic 0x${magicBe.toString(16).padStart(8, '0')} is not a pcap magic number`, 0);
  }
  const major = view.getUint16(4, little);
  if (major !== 2) throw new WireError(FORMAT, `version ${major}.${view.getUint16(6, little)} is not 2.x`, 4);
  const snaplen = view.getUint32(16, little);
  // The low 16 bits are the link type; the high bits may carry an FCS length (draft-ietf-opsawg-pcap).
  const linkType = view.getUint32(20, little) & 0xffff;
  const records: PcapRecord[] = [];
  let at = GLOBAL_HEADER_LEN;
  while (at < bytes.length) {
    if (at + RECORD_HEADER_LEN > bytes.length) {
      throw new WireError(FORMAT, `truncated record header: needs ${RECORD_HEADER_LEN} bytes, ${bytes.length - at} available`, at);
    }
    const sec = view.getUint32(at, little);
    const frac = view.getUint32(at + 4, little);
    const incl = view.getUint32(at + 8, little);
    const origLen = view.getUint32(at + 12, little);
    if (frac >= (nano ? 1e9 : 1e6)) throw new WireError(FORMAT, `sub-second timestamp ${frac} is out of range`, at + 4);
    if (incl > origLen) throw new WireError(FORMAT, `captured length ${incl} exceeds the original length ${origLen}`, at + 8);
    const dataStart = at + RECORD_HEADER_LEN;
    if (incl > bytes.length - dataStart) {
      throw new WireError(FORMAT, `truncated record: captured length ${incl}, ${bytes.length - dataStart} bytes available`, at + 8);
    }
    records.push({
      timeUs: sec * 1e6 + (nano ? Math.floor(frac / 1000) : frac),
      data: bytes.slice(dataStart, dataStart + incl),
      origLen,
    });
    at = dataStart + incl;
  }
  return { linkType, snaplen, records };
}
