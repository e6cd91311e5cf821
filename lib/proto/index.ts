export * from './fib';
export * from './arp';
