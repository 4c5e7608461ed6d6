/**
 * What the schema checker (schemaCheck.ts) knows of JSON Schema: the keywords it applies and those that only
 * describe, JSON's types, and the messages it falls back on. No `vscode` here.
 */

export type SchemaPath = ReadonlyArray<string | number>;

export interface SchemaProblem {
  path: SchemaPath;
  message: string;
  /** The value found there. */
  value: unknown;
  /** Whether the message is about the value's type or range (worth quoting the value), not the structure. */
  aboutValue: boolean;
  /** The message is the checker's own fallback: no `errorMessage` applied. */
  generic: boolean;
}

export type Schema = boolean | { readonly [keyword: string]: unknown };

/** Keywords that only describe (for hovers, completions, messages) and never fail. */
export const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'markdownDescription',
  'errorMessage',
  'default',
  'examples',
  'defaultSnippets',
  'definitions',
]);

export const CHECKED = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'items',
  'additionalItems',
  'minProperties',
  'maxProperties',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
]);

/** JSON types as JSON Schema names them; numbers that JSON cannot carry (NaN, ±Infinity) are no type. */
export function typeOf(v: unknown): string | undefined {
  if (v === null) {
    return 'null';
  }
  if (Array.isArray(v)) {
    return 'array';
  }
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'object':
      return typeof v;
    case 'number':
      return Number.isFinite(v) ? 'number' : undefined;
    default:
      return undefined;
  }
}

export function hasType(v: unknown, type: string): boolean {
  const t = typeOf(v);
  if (type === 'integer') {
    return t === 'number' && Number.isInteger(v);
  }
  return t === type;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export const DEFAULT_MESSAGES: Record<string, string> = {
  type: 'has the wrong type',
  const: 'is not the expected value',
  enum: 'is not one of the allowed values',
  minimum: 'is too small',
  maximum: 'is too large',
  exclusiveMinimum: 'is too small',
  exclusiveMaximum: 'is too large',
  minLength: 'is too short',
  maxLength: 'is too long',
  minItems: 'has too few values',
  maxItems: 'has too many values',
  minProperties: 'has too few keys',
  maxProperties: 'has too many keys',
  required: 'lacks a required key',
  anyOf: 'matches none of the allowed forms',
  oneOf: 'does not match exactly one of the allowed forms',
  not: 'is not allowed here',
  false: 'is not allowed here',
};

export const VALUE_KEYWORDS = new Set(['type', 'const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'anyOf', 'oneOf']);

