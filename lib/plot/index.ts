export * from './render';
export * from './table';
export * from './topology';
