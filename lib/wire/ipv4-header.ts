/**
 * The fixed IPv4 header writer, shared by ipv4.ts and by icmp.ts (which rebuilds a packet's
 * header to quote it in an error) so that neither module has to import the other.
 */
import { writeIpv4Addr } from './addr';
import { internetChecksum } from './checksum';
import type { Ipv4Packet } from './types';

/** Header length without options; emitted packets never carry options. */
export const IPV4_HEADER_LEN = 20;

/** Writes the 20-byte header of `packet` for a given total length, checksum included. */
export function writeIpv4Header(packet: Ipv4Packet, totalLength: number, buf: Uint8Array, offset: number): void {
  const flagsFragment =
    (packet.dontFragment ? 0x4000 : 0) | (packet.moreFragments ? 0x2000 : 0) | (packet.fragmentOffset & 0x1fff);
  buf[offset] = 0x45; // version 4, IHL 5 words
  buf[offset + 1] = packet.tos;
  buf[offset + 2] = totalLength >>> 8;
  buf[offset + 3] = totalLength;
  buf[offset + 4] = packet.id >>> 8;
  buf[offset + 5] = packet.id;
  buf[offset + 6] = flagsFragment >>> 8;
  buf[offset + 7] = flagsFragment;
  buf[offset + 8] = packet.ttl;
  buf[offset + 9] = packet.protocol;
  buf[offset + 10] = 0;
  buf[offset + 11] = 0;
  writeIpv4Addr(buf, offset + 12, packet.src);
  writeIpv4Addr(buf, offset + 16, packet.dst);
  const sum = internetChecksum(buf, offset, offset + IPV4_HEADER_LEN);
  buf[offset + 10] = sum >>> 8;
  buf[offset + 11] = sum;
}
