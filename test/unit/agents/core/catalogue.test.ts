import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { TOOL_NAMES, TOOLS } from '../../../../src/agents/core/catalogue';
import type { ToolSpec } from '../../../../src/agents/core/catalogue';
import { languageModelToolsContribution, mcpToolDefinitions } from '../../../../src/agents/core/contribution';
import { publicSchema } from '../../../../src/agents/core/schemaParts';
import { SchemaChecker } from '../../../../src/agents/core/shared';
import { PROJECT_ROOT } from '../../../support/chromaServer';

/** chroma-mcp's tools: ours keep their names. */
const CHROMA_MCP = [
  'chroma_list_collections',
  'chroma_create_collection',
  'chroma_peek_collection',
  'chroma_get_collection_info',
  'chroma_get_collection_count',
  'chroma_modify_collection',
  'chroma_fork_collection',
  'chroma_delete_collection',
  'chroma_add_documents',
  'chroma_query_documents',
  'chroma_get_documents',
  'chroma_update_documents',
  'chroma_delete_documents',
];

/** A valid input per tool, the start of the corpus below. */
const VALID: Record<string, Record<string, unknown>> = {
  chroma_list_collections: { limit: 10, offset: 0 },
  chroma_get_collection_info: { collection_name: 'notes' },
  chroma_get_collection_count: { collection_name: 'notes', connection: 'local' },
  chroma_peek_collection: { collection_name: 'notes', limit: 3 },
  chroma_create_collection: { collection_name: 'notes', embedding_function_name: 'openai', embedding_function_config: { model_name: 'm' }, space: 'cosine', metadata: { owner: 'me' } },
  chroma_modify_collection: { collection_name: 'notes', new_name: 'notes2', new_metadata: { a: 1 } },
  chroma_fork_collection: { collection_name: 'notes', new_collection_name: 'copy' },
  chroma_delete_collection: { collection_name: 'notes', database: 'db1' },
  chroma_add_documents: { collection_name: 'notes', documents: ['a', 'b'], ids: ['1', '2'], metadatas: [{ k: 'v' }, null] },
  chroma_query_documents: { collection_name: 'notes', query_texts: ['cats'], n_results: 3, where: { year: { $gt: 2020 } }, where_document: { $contains: 'x' }, include: ['documents'] },
  chroma_get_documents: { collection_name: 'notes', ids: ['1'], include: ['metadatas'], limit: 5, offset: 2 },
  chroma_update_documents: { collection_name: 'notes', ids: ['1'], documents: ['new'], metadatas: [{ k: null }] },
  chroma_delete_documents: { collection_name: 'notes', ids: ['1', '2'] },
  chroma_search_workspace: { query: 'where is auth', collection_name: 'code', n_results: 4 },
  chroma_add_workspace_files: { collection_name: 'code', paths: ['docs/**/*.md'] },
  chroma_show_results: { query: 'auth', collection_name: 'code' },
};

type Schema = { type?: unknown; properties?: Record<string, Schema>; required?: string[]; minimum?: number; maximum?: number; minItems?: number; items?: Schema; enum?: unknown[] };

/** Inputs one change away from the valid one: each property of the wrong type or out of range, extra and missing keys. */
function mutations(spec: ToolSpec): Array<{ label: string; input: Record<string, unknown> }> {
  const valid = VALID[spec.name];
  const schema = spec.inputSchema as Schema;
  const out: Array<{ label: string; input: Record<string, unknown> }> = [{ label: 'valid', input: valid }, { label: 'extra key', input: { ...valid, extra: 1 } }];
  for (const key of schema.required ?? []) {
    const rest = { ...valid };
    delete rest[key];
    out.push({ label: `without ${key}`, input: rest });
  }
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    const types = Array.isArray(p.type) ? p.type : [p.type];
    const wrong = types.includes('string') ? 42 : types.includes('integer') ? 'seven' : types.includes('array') ? 'one' : 'text';
    out.push({ label: `${key} of the wrong type`, input: { ...valid, [key]: wrong } });
    if (p.minimum !== undefined) {
      out.push({ label: `${key} below its minimum`, input: { ...valid, [key]: p.minimum - 1 } });
    }
    if (p.maximum !== undefined) {
      out.push({ label: `${key} above its maximum`, input: { ...valid, [key]: p.maximum + 1 } });
      out.push({ label: `${key} not whole`, input: { ...valid, [key]: 1.5 } });
    }
    if (p.minItems) {
      out.push({ label: `${key} empty`, input: { ...valid, [key]: [] } });
    }
    if (p.items?.enum) {
      out.push({ label: `${key} with an unknown item`, input: { ...valid, [key]: ['nope'] } });
    }
    if (types.includes('string')) {
      out.push({ label: `${key} empty string`, input: { ...valid, [key]: '' } });
    }
  }
  return out;
}

