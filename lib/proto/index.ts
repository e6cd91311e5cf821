export * from './fib';
export * from './arp';
export * from './rip';
export * from './dns';
export * from './bfd';
