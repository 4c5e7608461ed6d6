/**
 * What the agent tools take from other features, in one place: the filter checks and the JSON-schema checker
 * (src/filter/core), a hit's source link and its freshness, the query types the Results view shows, the record-view
 * helpers and the ingest run. When those modules move, only this file changes. No `vscode` here.
 */
export { checkFilter, formatPath } from '../../filter/core/check';
export { explainFilterError } from '../../filter/core/explain';
export type { Filter } from '../../filter/core/filter';
export { SchemaChecker } from '../../filter/core/schemaCheck';
export type { SchemaProblem } from '../../filter/core/schemaCheck';
export { describeLink, sourceLinkOf } from '../../query/core/sourceLink';
export type { Freshness, SourceLink } from '../../query/core/sourceLink';
export type { HitStatus } from '../../query/core/resultsModel';
export type { QueryHit, QueryRun, QuerySpec } from '../../query/core/spec';
export { CollectionCache } from '../../query/core/collectionCache';
export { looksStale } from '../../query/core/run';
export { embeddingFunctionLabel, schemaEntries, summarizeEmbedding } from '../../explorer/core/recordView';
export { ingestDocuments } from '../../ingest/core/run';
export type { IngestDocument, RunResult as IngestResult } from '../../ingest/core/run';
