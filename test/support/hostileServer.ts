/** The hostile Chroma server of the fuzz tests: split by what it serves under ./hostile/ (see its index). */
export * from './hostile';
