/** The record tools: add, query, get, update, delete. No `vscode` here. */
import { distanceSpace } from '../../../chroma/distance';
import { ChromaInvalidArgumentError } from '../../../chroma/errors';
import type { Collection, GetParams, Include, QueryResult, UpdateRecordSet } from '../../../chroma/types';
import { displayLine } from '../../../util/text';
import { DEFAULT_GET_LIMIT, DEFAULT_N_RESULTS } from '../catalogue';
import { confirmAdd, confirmDelete, confirmUpdate } from '../confirm';
import { embedTexts } from '../embedding';
import { recordsLabel, recordsSection } from '../format';
import type { RecordView } from '../format';
import type { AddInput, DeleteInput, GetInput, QueryInput, UpdateInput } from '../input';
import { explainFilterError } from '../shared';
import { collectionNamed, existingIds, idList, named, plural } from './common';
import type { ToolImpl } from './common';
import { hitsOf, queryNamed } from './querying';

const QUERY_HINT = 'ask with a smaller n_results or a filter';
const GET_HINT = 'ask with a smaller limit, an offset or a filter';
const DEFAULT_QUERY_INCLUDE: Include[] = ['documents', 'metadatas', 'distances'];

export const addDocuments: ToolImpl<AddInput> = {
  async prepare(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const existing = await existingIds(r, c, input.ids);
    return confirmAdd(c.name, r.at, input.ids.length - existing.size, existing.size);
  },
  async run(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const existing = await existingIds(r, c, input.ids);
    const keep = input.ids.map((id, i) => (existing.has(id) ? -1 : i)).filter((i) => i >= 0);
    const left = existing.size ? ` Left ${plural(existing.size, 'existing id')} as ${existing.size === 1 ? 'it was' : 'they were'}: ${idList([...existing])} (change them with chroma_update_documents).` : '';
    if (keep.length === 0) {
      return `Nothing was added to ${named(c.name, r.at)}: every id given is already there.${left}`;
    }
    const documents = keep.map((i) => input.documents[i]);
    const { vectors, functionName } = await embedTexts(r.ctx, r.at, c, documents, r.signal);
    await r.at.client.add(
      c,
      { ids: keep.map((i) => input.ids[i]), documents, embeddings: vectors, metadatas: input.metadatas ? keep.map((i) => input.metadatas?.[i] ?? null) : undefined },
      { signal: r.signal },
    );
    return `Added ${plural(keep.length, 'record')} to ${named(c.name, r.at)} (embedded with ${functionName}).${left}`;
  },
};

export const queryDocuments: ToolImpl<QueryInput> = {
  async run(input, r) {
    const include = (input.include as Include[] | undefined) ?? DEFAULT_QUERY_INCLUDE;
    const nResults = input.n_results ?? DEFAULT_N_RESULTS;
    const q = { texts: input.query_texts, nResults, where: input.where, whereDocument: input.where_document, include };
    const { result, functionName, collection: c } = await queryNamed(r, input.collection_name, q);
    return queryAnswer({ collection: c, where: named(c.name, r.at), functionName, texts: input.query_texts, result, budget: r.budget });
  },
};

/** A query's answer: a line about how it was ranked, then each query text's hits, sharing the budget. */
export function queryAnswer(a: { collection: Collection; where: string; functionName: string; texts: readonly string[]; result: QueryResult; budget: number }): string {
  const head = `Nearest records in ${a.where} (embedded with ${a.functionName}; distance ${distanceSpace(a.collection)}, smaller is closer):`;
  const sections: string[] = [head];
  let room = a.budget - head.length;
  const many = a.texts.length > 1;
  a.texts.forEach((text, n) => {
    const views: RecordView[] = hitsOf(a.result, n).map((h) => ({ rank: h.rank, id: h.id, distance: h.distance, document: h.document, metadata: h.metadata, uri: h.uri, embedding: h.embedding }));
    const label = many ? `Query ${n + 1} (${JSON.stringify(displayLine(text, 80))}): ${recordsLabel(a.collection.name).replace(/^R/, 'r')}` : recordsLabel(a.collection.name);
    // each query text gets an equal share of what is left
    const share = Math.floor(room / (a.texts.length - n)) - 1;
    const section = recordsSection(label, views, share, QUERY_HINT);
    sections.push(section.text);
    room -= section.text.length + 1;
  });
  return sections.join('\n');
}

