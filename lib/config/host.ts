/** Linux host setup scripts: the interpreter and its tools live in ./host/ (see host/index.ts). */
export * from './host/index';
