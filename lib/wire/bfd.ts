/**
 * BFD control packets (RFC 5880 §4.1, the mandatory section only: no authentication), carried in UDP
 * to port 3784 for single-hop sessions (RFC 5881 §4).
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       My Discriminator                        |
 * |                      Your Discriminator                       |
 * |                    Desired Min TX Interval                    |   intervals in microseconds
 * |                   Required Min RX Interval                    |
 * |                 Required Min Echo RX Interval                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 *
 * `parseBfdControl` checks only what makes bytes a packet (room for the 24 bytes, a Length that
 * fits); the §6.8.6 reception rules (version 1, detect mult not 0, …) are the session's
 * (lib/proto/bfd/session.ts), so a capture can still show a packet a session would discard.
 */
import { need, needRoom, WireError } from './errors';
import type { EncodablePayload } from './types';

/** RFC 5881 §4: single-hop control packets go to UDP port 3784. */
export const BFD_CONTROL_PORT = 3784;
/** RFC 5881 §4: the source port is in 49152–65535. */
export const BFD_SOURCE_PORT_MIN = 49152;
/** RFC 5881 §5: single-hop packets are sent with TTL 255, and one received with less is discarded. */
export const BFD_TTL = 255;
/** RFC 5880 §4.1: 24 bytes without authentication. */
export const BFD_CONTROL_LEN = 24;

/** RFC 5880 §4.1 "Sta". */
export const BFD_ADMIN_DOWN = 0;
export const BFD_DOWN = 1;
export const BFD_INIT = 2;
export const BFD_UP = 3;
export type BfdState = typeof BFD_ADMIN_DOWN | typeof BFD_DOWN | typeof BFD_INIT | typeof BFD_UP;

/** RFC 5880 §4.1 "Diag" values the session sets. */
export const BFD_DIAG_NONE = 0;
export const BFD_DIAG_DETECT_EXPIRED = 1;
export const BFD_DIAG_NEIGHBOR_DOWN = 3;
export const BFD_DIAG_ADMIN_DOWN = 7;

const FORMAT = 'bfd';

/** One control packet, every field as on the wire (intervals in microseconds, as RFC 5880 carries them). */
export interface BfdControl {
  version: number;
  diag: number;
  state: BfdState;
  poll: boolean;
  final: boolean;
  controlPlaneIndependent: boolean;
  authPresent: boolean;
  demand: boolean;
  multipoint: boolean;
  detectMult: number;
  /** The Length field: 24 without authentication. */
  length: number;
  myDiscriminator: number;
  yourDiscriminator: number;
  desiredMinTxUs: number;
  requiredMinRxUs: number;
  requiredMinEchoRxUs: number;
}

export function emitBfdControl(p: BfdControl, buf: Uint8Array = new Uint8Array(BFD_CONTROL_LEN), offset = 0): Uint8Array {
  needRoom(FORMAT, buf, offset, BFD_CONTROL_LEN);
  if (p.version > 7 || p.diag > 31 || p.detectMult > 255 || p.length > 255) throw new WireError(FORMAT, 'a field does not fit its bits (version 3, diag 5, detect mult and length 8)');
  const v = new DataView(buf.buffer, buf.byteOffset + offset, BFD_CONTROL_LEN);
  v.setUint8(0, (p.version << 5) | p.diag);
  const flags = (p.poll ? 0x20 : 0) | (p.final ? 0x10 : 0) | (p.controlPlaneIndependent ? 0x08 : 0) | (p.authPresent ? 0x04 : 0) | (p.demand ? 0x02 : 0) | (p.multipoint ? 0x01 : 0);
  v.setUint8(1, (p.state << 6) | flags);
  v.setUint8(2, p.detectMult);
  v.setUint8(3, p.length);
  v.setUint32(4, p.myDiscriminator >>> 0);
  v.setUint32(8, p.yourDiscriminator >>> 0);
  v.setUint32(12, p.desiredMinTxUs >>> 0);
  v.setUint32(16, p.requiredMinRxUs >>> 0);
  v.setUint32(20, p.requiredMinEchoRxUs >>> 0);
  return buf.subarray(offset, offset + BFD_CONTROL_LEN);
}

/** Reads a control packet; throws `WireError` on bytes that are not one. */
export function parseBfdControl(buf: Uint8Array, offset = 0, end = buf.length): BfdControl {
  need(FORMAT, 'control packet', offset, BFD_CONTROL_LEN, end);
  const v = new DataView(buf.buffer, buf.byteOffset + offset, BFD_CONTROL_LEN);
  const b0 = v.getUint8(0);
  const b1 = v.getUint8(1);
  const length = v.getUint8(3);
  // RFC 5880 §6.8.6: "If the Length field is greater than the payload of the encapsulating protocol, the packet MUST be discarded."
  if (length > end - offset) throw new WireError(FORMAT, `Length ${length} exceeds the ${end - offset} bytes of the datagram`, offset + 3);
  return {
    version: b0 >> 5,
    diag: b0 & 0x1f,
    state: (b1 >> 6) as BfdState,
    poll: (b1 & 0x20) !== 0,
    final: (b1 & 0x10) !== 0,
    controlPlaneIndependent: (b1 & 0x08) !== 0,
    authPresent: (b1 & 0x04) !== 0,
    demand: (b1 & 0x02) !== 0,
    multipoint: (b1 & 0x01) !== 0,
    detectMult: v.getUint8(2),
    length,
    myDiscriminator: v.getUint32(4),
    yourDiscriminator: v.getUint32(8),
    desiredMinTxUs: v.getUint32(12),
    requiredMinRxUs: v.getUint32(16),
    requiredMinEchoRxUs: v.getUint32(20),
  };
}

const STATE_NAMES = ['AdminDown', 'Down', 'Init', 'Up'] as const;

/** tcpdump-style one line: `BFDv1 Up, Flags [P], my 1 your 2, tx 300ms rx 300ms mult 3`. */
export function formatBfdControl(p: BfdControl): string {
  const flags = [p.poll ? 'P' : '', p.final ? 'F' : '', p.demand ? 'D' : '', p.authPresent ? 'A' : ''].filter((f) => f !== '').join('');
  return `BFDv${p.version} ${STATE_NAMES[p.state]}, diag ${p.diag}, Flags [${flags || 'none'}], mult ${p.detectMult}, my ${p.myDiscriminator} your ${p.yourDiscriminator}, tx ${p.desiredMinTxUs / 1000}ms rx ${p.requiredMinRxUs / 1000}ms`;
}

/** A control packet as the simulator moves it: the value, written as RFC 5880 bytes when a capture asks. */
export class BfdPayload implements EncodablePayload {
  readonly byteLength = BFD_CONTROL_LEN;
  constructor(readonly packet: BfdControl) {}
  encodeInto(buf: Uint8Array, offset: number): void {
    emitBfdControl(this.packet, buf, offset);
  }
}
