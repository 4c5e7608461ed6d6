/** The Chroma HTTP API v2 client. Pure: never imports `vscode`. */
export * from './auth';
export * from './client';
export * from './errors';
export * from './types';
export { distanceSpace } from './distance';
export { collectionNameMessage, collectionNameProblem, validateCollectionName } from './validate';
export { MAX_RESPONSE_SETTING } from './transport';
export { normalizeBaseUrl } from './baseUrl';
export { DEFAULT_MAX_RESPONSE_BYTES } from './responseBody';
export {
  CLOUD_MAX_DIMENSION,
  CLOUD_MAX_DOCUMENT_BYTES,
  CLOUD_MAX_METADATA_KEYS,
  CLOUD_MAX_RECORDS_PER_REQUEST,
  DEFAULT_MAX_METADATA_KEYS,
  MAX_METADATA_KEYS_SETTING,
  isChromaCloud,
  recordLimitsFor,
} from './limits';
export type { RecordLimits } from './limits';
export type { RequestInfo, ResponseInfo, TransportOptions } from './transport';
export * from './probe';
export { FEATURES, FEATURE_LABELS } from './featureNames';
export {
  capabilityFromAnswer,
  detectCapabilities,
  isNotImplemented,
  parseOpenApi,
  supportedLabels,
} from './capabilities';
export type { Capability, Feature, OpenApiRoutes, ServerCapabilities, Support } from './capabilities';
export { generationLabel, serverGeneration } from './generation';
export type { Generation } from './generation';
export { unsupportedFilterPart } from './filterSupport';
