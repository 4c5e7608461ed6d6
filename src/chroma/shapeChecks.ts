/**
 * The checks the answer shapes are made of. Each takes a value of a parsed JSON body and returns it typed, or throws
 * ShapeMismatch saying what was expected where. Where one runs per record (metadata, documents, distances), a cheap
 * test that builds nothing comes first, and the path in the message is only built for a value that fails: on a
 * 100-record answer, building `metadatas[57].source` for every value cost more than all the tests. No `vscode` here.
 */
import type { Metadata } from './types';

/** A body that is not what the endpoint answers. `message` is "expected …, got …", prefixed with where. */
export class ShapeMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeMismatch';
  }
}

export type Shape<T> = (value: unknown) => T;

export type Obj = Record<string, unknown>;

function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'object':
      return 'an object';
    case 'number':
      return Number.isFinite(value) ? 'a number' : String(value);
    default:
      return `a ${typeof value}`;
  }
}

export function mismatch(at: string, expected: string, value: unknown): never {
  throw new ShapeMismatch(`${at ? `${at}: ` : ''}expected ${expected}, got ${kindOf(value)}`);
}

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown, at: string, what = 'an object'): Obj {
  return isObj(value) ? value : mismatch(at, what, value);
}

export function str(value: unknown, at: string): string {
  return typeof value === 'string' ? value : mismatch(at, 'a string', value);
}

function nonEmptyStr(value: unknown, at: string): string {
  return typeof value === 'string' && value.length > 0 ? value : mismatch(at, 'a non-empty string', value);
}

/** Longest tenant, database or collection name (or collection id) taken: Chroma's own names stop at 512. */
const MAX_NAME_CHARS = 1024;

/** A name that goes back into request paths: non-empty and of a sane length. */
export function name(value: unknown, at: string): string {
  if (typeof value === 'string' && value.length > MAX_NAME_CHARS) {
    throw new ShapeMismatch(`${at}: expected a name of at most ${MAX_NAME_CHARS} characters, got ${value.length}`);
  }
  return nonEmptyStr(value, at);
}

export function names(value: unknown, at: string): string[] {
  const list = arr(value, at, 'an array of strings');
  list.forEach((v, i) => name(v, `${at}[${i}]`));
  return list as string[];
}

export function int(value: unknown, at: string, min = 0): number {
  return Number.isSafeInteger(value) && (value as number) >= min
    ? (value as number)
    : mismatch(at, min > 0 ? `a whole number ≥ ${min}` : 'a whole number ≥ 0', value);
}

export function arr(value: unknown, at: string, what = 'an array'): unknown[] {
  return Array.isArray(value) ? value : mismatch(at, what, value);
}

export function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/** null or absent → null; otherwise checked. */
export function nullable<T>(value: unknown, check: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : check(value);
}

export function strings(value: unknown, at: string): string[] {
  const list = arr(value, at, 'an array of strings');
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') {
      mismatch(`${at}[${i}]`, 'a string', list[i]);
    }
  }
  return list as string[];
}

export function uniqueIds(value: unknown, at: string): string[] {
  const ids = strings(value, at);
  const empty = ids.indexOf('');
  if (empty !== -1) {
    throw new ShapeMismatch(`${at}[${empty}]: expected a non-empty id, got an empty string`);
  }
  if (new Set(ids).size !== ids.length) {
    throw new ShapeMismatch(`${at}: expected unique ids, got a repeated one`);
  }
  return ids;
}

function scalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value));
}

/** Whether every item is a finite number. */
export function finiteNumbers(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return false;
    }
  }
  return true;
}

export function numbers(value: unknown, at: string): number[] {
  const list = arr(value, at, 'an array of numbers');
  if (!finiteNumbers(list)) {
    const i = list.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    mismatch(`${at}[${i}]`, 'a finite number', list[i]);
  }
  return list as number[];
}

/** The test of metadataValue, building nothing. */
function isMetadataValue(value: unknown): boolean {
  if (value === null || scalar(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.every(scalar);
  }
  return isObj(value) && Array.isArray(value.indices) && Array.isArray(value.values) && finiteNumbers(value.indices) && finiteNumbers(value.values);
}

/**
 * One metadata value as servers send it: a string, number, boolean or null; newer servers (1.2+) also send arrays of
 * those and sparse vectors (`{indices, values}`), which are passed on as they are.
 */
function metadataValue(value: unknown, at: string): void {
  if (value === null || scalar(value)) {
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!scalar(value[i])) {
        mismatch(`${at}[${i}]`, 'a string, number or boolean', value[i]);
      }
    }
    return;
  }
  if (isObj(value) && Array.isArray(value.indices) && Array.isArray(value.values)) {
    numbers(value.indices, `${at}.indices`);
    numbers(value.values, `${at}.values`);
    return;
  }
  mismatch(at, 'a string, number, boolean or null', value);
}

/** Whether a value is a metadata object (the test of `metadata`, building nothing). */
export function isMetadata(value: unknown): boolean {
  if (!isObj(value)) {
    return false;
  }
  for (const key in value) {
    if (!isMetadataValue(value[key])) {
      return false;
    }
  }
  return true;
}

export function metadata(value: unknown, at: string): Metadata {
  if (isMetadata(value)) {
    return value as Metadata;
  }
  const o = obj(value, at, 'an object of key/value pairs');
  for (const key of Object.keys(o)) {
    metadataValue(o[key], `${at}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`);
  }
  return o as Metadata;
}

/**
 * null/absent → null; else an array with one entry per id, each checked. The array itself is returned when `ok` takes
 * every item (nothing is copied); from the first item it does not take, `item` checks (it says where and why, or
 * returns the item as it should be).
 */
export function perRecord<T>(value: unknown, at: string, count: number, ok: (v: unknown) => boolean, item: (v: unknown, at: string) => T): T[] | null {
  if (value === undefined || value === null) {
    return null;
  }
  const list = arr(value, at);
  if (list.length !== count) {
    throw new ShapeMismatch(`${at}: expected ${count} entries (one per id), got ${list.length}`);
  }
  for (let i = 0; i < list.length; i++) {
    if (!ok(list[i])) {
      const out = list.slice() as T[];
      for (let j = i; j < list.length; j++) {
        out[j] = item(list[j], `${at}[${j}]`);
      }
      return out;
    }
  }
  return list as T[];
}
