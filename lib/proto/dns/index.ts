export * from './zone';
export * from './server';
export * from './resolver';
