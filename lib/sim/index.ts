export * from './time';
export * from './rng';
export * from './scheduler';