describe('agent tools: the catalogue', () => {
  it('has chroma-mcp\'s tools under their names, and the editor-only ones', () => {
    assert.deepEqual([...TOOL_NAMES].sort(), [...CHROMA_MCP, 'chroma_search_workspace', 'chroma_add_workspace_files', 'chroma_show_results'].sort());
    assert.deepEqual(TOOLS.map((t) => t.name), [...TOOL_NAMES]);
    assert.equal(new Set(TOOLS.map((t) => t.toolReferenceName)).size, TOOLS.length, 'toolReferenceNames are unique');
  });

  it('marks exactly the tools that change data as writes', () => {
    const writes = TOOLS.filter((t) => t.writes).map((t) => t.name).sort();
    assert.deepEqual(writes, [
      'chroma_add_documents',
      'chroma_add_workspace_files',
      'chroma_create_collection',
      'chroma_delete_collection',
      'chroma_delete_documents',
      'chroma_fork_collection',
      'chroma_modify_collection',
      'chroma_update_documents',
    ]);
    assert.deepEqual(TOOLS.filter((t) => t.destructive).map((t) => t.name).sort(), ['chroma_delete_collection', 'chroma_delete_documents']);
  });

  it('gives every tool an optional connection and database, and no other optional parameter is required', () => {
    for (const t of TOOLS) {
      const schema = t.inputSchema as Schema & { additionalProperties?: unknown };
      assert.equal(schema.type, 'object');
      assert.equal(schema.additionalProperties, false, t.name);
      assert.ok(schema.properties?.connection && schema.properties.database, `${t.name} takes connection and database`);
      assert.ok(!(schema.required ?? []).includes('connection') && !(schema.required ?? []).includes('database'), t.name);
      for (const r of schema.required ?? []) {
        assert.ok(schema.properties?.[r], `${t.name} requires ${r}, which it does not describe`);
      }
      assert.ok(t.modelDescription.length > 80 && t.userDescription.length > 10, `${t.name} is described`);
      if (t.writes) {
        assert.match(t.modelDescription, /asked to confirm/, `${t.name} tells the model that the person confirms`);
      }
    }
  });

  it('is what package.json contributes as languageModelTools (npm run agents:tools writes it)', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { contributes: { languageModelTools: unknown } };
    assert.deepEqual(pkg.contributes.languageModelTools, languageModelToolsContribution());
  });

  it('hands clients schemas without its own errorMessage keyword, that a strict draft-07 validator compiles', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false });
    for (const t of languageModelToolsContribution()) {
      assert.doesNotMatch(JSON.stringify(t.inputSchema), /errorMessage/);
      assert.doesNotThrow(() => ajv.compile(t.inputSchema as object), t.name);
    }
    const mcp = mcpToolDefinitions();
    assert.deepEqual(
      mcp.map((t) => [t.name, t.inputSchema]),
      languageModelToolsContribution().map((t) => [t.name, t.inputSchema]),
    );
    assert.deepEqual(
      mcp.filter((t) => t.annotations.readOnlyHint).map((t) => t.name),
      TOOLS.filter((t) => !t.writes).map((t) => t.name),
    );
    assert.deepEqual(publicSchema({ a: { errorMessage: 'x', enum: ['errorMessage'] } }), { a: { enum: ['errorMessage'] } });
  });

  it('means the same to a standard validator as to the checker the tools use, on valid inputs and ones a change away', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false });
    ajv.addKeyword('errorMessage');
    let cases = 0;
    for (const t of TOOLS) {
      const validate = ajv.compile(t.inputSchema);
      const checker = new SchemaChecker(t.inputSchema);
      for (const { label, input } of mutations(t)) {
        const problem = checker.check(input);
        assert.equal(validate(input), problem === undefined, `${t.name}, ${label}: ajv ${validate(input) ? 'accepts' : 'refuses'}, the checker says ${problem?.message ?? 'fine'}`);
        cases++;
      }
    }
    assert.ok(cases > 200, `only ${cases} cases`);
  });
});