export const getDocuments: ToolImpl<GetInput> = {
  async run(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const limit = input.limit ?? DEFAULT_GET_LIMIT;
    const offset = input.offset ?? 0;
    const filter = { where: input.where, whereDocument: input.where_document };
    const got = await r.at.client
      .get(c, { ids: input.ids, ...filter, limit, offset, include: (input.include as GetParams['include']) ?? ['documents', 'metadatas'] }, { signal: r.signal })
      .catch((e: unknown) => {
        const explained = input.where || input.where_document ? explainFilterError(e, filter) : undefined;
        throw explained ? new ChromaInvalidArgumentError(explained, { cause: e }) : e;
      });
    const views: RecordView[] = got.ids.map((id, i) => ({ id, document: got.documents?.[i], metadata: got.metadatas?.[i], uri: got.uris?.[i], embedding: got.embeddings?.[i] }));
    const more = got.ids.length === limit ? ` There may be more: ask with offset ${offset + limit}.` : '';
    const returned = new Set(got.ids);
    // only a plain read by ids tells which are not there (a filter, a page or the limit also leave ids out)
    const plain = input.ids && !input.where && !input.where_document && offset === 0 && input.ids.length <= limit;
    const missing = plain ? (input.ids ?? []).filter((id) => !returned.has(id)) : [];
    const absent = missing.length ? ` Not there: ${idList(missing)}.` : '';
    const head = `${plural(got.ids.length, 'record')} from ${named(c.name, r.at)}${offset ? `, from number ${offset + 1}` : ''}.${more}${absent}`;
    return `${head}\n${recordsSection(recordsLabel(c.name), views, r.budget - head.length - 1, GET_HINT).text}`;
  },
};

function changed(input: UpdateInput): string {
  return [input.documents ? 'documents' : '', input.metadatas ? 'metadata' : ''].filter(Boolean).join(' and ');
}

export const updateDocuments: ToolImpl<UpdateInput> = {
  async prepare(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const existing = await existingIds(r, c, input.ids);
    return confirmUpdate(c.name, r.at, existing.size, input.ids.length - existing.size, changed(input));
  },
  async run(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const existing = await existingIds(r, c, input.ids);
    const keep = input.ids.map((id, i) => (existing.has(id) ? i : -1)).filter((i) => i >= 0);
    const missing = input.ids.filter((id) => !existing.has(id));
    const skipped = missing.length ? ` Not there, so not changed: ${idList(missing)}.` : '';
    if (keep.length === 0) {
      return `Nothing was changed in ${named(c.name, r.at)}: none of the ids given is there.${skipped}`;
    }
    const records: UpdateRecordSet = { ids: keep.map((i) => input.ids[i]) };
    let embedded = '';
    if (input.documents) {
      records.documents = keep.map((i) => input.documents?.[i] ?? null);
      const { vectors, functionName } = await embedTexts(r.ctx, r.at, c, records.documents as string[], r.signal);
      records.embeddings = vectors;
      embedded = ` (embedded with ${functionName})`;
    }
    if (input.metadatas) {
      records.metadatas = keep.map((i) => input.metadatas?.[i] ?? null);
    }
    await r.at.client.update(c, records, { signal: r.signal });
    return `Updated the ${changed(input)} of ${plural(keep.length, 'record')} in ${named(c.name, r.at)}${embedded}.${skipped}`;
  },
};

export const deleteDocuments: ToolImpl<DeleteInput> = {
  async prepare(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const existing = await existingIds(r, c, input.ids);
    return confirmDelete(c.name, r.at, existing.size, input.ids.length - existing.size);
  },
  async run(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const found = await existingIds(r, c, input.ids);
    const existing = input.ids.filter((id) => found.has(id));
    const missing = input.ids.filter((id) => !found.has(id));
    const absent = missing.length ? ` Not there: ${idList(missing)}.` : '';
    if (existing.length === 0) {
      return `Nothing was deleted from ${named(c.name, r.at)}: none of the ids given is there.${absent}`;
    }
    await r.at.client.delete(c, { ids: existing }, { signal: r.signal });
    return `Deleted ${plural(existing.length, 'record')} from ${named(c.name, r.at)}.${absent}`;
  },
};
