/**
 * Wire formats: values, codecs (`parseX`, `emitX`, `xBufferLen`, `formatX`), checksums, pcap files
 * and hex dumps. One line per module; a new codec (rip.ts, dns.ts) adds its own line.
 */
export * from './types';
export * from './errors';
export * from './addr';
export * from './checksum';
export * from './ethernet';
export * from './arp';
export * from './ipv4';
export * from './icmp';
export * from './udp';
export * from './pcap';
export * from './hexdump';
export * from './rip';
export * from './dns';
export * from './bfd';
