export * from './render';
export * from './table';
export * from './topology';
export * from './routing';
export * from './lookups';
export * from './failover';
export * from './sweep';
