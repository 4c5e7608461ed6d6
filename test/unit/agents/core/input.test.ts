import * as assert from 'node:assert/strict';
import { toolSpec } from '../../../../src/agents/core/catalogue';
import { AgentError } from '../../../../src/agents/core/context';
import { checkInput } from '../../../../src/agents/core/input';

/** The one line a bad input answers with. */
function refusal(tool: string, input: unknown): string {
  const spec = toolSpec(tool);
  assert.ok(spec, tool);
  try {
    checkInput(spec, input);
  } catch (e) {
    assert.ok(e instanceof AgentError, `not an AgentError: ${String(e)}`);
    assert.equal(e.kind, 'bad-input');
    assert.doesNotMatch(e.message, /\n/, 'one line');
    return e.message;
  }
  assert.fail(`${tool} took ${JSON.stringify(input)}`);
}

describe('agent tools: input checks', () => {
  it('takes a good input as it is, and no input for a tool without required parameters', () => {
    const spec = toolSpec('chroma_query_documents');
    assert.ok(spec);
    const input = { collection_name: 'notes', query_texts: ['cats'], where: { $and: [{ year: { $gte: 2020 } }, { kind: 'note' }] } };
    assert.equal(checkInput(spec, input), input);
    const list = toolSpec('chroma_list_collections');
    assert.ok(list);
    assert.deepEqual(checkInput(list, undefined), {});
  });

  it('names an unknown parameter with the ones the tool takes, and a missing one with what it is', () => {
    assert.equal(
      refusal('chroma_get_collection_count', { collection: 'notes' }),
      'Unknown parameter "collection": chroma_get_collection_count takes collection_name, connection, database.',
    );
    assert.equal(refusal('chroma_get_collection_count', {}), 'Missing collection_name: The collection, by name (list them with chroma_list_collections).');
    assert.equal(refusal('chroma_list_collections', ['notes']), 'The input must be a JSON object of parameters, got ["notes"].');
  });

  it('names the parameter, the rule and the value for a value of the wrong type or out of range', () => {
    assert.equal(refusal('chroma_query_documents', { collection_name: 'notes', query_texts: ['x'], n_results: 500 }), 'n_results: must be a whole number from 1 to 100, got 500.');
    assert.equal(refusal('chroma_query_documents', { collection_name: 'notes', query_texts: 'cats' }), 'query_texts: must be a list of 1 to 10 items, got "cats".');
    assert.equal(refusal('chroma_query_documents', { collection_name: 'notes', query_texts: ['x'], include: ['scores'] }), 'include[0]: must be one of "documents", "metadatas", "distances", "embeddings", "uris", got "scores".');
    assert.equal(refusal('chroma_peek_collection', { collection_name: '' }), 'collection_name: must be a non-empty string of at most 512 characters, got "".');
    assert.equal(refusal('chroma_add_documents', { collection_name: 'n', documents: ['a'], ids: ['1'], metadatas: [{ tags: { nested: true } }] }), 'metadatas[0].tags: must be a string, number or boolean: metadata values are flat, got {"nested":true}.');
  });

  it('checks filters with the UI\'s filter check, naming the part that is wrong', () => {
    assert.equal(
      refusal('chroma_query_documents', { collection_name: 'notes', query_texts: ['x'], where: { year: { $gt: 'recent' } } }),
      refusal('chroma_get_documents', { collection_name: 'notes', where: { year: { $gt: 'recent' } } }),
    );
    assert.match(refusal('chroma_query_documents', { collection_name: 'notes', query_texts: ['x'], where: { year: { $gt: 'recent' } } }), /^where\.year\.\$gt: .*"recent"/);
    assert.match(refusal('chroma_search_workspace', { collection_name: 'code', query: 'x', where_document: { $contain: 'x' } }), /^where_document/);
  });

  it('applies the collection-name, metadata, id and one-per-record rules the client and UI apply', () => {
    assert.equal(refusal('chroma_create_collection', { collection_name: 'a b' }), 'collection_name: "a b" may only contain letters, digits, ".", "_" and "-" (found " ").');
    assert.equal(refusal('chroma_fork_collection', { collection_name: 'notes', new_collection_name: '..x' }), 'new_collection_name: "..x" must start and end with a letter or a digit.');
    assert.equal(refusal('chroma_modify_collection', { collection_name: 'notes' }), 'Nothing to change: give new_name, new_metadata, or both.');
    assert.equal(refusal('chroma_add_documents', { collection_name: 'n', documents: ['a', 'b'], ids: ['1', '1'] }), 'ids: The id "1" appears more than once: ids must be unique within a call.');
    assert.equal(refusal('chroma_add_documents', { collection_name: 'n', documents: ['a'], ids: ['1', '2'] }), 'documents: give one per id, in the same order (2 ids, 1 documents).');
    assert.equal(refusal('chroma_add_documents', { collection_name: 'n', documents: ['a'], ids: ['1'], metadatas: [{ 'chroma:x': 1 }] }), 'metadatas[0]: Record "1": metadata key "chroma:x" is reserved by Chroma.');
    assert.equal(refusal('chroma_update_documents', { collection_name: 'n', ids: ['1'] }), 'Nothing to change: give documents, metadatas, or both.');
    assert.equal(
      refusal('chroma_create_collection', { collection_name: 'notes', embedding_function_config: { model_name: 'x' } }),
      'embedding_function_config: the default function takes no settings; leave it out, or name a hosted function in embedding_function_name.',
    );
  });

  it('takes only workspace-relative paths and globs', () => {
    for (const [path, why] of [
      ['/etc/passwd', 'is not relative to the workspace'],
      ['C:\\secrets', 'is not relative to the workspace'],
      ['file:///etc', 'is not relative to the workspace'],
      ['docs/../../x', 'goes above the workspace ("..")'],
      ['  ', 'is empty'],
    ]) {
      assert.equal(
        refusal('chroma_add_workspace_files', { collection_name: 'code', paths: ['docs/*.md', path] }),
        `paths[1]: ${JSON.stringify(path.trim() ? path : '')} ${why}: give a workspace-relative path or glob such as "docs/**/*.md".`,
      );
    }
  });
});
