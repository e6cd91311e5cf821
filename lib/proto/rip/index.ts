export * from './params';
export * from './prefixes';
export * from './table';
export * from './router';
