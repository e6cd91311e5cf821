/** containerlab-style topology files: the reader and its steps live in ./topology/ (see topology/index.ts). */
export * from './topology/index';
