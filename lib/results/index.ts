/** Plain rows and what is read from them: the layer figures (lib/plot) and the real lab (lib/real) build on. */
export * from './probes';
export * from './rows';
export * from './outcome';
export * from './stats';
