export * from './interface';
export * from './segment';
export * from './node';
export * from './network';
export * from './capture';
export * from './service';
export { Ipv4 } from './ipv4';
export { Icmp, IOS_ICMP_RATE_LIMIT, LINUX_ICMP_RATE_LIMIT } from './icmp';
export { UdpSockets } from './udp';
