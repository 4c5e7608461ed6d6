/**
 * A small JSON Schema (draft-07) checker for the keywords our own schemas use, reporting the first problem as a
 * path and a human message: the failing schema's `errorMessage` (a keyword VS Code also shows), or the nearest one
 * above it at the same place. A general validator (ajv) would generate code at runtime, weigh more than the rest
 * of the query feature, and still need its errors rewritten. Keywords outside the supported set are refused when
 * the checker is built, so a schema edit cannot silently stop being checked. No `vscode` here.
 */

import { ANNOTATIONS, CHECKED, DEFAULT_MESSAGES, deepEqual, hasType, isObject, typeOf, VALUE_KEYWORDS } from './schemaKeywords';
import type { Schema, SchemaPath, SchemaProblem } from './schemaKeywords';

export type { SchemaPath, SchemaProblem };

export class SchemaChecker {
  private readonly root: Schema;

  constructor(root: unknown) {
    if (!isObject(root) && typeof root !== 'boolean') {
      throw new Error('A JSON schema must be an object or a boolean.');
    }
    this.root = root;
    this.audit(root, '#');
  }

  private readonly regexes = new Map<string, RegExp>();
  private readonly patterns = new WeakMap<object, ReadonlyArray<readonly [RegExp, Schema]>>();

  private patternsOf(s: Record<string, unknown>): ReadonlyArray<readonly [RegExp, Schema]> {
    let found = this.patterns.get(s);
    if (!found) {
      found = isObject(s.patternProperties) ? Object.entries(s.patternProperties as Record<string, Schema>).map(([p, sub]) => [this.regex(p), sub] as const) : [];
      this.patterns.set(s, found);
    }
    return found;
  }

  private regex(pattern: string): RegExp {
    let re = this.regexes.get(pattern);
    if (!re) {
      re = new RegExp(pattern, 'u');
      this.regexes.set(pattern, re);
    }
    return re;
  }

  /** The first problem of `value` against the schema at `pointer` (`#/definitions/where`), or undefined. */
  check(value: unknown, pointer = '#', path: SchemaPath = []): SchemaProblem | undefined {
    return this.run(this.resolve(pointer), value, [...path], undefined);
  }

  private readonly resolved = new Map<string, Schema>();

  private resolve(pointer: string): Schema {
    let found = this.resolved.get(pointer);
    if (found === undefined) {
      found = this.lookUp(pointer);
      this.resolved.set(pointer, found);
    }
    return found;
  }

