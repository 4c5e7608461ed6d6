/** What the hostile server is asked and what it answers: requests, cases, options, and the JSON helpers. */

export interface HostileRequest {
  method: string;
  /** Path and query below the server root, e.g. `/api/v2/tenants/t/databases/d/collections?limit=10`. */
  path: string;
  /** The parsed JSON request body, when there was one. */
  body?: unknown;
}

/**
 * What a client must make of a case: `ok` (a correct answer: the call must succeed), `error` (the call must fail
 * with a typed error), or `either` (garbage that may happen to be acceptable, e.g. a mutated field that is optional).
 */
export type Expect = 'ok' | 'error' | 'either';

export interface HostileCase {
  /** What kind of garbage this is, for failure messages and statistics. */
  label: string;
  expect: Expect;
  /** The ChromaError code a client must fail with when this is the last answer, where one code is right. */
  expectCode?: 'redirect' | 'unexpected-response' | 'response-too-large' | 'timeout';
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes written straight to the socket instead of an HTTP response (malformed HTTP, 1xx, not HTTP at all). */
  raw?: Buffer;
  /** After `raw` or the headers: keep the connection open and send nothing more. */
  stall?: boolean;
  /** Send the body this many bytes at a time, `everyMs` apart. */
  trickle?: { bytes: number; everyMs: number };
  /** Send only this many bytes of the body, then destroy the socket. */
  cutAfter?: number;
  /** A path on the recorder origin to redirect to (the Location is made from it). */
  redirectPath?: string;
}

export interface HostileOptions {
  /** The client's response cap: huge bodies are made just over it, valid large ones under it. */
  maxBodyBytes: number;
  /** A secret the client sends, which error bodies sometimes echo back (it must never reach a message). */
  secret?: string;
}

export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value) ?? 'null');
export const JSON_TYPE = { 'content-type': 'application/json' };
export const HTML_TYPE = { 'content-type': 'text/html' };
