/**
 * Builders for the tools' input JSON schemas (draft-07, the keywords src/filter/core/schemaCheck.ts checks), so each
 * constraint is written once, with the one-line `errorMessage` that names it. `errorMessage` is ours: it is removed
 * from the schemas package.json and MCP clients see (`publicSchema`). No `vscode` here.
 */

export type JsonSchema = { readonly [keyword: string]: unknown };

/** The largest number of characters accepted for a text an agent sends (a query, a document). */
export const MAX_TEXT_CHARS = 100_000;

export function str(description: string, opts: { max?: number; min?: number } = {}): JsonSchema {
  const max = opts.max ?? 512;
  const min = opts.min ?? 1;
  return {
    type: 'string',
    description,
    minLength: min,
    maxLength: max,
    errorMessage: `must be a ${min > 0 ? 'non-empty ' : ''}string of at most ${max.toLocaleString('en-US')} characters`,
  };
}

export function int(description: string, min: number, max: number, fallback?: number): JsonSchema {
  return {
    type: 'integer',
    description: fallback === undefined ? description : `${description} Default ${fallback}.`,
    minimum: min,
    maximum: max,
    errorMessage: `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`,
  };
}

export function list(description: string, items: JsonSchema, min: number, max: number): JsonSchema {
  return {
    type: 'array',
    description,
    items,
    minItems: min,
    maxItems: max,
    errorMessage: `must be a list of ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} items`,
  };
}

export function oneOfNames(description: string, names: readonly string[]): JsonSchema {
  return { type: 'string', description, enum: [...names], errorMessage: `must be one of ${names.map((n) => JSON.stringify(n)).join(', ')}` };
}

/** A flat metadata object: string, number or boolean values (null too where it removes a key). */
export function metadata(description: string, opts: { nullRemoves?: boolean; nullable?: boolean } = {}): JsonSchema {
  const values = opts.nullRemoves ? ['string', 'number', 'boolean', 'null'] : ['string', 'number', 'boolean'];
  return {
    type: opts.nullable ? ['object', 'null'] : 'object',
    description,
    additionalProperties: {
      type: values,
      errorMessage: `must be a string, number or boolean${opts.nullRemoves ? ' (or null to remove the key)' : ''}: metadata values are flat`,
    },
    errorMessage: 'must be an object of keys and values, e.g. {"source": "notes.md", "year": 2024}',
  };
}

export const CONNECTION: JsonSchema = str('The Chroma connection, by the name it has in the Chroma view. Leave it out to use the active connection.', { max: 200 });
export const DATABASE: JsonSchema = str("The database on that connection. Leave it out to use the connection's own database.");
export const COLLECTION_NAME: JsonSchema = str('The collection, by name (list them with chroma_list_collections).');

export const WHERE: JsonSchema = {
  type: 'object',
  description:
    'Optional metadata filter in Chroma\'s where syntax: {"kind": "note"}, {"year": {"$gt": 2020}}, {"tag": {"$in": ["a", "b"]}}, ' +
    '{"$and": [{"kind": "note"}, {"year": {"$gte": 2024}}]}. Operators: $eq $ne $gt $gte $lt $lte $in $nin, combined with $and / $or.',
  errorMessage: 'must be an object such as {"year": {"$gt": 2020}}',
};

export const WHERE_DOCUMENT: JsonSchema = {
  type: 'object',
  description: 'Optional filter on the document text: {"$contains": "vector"}, {"$not_contains": "draft"}, {"$regex": "^# "}, combined with $and / $or.',
  errorMessage: 'must be an object such as {"$contains": "text"}',
};

/** The common optional parameters every tool takes, after its own. */
export function toolInput(properties: Record<string, JsonSchema>, required: readonly string[]): JsonSchema {
  return {
    type: 'object',
    properties: { ...properties, connection: CONNECTION, database: DATABASE },
    ...(required.length ? { required: [...required] } : {}),
    additionalProperties: false,
  };
}

/** A schema without our own `errorMessage` keyword: what package.json and MCP clients are given. */
export function publicSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(publicSchema);
  }
  if (typeof schema !== 'object' || schema === null) {
    return schema;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'errorMessage') {
      continue;
    }
    // The values of `properties` are schemas; enum and required values are data.
    out[k] = k === 'enum' || k === 'required' || k === 'const' ? v : publicSchema(v);
  }
  return out;
}