  private lookUp(pointer: string): Schema {
    if (!pointer.startsWith('#')) {
      throw new Error(`Only local $refs are supported, not ${pointer}.`);
    }
    let node: unknown = this.root;
    for (const raw of pointer.slice(1).split('/').slice(1)) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) ? node[part] : undefined;
    }
    if (!isObject(node) && typeof node !== 'boolean') {
      throw new Error(`The schema has nothing at ${pointer}.`);
    }
    return node;
  }

  /** Refuses keywords this checker does not apply, and $refs that lead nowhere, in the whole schema. */
  private audit(schema: unknown, at: string): void {
    if (typeof schema === 'boolean') {
      return;
    }
    if (!isObject(schema)) {
      throw new Error(`${at}: a schema must be an object or a boolean.`);
    }
    for (const [k, v] of Object.entries(schema)) {
      if (ANNOTATIONS.has(k) && k !== 'definitions') {
        continue;
      }
      if (!CHECKED.has(k) && k !== 'definitions') {
        throw new Error(`${at}: the schema checker does not support the keyword "${k}".`);
      }
      if (k === '$ref') {
        this.resolve(String(v));
      } else if (k === 'definitions' || k === 'properties' || k === 'patternProperties') {
        for (const [name, sub] of Object.entries(v as Record<string, unknown>)) {
          if (k === 'patternProperties') {
            this.regex(name);
          }
          this.audit(sub, `${at}/${k}/${name}`);
        }
      } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf' || (k === 'items' && Array.isArray(v))) {
        (v as unknown[]).forEach((sub, i) => this.audit(sub, `${at}/${k}/${i}`));
      } else if (k === 'items' || k === 'additionalItems' || k === 'additionalProperties' || k === 'not') {
        this.audit(v, `${at}/${k}`);
      }
    }
  }

  private run(schema: Schema, value: unknown, path: (string | number)[], inherited: string | undefined): SchemaProblem | undefined {
    if (schema === true) {
      return undefined;
    }
    const own = schema === false ? undefined : typeof schema.errorMessage === 'string' ? schema.errorMessage : undefined;
    const message = own ?? inherited;
    const fail = (keyword: string): SchemaProblem => ({
      path: [...path],
      message: message ?? DEFAULT_MESSAGES[keyword] ?? 'is not valid',
      value,
      aboutValue: VALUE_KEYWORDS.has(keyword) || (keyword === 'not' && !forbidsAll(schema)),
      generic: message === undefined,
    });
    if (schema === false) {
      return fail('false');
    }
    const s = schema;
    if (typeof s.$ref === 'string') {
      // draft-07: keywords beside $ref are ignored.
      return this.run(this.resolve(s.$ref), value, path, message);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => hasType(value, t))) {
        return fail('type');
      }
    }
    if (s.const !== undefined && !deepEqual(value, s.const)) {
      return fail('const');
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) {
      return fail('enum');
    }
    const problem = this.numbers(s, value, fail) ?? this.strings(s, value, fail) ?? this.arrays(s, value, path, fail) ?? this.objects(s, value, path, fail);
    if (problem) {
      return problem;
    }
    if (s.not !== undefined && this.run(s.not as Schema, value, path, undefined) === undefined) {
      return fail('not');
    }
    for (const sub of (s.allOf as Schema[] | undefined) ?? []) {
      const p = this.run(sub, value, path, message);
      if (p) {
        return p;
      }
    }
    if (Array.isArray(s.anyOf)) {
      const p = this.someOf(s.anyOf as Schema[], value, path, own, fail, false);
      if (p) {
        return p;
      }
    }
    if (Array.isArray(s.oneOf)) {
      const p = this.someOf(s.oneOf as Schema[], value, path, own, fail, true);
      if (p) {
        return p;
      }
    }
    return undefined;
  }

  /**
   * anyOf / oneOf. When they fail, the branch meant is the one whose type fits the value; among several, the one
   * that got furthest into it. Without a clear one, the anyOf's own message speaks.
   */
  private someOf(
    branches: Schema[],
    value: unknown,
    path: (string | number)[],
    own: string | undefined,
    fail: (keyword: string) => SchemaProblem,
    exactlyOne: boolean,
  ): SchemaProblem | undefined {
    const fitting: SchemaProblem[] = [];
    let passed = 0;
    for (const b of branches) {
      // A branch for another type fails on its type: it is neither run nor meant.
      if (!this.fits(b, value)) {
        continue;
      }
      const p = this.run(b, value, path, undefined);
      if (p) {
        fitting.push(p);
      } else if (!exactlyOne) {
        return undefined;
      } else {
        passed++;
      }
    }
    if (exactlyOne && passed === 1) {
      return undefined;
    }
    if (exactlyOne && passed > 1) {
      return fail('oneOf');
    }
    const meant = fitting.find((p) => fitting.every((q) => q === p || further(p.path, q.path)));
    // A fallback message at the anyOf's own place says less than the anyOf's message.
    if (meant && (meant.path.length > path.length || !meant.generic || own === undefined)) {
      return meant;
    }
    return fail(exactlyOne ? 'oneOf' : 'anyOf');
  }

  /** Whether a branch is meant for a value of this type: its `type`, followed through $ref, allOf and anyOf. */
  private fits(schema: Schema, value: unknown, depth = 0): boolean {
    if (typeof schema === 'boolean' || depth > 20) {
      return true;
    }
    if (typeof schema.$ref === 'string') {
      return this.fits(this.resolve(schema.$ref), value, depth + 1);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => hasType(value, t))) {
        return false;
      }
    }
    if (Array.isArray(schema.allOf) && !(schema.allOf as Schema[]).every((b) => this.fits(b, value, depth + 1))) {
      return false;
    }
    if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((b) => this.fits(b, value, depth + 1))) {
      return false;
    }
    return true;
  }

  private numbers(s: Record<string, unknown>, value: unknown, fail: (k: string) => SchemaProblem): SchemaProblem | undefined {
    if (typeOf(value) !== 'number') {
      return undefined;
    }
    const n = value as number;
    const bound = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
    const min = bound('minimum');
    const max = bound('maximum');
    const xmin = bound('exclusiveMinimum');
    const xmax = bound('exclusiveMaximum');
    if (min !== undefined && n < min) {
      return fail('minimum');
    }
    if (max !== undefined && n > max) {
      return fail('maximum');
    }
    if (xmin !== undefined && n <= xmin) {
      return fail('exclusiveMinimum');
    }
    if (xmax !== undefined && n >= xmax) {
      return fail('exclusiveMaximum');
    }
    return undefined;
  }

  private strings(s: Record<string, unknown>, value: unknown, fail: (k: string) => SchemaProblem): SchemaProblem | undefined {
    if (typeof value !== 'string') {
      return undefined;
    }
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) {
      return fail('minLength');
    }
    if (typeof s.maxLength === 'number' && length > s.maxLength) {
      return fail('maxLength');
    }
    return undefined;
  }

  private arrays(
    s: Record<string, unknown>,
    value: unknown,
    path: (string | number)[],
    fail: (k: string) => SchemaProblem,
  ): SchemaProblem | undefined {
    if (!Array.isArray(value)) {
      return undefined;
    }
    if (typeof s.minItems === 'number' && value.length < s.minItems) {
      return fail('minItems');
    }
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) {
      return fail('maxItems');
    }
    const tuple = Array.isArray(s.items) ? (s.items as Schema[]) : undefined;
    for (let i = 0; i < value.length; i++) {
      const sub = tuple ? (i < tuple.length ? tuple[i] : (s.additionalItems as Schema | undefined)) : (s.items as Schema | undefined);
      if (sub !== undefined) {
        const p = this.run(sub, value[i], [...path, i], undefined);
        if (p) {
          return p;
        }
      }
    }
    return undefined;
  }

  private objects(
    s: Record<string, unknown>,
    value: unknown,
    path: (string | number)[],
    fail: (k: string) => SchemaProblem,
  ): SchemaProblem | undefined {
    if (!isObject(value)) {
      return undefined;
    }
    const keys = Object.keys(value);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) {
      return fail('minProperties');
    }
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) {
      return fail('maxProperties');
    }
    if (Array.isArray(s.required) && !(s.required as string[]).every((k) => Object.hasOwn(value, k))) {
      return fail('required');
    }
    const properties = isObject(s.properties) ? (s.properties as Record<string, Schema>) : undefined;
    const patterns = this.patternsOf(s);
    for (const key of keys) {
      let matched = false;
      if (properties && Object.hasOwn(properties, key)) {
        matched = true;
        const p = this.run(properties[key], value[key], [...path, key], undefined);
        if (p) {
          return p;
        }
      }
      for (const [re, sub] of patterns) {
        if (re.test(key)) {
          matched = true;
          const p = this.run(sub, value[key], [...path, key], undefined);
          if (p) {
            return p;
          }
        }
      }
      if (!matched && s.additionalProperties !== undefined) {
        const p = this.run(s.additionalProperties as Schema, value[key], [...path, key], undefined);
        if (p) {
          return p;
        }
      }
    }
    return undefined;
  }
}

/** Whether path `a` got further into the value than `b`: deeper, or at a later index of the same list. */
function further(a: SchemaPath, b: SchemaPath): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return typeof a[i] === 'number' && typeof b[i] === 'number' && a[i] > b[i];
    }
  }
  return a.length > b.length;
}

/** `{}`, `true`, or a schema of annotations only: `not` of it forbids everything, a "false" with a message. */
function forbidsAll(schema: Schema): boolean {
  if (typeof schema === 'boolean') {
    return false;
  }
  const not = schema.not;
  return not === true || (isObject(not) && Object.keys(not).every((k) => ANNOTATIONS.has(k)));
}
