/**
 * In-memory representations of the frames and packets the simulator moves around. Inside the
 * simulation packets travel as these plain values (fast); they become bytes only where bytes are
 * observable: a pcap tap, a hex dump, a checksum. Every representation here has a codec in this
 * folder with `parseX(bytes)`, `emitX(value)`, `xBufferLen(value)` and a tcpdump-style `formatX`.
 *
 * Addresses are numbers: an IPv4 address is an unsigned 32-bit integer, a MAC address an unsigned
 * 48-bit integer (exact in a double). See addr.ts for conversions.
 */
export type Ipv4Addr = number;
export type MacAddr = number;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export const IPPROTO_ICMP = 1;
export const IPPROTO_UDP = 17;

export interface EthernetFrame {
  dst: MacAddr;
  src: MacAddr;
  etherType: number;
  payload: ArpPacket | Ipv4Packet | Uint8Array;
}

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

/** ARP for Ethernet and IPv4 only (htype 1, ptype 0x0800), as on every link in these labs. */
export interface ArpPacket {
  op: number;
  senderMac: MacAddr;
  senderIp: Ipv4Addr;
  targetMac: MacAddr;
  targetIp: Ipv4Addr;
}

export interface Ipv4Packet {
  /** DSCP + ECN byte. */
  tos: number;
  /** The identification field. */
  id: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** Fragment offset in 8-byte units. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  payload: IcmpMessage | UdpDatagram | Uint8Array;
}

/** ICMP messages the labs produce and consume; anything else parses as `other`. */
export type IcmpMessage =
  | { kind: 'echo-request'; id: number; seq: number; data: Uint8Array }
  | { kind: 'echo-reply'; id: number; seq: number; data: Uint8Array }
  /** Type 3. `invoking`: the IP header and first 8 payload bytes of the packet that caused it (RFC 792). */
  | { kind: 'dest-unreachable'; code: number; nextHopMtu: number; invoking: Uint8Array }
  /** Type 11; code 0 = TTL exceeded in transit. */
  | { kind: 'time-exceeded'; code: number; invoking: Uint8Array }
  | { kind: 'other'; type: number; code: number; rest: Uint8Array };

export const ICMP_UNREACH_NET = 0;
export const ICMP_UNREACH_HOST = 1;
export const ICMP_UNREACH_PROTOCOL = 2;
export const ICMP_UNREACH_PORT = 3;

/**
 * A UDP payload that knows how to write itself (e.g. a RIP message kept as a value while it is in
 * flight). Raw payloads are plain bytes.
 */
export interface EncodablePayload {
  /** Encoded length in bytes. */
  readonly byteLength: number;
  /** Writes the encoded payload into `buf` at `offset`. */
  encodeInto(buf: Uint8Array, offset: number): void;
}

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array | EncodablePayload;
}
