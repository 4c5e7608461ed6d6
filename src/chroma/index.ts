/** The Chroma HTTP API v2 client. Pure: never imports `vscode`. */
export * from './auth';
export * from './client';
export * from './errors';
export * from './types';
export { collectionNameMessage, collectionNameProblem, validateCollectionName } from './validate';
export { normalizeBaseUrl } from './transport';
export type { RequestInfo, ResponseInfo, TransportOptions } from './transport';
export * from './probe';
