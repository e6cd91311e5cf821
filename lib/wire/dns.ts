/**
 * DNS messages (RFC 1035 section 4), through the `dns-packet` library, in the project's codec shape:
 * `parseDns`, `emitDns`, `dnsBufferLen`, `formatDns`. The header is kept as explicit fields (so an
 * rcode or the RA bit is a value, not a mask to remember); records are dns-packet's own `Answer`
 * values, so every type it knows (A, NS, SOA, PTR, OPT, …) round-trips through real wire format.
 *
 * dns-packet throws plain Errors and RangeErrors on bad input (a truncated header, a label running
 * off the end, a compression loop); `parseDns` turns every one of them into a `WireError`.
 */
import * as dnsPacket from 'dns-packet';
import type { Answer, Question, RecordType } from 'dns-packet';
import { need, needRoom, WireError } from './errors';
import type { EncodablePayload } from './types';

const FORMAT = 'dns';

export const DNS_PORT = 53;
export const DNS_HEADER_LEN = 12;

/** RFC 1035 4.1.1 / RFC 6895 rcodes the labs meet. */
export const DnsRcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

/** `5` → `REFUSED` (BIND's rcode_totext names); unknown codes as `RESERVED<n>`. */
export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RESERVED${rcode}`;
}

export type DnsRecord = Answer;
export type DnsQuestion = Question;

/** A DNS message. Flags as booleans; `opcode` and `rcode` as numbers (0 = QUERY, 0 = NOERROR). */
export interface DnsMessage {
  id: number;
  /** QR: this is a response. */
  response: boolean;
  opcode: number;
  /** AA: authoritative answer. */
  aa: boolean;
  /** TC: truncated. */
  tc: boolean;
  /** RD: recursion desired. */
  rd: boolean;
  /** RA: recursion available. */
  ra: boolean;
  /** The Z bit (must be zero in queries, RFC 1035; kept so odd input round-trips). */
  z: boolean;
  ad: boolean;
  cd: boolean;
  /** The 4-bit header rcode (EDNS extended rcodes are not combined here). */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

/** A query as stub resolvers send it: RD set, one question, class IN. */
export function dnsQuery(id: number, name: string, type: RecordType, options: { rd?: boolean } = {}): DnsMessage {
  return {
    id: id & 0xffff,
    response: false,
    opcode: 0,
    aa: false,
    tc: false,
    rd: options.rd ?? true,
    ra: false,
    z: false,
    ad: false,
    cd: false,
    rcode: 0,
    questions: [{ name, type, class: 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
  };
}

function flagsOf(m: DnsMessage): number {
  return (
    ((m.opcode & 0xf) << 11) |
    (m.aa ? 1 << 10 : 0) |
    (m.tc ? 1 << 9 : 0) |
    (m.rd ? 1 << 8 : 0) |
    (m.ra ? 1 << 7 : 0) |
    (m.z ? 1 << 6 : 0) |
    (m.ad ? 1 << 5 : 0) |
    (m.cd ? 1 << 4 : 0) |
    (m.rcode & 0xf)
  );
}

function toPacket(m: DnsMessage): dnsPacket.Packet {
  return {
    type: m.response ? 'response' : 'query',
    id: m.id & 0xffff,
    flags: flagsOf(m),
    questions: m.questions,
    answers: m.answers,
    authorities: m.authorities,
    additionals: m.additionals,
  };
}

/** Encoded length in bytes. */
export function dnsBufferLen(m: DnsMessage): number {
  try {
    return dnsPacket.encodingLength(toPacket(m));
  } catch (e) {
    throw new WireError(FORMAT, `cannot encode: ${(e as Error).message}`);
  }
}

/** Encodes `m`; into `buf` at `offset` when given (returns the view written), else a new array. */
export function emitDns(m: DnsMessage, buf?: Uint8Array, offset = 0): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = dnsPacket.encode(toPacket(m));
  } catch (e) {
    throw new WireError(FORMAT, `cannot encode: ${(e as Error).message}`);
  }
  if (bytes.length > 0xffff) throw new WireError(FORMAT, `message of ${bytes.length} bytes is too long`);
  if (buf === undefined) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length).slice();
  needRoom(FORMAT, buf, offset, bytes.length);
  buf.set(bytes, offset);
  return buf.subarray(offset, offset + bytes.length);
}

/** The header alone: what a server can still read from a message whose body does not parse. */
export interface DnsHeader {
  id: number;
  response: boolean;
  opcode: number;
  rd: boolean;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export function parseDnsHeader(bytes: Uint8Array): DnsHeader {
  need(FORMAT, 'header', 0, DNS_HEADER_LEN, bytes.length);
  const flags = (bytes[2]! << 8) | bytes[3]!;
  return {
    id: (bytes[0]! << 8) | bytes[1]!,
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    rd: (flags & 0x100) !== 0,
    qdcount: (bytes[4]! << 8) | bytes[5]!,
    ancount: (bytes[6]! << 8) | bytes[7]!,
    nscount: (bytes[8]! << 8) | bytes[9]!,
    arcount: (bytes[10]! << 8) | bytes[11]!,
  };
}

/**
 * Decodes a whole message. Any malformation (truncation, bad label, pointer loop, section counts
 * larger than the data) is a `WireError`; trailing bytes after the last record are an error too,
 * as BIND treats them (dns_message_parse: DNS_R_FORMERR on extra data).
 */
export function parseDns(bytes: Uint8Array): DnsMessage {
  const header = parseDnsHeader(bytes);
  // A count of records each needing ≥ 5 bytes (question) or ≥ 11 bytes (RR) that cannot fit is
  // rejected before dns-packet allocates arrays of that length.
  const minimum = DNS_HEADER_LEN + header.qdcount * 5 + (header.ancount + header.nscount + header.arcount) * 11;
  if (minimum > bytes.length) throw new WireError(FORMAT, `section counts need at least ${minimum} bytes, message has ${bytes.length}`, 4);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let decoded: dnsPacket.DecodedPacket;
  try {
    decoded = dnsPacket.decode(buf);
  } catch (e) {
    throw new WireError(FORMAT, `malformed message: ${(e as Error).message}`);
  }
  const used = dnsPacket.decode.bytes;
  if (used > bytes.length) throw new WireError(FORMAT, `record data runs past the end (${used} > ${bytes.length})`);
  if (used !== bytes.length) throw new WireError(FORMAT, `${bytes.length - used} bytes after the last record`, used);
  for (const section of [decoded.questions, decoded.answers, decoded.authorities, decoded.additionals]) {
    for (const r of section ?? []) {
      if (r === undefined || r === null) throw new WireError(FORMAT, 'section shorter than its count');
    }
  }
  const flags = (bytes[2]! << 8) | bytes[3]!;
  return {
    id: header.id,
    response: header.response,
    opcode: header.opcode,
    aa: (flags & 0x400) !== 0,
    tc: (flags & 0x200) !== 0,
    rd: header.rd,
    ra: (flags & 0x80) !== 0,
    z: (flags & 0x40) !== 0,
    ad: (flags & 0x20) !== 0,
    cd: (flags & 0x10) !== 0,
    rcode: flags & 0xf,
    questions: (decoded.questions ?? []).map((q) => ({ name: q.name, type: q.type, class: q.class })),
    answers: decoded.answers ?? [],
    authorities: decoded.authorities ?? [],
    additionals: decoded.additionals ?? [],
  };
}

/** Parses, or returns the WireError: for callers that treat bad bytes as data (servers, captures). */
export function tryParseDns(bytes: Uint8Array): DnsMessage | WireError {
  try {
    return parseDns(bytes);
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
}

/** A record's data as text, the way dig prints it (`10.128.3.1`, `xenial1.home.`). */
export function formatRdata(r: DnsRecord): string {
  const dot = (n: string) => (n.endsWith('.') ? n : `${n}.`);
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return String(r.data);
    case 'NS':
    case 'PTR':
    case 'CNAME':
      return dot(String(r.data));
    case 'SOA': {
      const d = r.data;
      return `${dot(d.mname)} ${dot(d.rname)} ${d.serial ?? 0} ${d.refresh ?? 0} ${d.retry ?? 0} ${d.expire ?? 0} ${d.minimum ?? 0}`;
    }
    case 'MX':
      return `${r.data.preference ?? 0} ${dot(r.data.exchange)}`;
    default:
      return '';
  }
}

/**
 * The Info column Wireshark shows for a DNS message. `style: 'writeup'` is the Wireshark 1.x of the
 * write-up (§3.3–3.4): `Standard query A r1.home`, `Standard query response A 10.128.3.1`;
 * `'tshark'` is current Wireshark (4.x): `Standard query 0x003e A r1.home`,
 * `Standard query response 0x003e A r1.home A 10.128.3.1`, and `… refused …` for REFUSED.
 */
export function formatDns(m: DnsMessage, style: 'writeup' | 'tshark' = 'tshark'): string {
  const kind = m.opcode === 0 ? 'Standard query' : `Opcode ${m.opcode}`;
  const q = m.questions.map((x) => `${x.type} ${x.name === '' ? '<Root>' : x.name}`).join(' ');
  const answers = m.answers.map((a) => `${a.type} ${formatRdata(a).replace(/\.$/, '')}`).join(' ');
  if (style === 'writeup') {
    if (!m.response) return `${kind} ${q}`;
    const err = m.rcode === 0 ? '' : ` ${rcodeText(m.rcode)}`;
    return `${kind} response${err}${answers === '' ? '' : ' ' + answers}`;
  }
  const id = '0x' + m.id.toString(16).padStart(4, '0');
  if (!m.response) return `${kind} ${id} ${q}`;
  // epan/dissectors/packet-dns.c: the rcode text ("No such name", "Refused") follows the ID.
  const err = m.rcode === 0 ? '' : ` ${rcodeText(m.rcode)}`;
  return `${kind} response ${id}${err} ${q}${answers === '' ? '' : ' ' + answers}`;
}

/** Wireshark's rcode words (packet-dns.c rcode_vals). */
export function rcodeText(rcode: number): string {
  return ['No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused'][rcode] ?? `Unknown error (${rcode})`;
}

/**
 * A DNS message as a UDP payload kept as bytes: it is encoded once, when sent, so what travels is
 * real wire format and a receiver parses exactly what a capture shows.
 */
export class DnsPayload implements EncodablePayload {
  readonly bytes: Uint8Array;
  constructor(message: DnsMessage) {
    this.bytes = emitDns(message);
  }
  get byteLength(): number {
    return this.bytes.length;
  }
  encodeInto(buf: Uint8Array, offset: number): void {
    needRoom(FORMAT, buf, offset, this.bytes.length);
    buf.set(this.bytes, offset);
  }
}

/** The bytes of a UDP payload, whatever form it travels in. */
export function payloadBytes(payload: Uint8Array | EncodablePayload): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  if (payload instanceof DnsPayload) return payload.bytes;
  const out = new Uint8Array(payload.byteLength);
  payload.encodeInto(out, 0);
  return out;
}
