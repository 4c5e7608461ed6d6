/**
 * A hostile Chroma server for tests: a local node:http server that answers any request with an answer generated
 * from a seed. Some answers are correct for the endpoint (so calls can succeed), the rest are garbage: wrong types,
 * truncated JSON, inconsistent get/query results, wrong-length vectors and bad base64, HTML error pages (also 100 KB
 * of `<`), huge bodies and compression bombs, slow-loris trickles, stalls, resets, malformed HTTP, 1xx/3xx/5xx
 * statuses, and redirects to another origin, where a recorder counts whatever arrives.
 *
 * `hostileCase(seed, request)` is the generator on its own: the same seed and request always give the same case,
 * so it can drive other consumers (the tree model, record views) and a failure replays from its seed.
 *
 * rng.ts: seeded randomness; types.ts: requests and cases; validAnswers.ts: correct answers; garbage.ts: what is
 * wrong with the rest; cases.ts: one case per request; server.ts and recorder.ts: the servers.
 */
export { hostileCase } from './cases';
export { compressionBombs, randomJson } from './garbage';
export { Recorder } from './recorder';
export { mixSeed, Rng } from './rng';
export { HostileServer } from './server';
export type { ServedCase } from './server';
export type { Expect, HostileCase, HostileOptions, HostileRequest } from './types';
export { validAnswer } from './validAnswers';
