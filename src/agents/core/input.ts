/**
 * Checks a tool's input before anything is sent: first against the tool's JSON schema (the same one package.json
 * and MCP clients get), then with the checks the UI makes (Chroma's filter grammar, collection-name rules, metadata
 * rules, unique ids, one document per id). A bad input becomes one line that names what to change. No `vscode` here.
 */
import { describeError } from '../../chroma/errors';
import { collectionNameProblem, validateCollectionMetadata, validateIds, validateMetadata } from '../../chroma/validate';
import type { Metadata, UpdateMetadata, Where, WhereDocument } from '../../chroma/types';
import { boundedJson, displayLine } from '../../util/text';
import type { ToolName, ToolSpec } from './catalogue';
import { AgentError } from './context';
import { checkFilter, formatPath, SchemaChecker } from './shared';
import type { SchemaProblem } from './shared';

export interface CommonInput {
  connection?: string;
  database?: string;
}
export interface CollectionInput extends CommonInput {
  collection_name: string;
}
export interface FilterInput {
  where?: Where;
  where_document?: WhereDocument;
}
export type ListInput = CommonInput & { limit?: number; offset?: number };
export type PeekInput = CollectionInput & { limit?: number };
export type CreateInput = CollectionInput & { embedding_function_name?: string; embedding_function_config?: Record<string, unknown>; space?: string; metadata?: Metadata };
export type ModifyInput = CollectionInput & { new_name?: string; new_metadata?: Metadata };
export type ForkInput = CollectionInput & { new_collection_name: string };
export type AddInput = CollectionInput & { documents: string[]; ids: string[]; metadatas?: (Metadata | null)[] };
export type QueryInput = CollectionInput & FilterInput & { query_texts: string[]; n_results?: number; include?: string[] };
export type GetInput = CollectionInput & FilterInput & { ids?: string[]; include?: string[]; limit?: number; offset?: number };
export type UpdateInput = CollectionInput & { ids: string[]; documents?: string[]; metadatas?: (UpdateMetadata | null)[] };
export type DeleteInput = CollectionInput & { ids: string[] };
export type SearchInput = CollectionInput & FilterInput & { query: string; n_results?: number };
export type AddFilesInput = CollectionInput & { paths: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const checkers = new WeakMap<ToolSpec, SchemaChecker>();

function checkerFor(spec: ToolSpec): SchemaChecker {
  let c = checkers.get(spec);
  if (!c) {
    c = new SchemaChecker(spec.inputSchema);
    checkers.set(spec, c);
  }
  return c;
}

function bad(message: string): AgentError {
  return new AgentError('bad-input', message);
}

/** A value as a message quotes it: short JSON, or its kind when long. */
function shortValue(v: unknown): string {
  if (v === undefined) {
    return 'nothing';
  }
  const json = boundedJson(v, 40, 0);
  if (!json.truncated) {
    return displayLine(json.text, 40);
  }
  return typeof v === 'string' ? `a text of ${v.length.toLocaleString('en-US')} characters` : Array.isArray(v) ? `a list of ${v.length}` : 'an object';
}

function problemLine(p: SchemaProblem): string {
  const where = p.path.length ? formatPath(p.path) : 'the input';
  // the value helps with a type or range; a list's or text's length too
  const quote = p.aboutValue || Array.isArray(p.value) || typeof p.value === 'string';
  return `${where}: ${p.message}${quote ? `, got ${shortValue(p.value)}` : ''}.`;
}

/** The input as the schema and the UI's own checks take it; throws an AgentError('bad-input') with one line. */
export function checkInput(spec: ToolSpec, raw: unknown): Record<string, unknown> {
  const input = raw === undefined || raw === null ? {} : raw;
  if (!isObject(input)) {
    throw bad(`The input must be a JSON object of parameters, got ${shortValue(input)}.`);
  }
  const schema = spec.inputSchema as { properties: Record<string, { description?: string }>; required?: string[] };
  const known = Object.keys(schema.properties);
  const unknown = Object.keys(input).find((k) => !known.includes(k));
  if (unknown !== undefined) {
    throw bad(`Unknown parameter ${JSON.stringify(displayLine(unknown, 60))}: ${spec.name} takes ${known.join(', ')}.`);
  }
  const missing = (schema.required ?? []).find((k) => input[k] === undefined);
  if (missing !== undefined) {
    throw bad(`Missing ${missing}: ${schema.properties[missing].description ?? 'it is required.'}`);
  }
  const problem = checkerFor(spec).check(input);
  if (problem) {
    throw bad(problemLine(problem));
  }
  SEMANTIC[spec.name]?.(input);
  return input;
}

// ---------------------------------------------------------------------------------------------------------------
// The UI's own checks, per tool

function nameRule(field: string, name: unknown): void {
  const problem = typeof name === 'string' ? collectionNameProblem(name) : undefined;
  if (problem) {
    throw bad(`${field}: ${JSON.stringify(displayLine(name as string, 60))} ${problem}.`);
  }
}

function filterRule(input: FilterInput): void {
  const problem = checkFilter({ where: input.where, whereDocument: input.where_document });
  if (problem) {
    throw bad(problem.endsWith('.') ? problem : `${problem}.`);
  }
}

/** A check from src/chroma/validate.ts, its message as the one line. */
function rule(check: () => void, field?: string): void {
  try {
    check();
  } catch (e) {
    throw bad(`${field ? `${field}: ` : ''}${describeError(e)}`);
  }
}

function sameLength(field: string, values: readonly unknown[] | undefined, ids: readonly string[]): void {
  if (values !== undefined && values.length !== ids.length) {
    const none = field === 'metadatas' ? '; null where a record has none' : '';
    throw bad(`${field}: give one per id, in the same order (${ids.length} ids, ${values.length} ${field})${none}.`);
  }
}

/** A check on a tool's own input type (the schema has already made sure of the shape). */
const on =
  <I>(check: (input: I) => void) =>
  (input: Record<string, unknown>): void =>
    check(input as unknown as I);

const SEMANTIC: Partial<Record<ToolName, (input: Record<string, unknown>) => void>> = {
  chroma_create_collection: on<CreateInput>((input) => {
    nameRule('collection_name', input.collection_name);
    rule(() => validateCollectionMetadata(input.metadata), 'metadata');
    if (input.embedding_function_config !== undefined && (input.embedding_function_name ?? 'default') === 'default' && Object.keys(input.embedding_function_config).length > 0) {
      throw bad('embedding_function_config: the default function takes no settings; leave it out, or name a hosted function in embedding_function_name.');
    }
  }),
  chroma_modify_collection: on<ModifyInput>((input) => {
    if (input.new_name === undefined && input.new_metadata === undefined) {
      throw bad('Nothing to change: give new_name, new_metadata, or both.');
    }
    if (input.new_name !== undefined) {
      nameRule('new_name', input.new_name);
    }
    if (input.new_metadata !== undefined && Object.keys(input.new_metadata).length === 0) {
      throw bad('new_metadata: Chroma cannot set a collection’s metadata to nothing: keep at least one key.');
    }
    rule(() => validateCollectionMetadata(input.new_metadata), 'new_metadata');
  }),
  chroma_fork_collection: on<ForkInput>((input) => nameRule('new_collection_name', input.new_collection_name)),
  chroma_add_documents: on<AddInput>((input) => {
    rule(() => validateIds(input.ids), 'ids');
    sameLength('documents', input.documents, input.ids);
    sameLength('metadatas', input.metadatas, input.ids);
    input.metadatas?.forEach((m, n) => rule(() => validateMetadata(input.ids[n], m), `metadatas[${n}]`));
  }),
  chroma_query_documents: on<QueryInput>((input) => filterRule(input)),
  chroma_get_documents: on<GetInput>((input) => {
    if (input.ids) {
      rule(() => validateIds(input.ids ?? []), 'ids');
    }
    filterRule(input);
  }),
  chroma_update_documents: on<UpdateInput>((input) => {
    rule(() => validateIds(input.ids), 'ids');
    if (input.documents === undefined && input.metadatas === undefined) {
      throw bad('Nothing to change: give documents, metadatas, or both.');
    }
    sameLength('documents', input.documents, input.ids);
    sameLength('metadatas', input.metadatas, input.ids);
    input.metadatas?.forEach((m, n) => rule(() => validateMetadata(input.ids[n], m, true), `metadatas[${n}]`));
  }),
  chroma_delete_documents: on<DeleteInput>((input) => rule(() => validateIds(input.ids), 'ids')),
  chroma_search_workspace: on<SearchInput>((input) => filterRule(input)),
  chroma_show_results: on<SearchInput>((input) => filterRule(input)),
  chroma_add_workspace_files: on<AddFilesInput>((input) => input.paths.forEach((p, n) => patternRule(p, n))),
};

/** Workspace-relative paths and globs only: nothing absolute, no `..`, no drive letters or URIs. */
function patternRule(p: string, n: number): void {
  const why =
    p.trim() === ''
      ? 'is empty'
      : /^([a-zA-Z]:|[/\\~])/.test(p) || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p)
        ? 'is not relative to the workspace'
        : p.split(/[/\\]/).includes('..')
          ? 'goes above the workspace ("..")'
          : p.includes('\0')
            ? 'holds a NUL character'
            : undefined;
  if (why) {
    throw bad(`paths[${n}]: ${JSON.stringify(displayLine(p, 60))} ${why}: give a workspace-relative path or glob such as "docs/**/*.md".`);
  }
}
