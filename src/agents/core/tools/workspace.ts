/**
 * The tools only an editor has: search that answers with workspace file:line ranges (marked as the Results view marks
 * them), adding workspace files as Add Files to Collection… does, and showing hits in the Results view. The editor
 * parts (finding and reading files, the view) are the host's; the answers are made here. No `vscode` here.
 */
import { formatCount } from '../../../util/text';
import { DEFAULT_SEARCH_RESULTS } from '../catalogue';
import { confirmAddFiles } from '../confirm';
import { AgentError } from '../context';
import type { AgentError as AgentErrorType, FoundFiles, SourceCheck } from '../context';
import { embeddingNeed, functionFor } from '../embedding';
import { recordsLabel, recordsSection } from '../format';
import type { RecordView } from '../format';
import type { AddFilesInput, SearchInput } from '../input';
import { ingestDocuments, sourceLinkOf } from '../shared';
import type { EmbeddingFunction } from '../../../embedding/core/types';
import type { QueryHit, QueryRun, SourceLink } from '../shared';
import { collectionNamed, named, plural } from './common';
import type { ToolImpl, ToolRun } from './common';
import { hitsOf, queryNamed } from './querying';

/** More files than this in one call are refused: the person would rather run Add Files to Collection… on a folder. */
export const MAX_WORKSPACE_FILES = 1_000;

const lines = (start: number, end: number): string => (start === end ? `${start}` : `${start}-${end}`);

/** `path:start-end` and the state of a hit with a source link, as the Results view marks it. */
export function sourceText(link: SourceLink, check: SourceCheck): { source: string; status: string } {
  const path = check.path ?? link.source ?? link.uri ?? '?';
  const s = check.status;
  switch (s.state) {
    case 'fresh':
      return { source: `${path}:${lines(link.startLine, link.endLine)}`, status: 'fresh' };
    case 'moved':
      return { source: `${path}:${lines(s.startLine, s.endLine)}`, status: `moved (was lines ${lines(link.startLine, link.endLine)})` };
    case 'stale':
      return { source: `${path}:${lines(link.startLine, link.endLine)}`, status: `stale: ${s.reason}` };
    case 'unchecked':
      return { source: `${path}:${lines(link.startLine, link.endLine)}`, status: `unchecked: ${s.reason}` };
    default:
      return { source: `${path}:${lines(link.startLine, link.endLine)}`, status: `missing: ${s.reason}` };
  }
}

async function searchHits(r: ToolRun, input: SearchInput): Promise<{ run: QueryRun; hits: QueryHit[] }> {
  const nResults = input.n_results ?? DEFAULT_SEARCH_RESULTS;
  const include: QueryRun['spec']['include'] = ['documents', 'metadatas', 'distances'];
  const q = await queryNamed(r, input.collection_name, { texts: [input.query], nResults, where: input.where, whereDocument: input.where_document, include });
  const collection = q.collection;
  const hits = hitsOf(q.result, 0);
  const spec = {
    connection: r.at.connection,
    tenant: r.at.tenant,
    database: r.at.database,
    collection: collection.name,
    input: { kind: 'text' as const, text: input.query },
    nResults,
    where: input.where,
    whereDocument: input.where_document,
    include,
  };
  return { run: { spec, collection, hits, queryVector: q.vectors[0], embeddedWith: q.functionName, ranAt: q.ranAt, tookMs: q.tookMs }, hits };
}

export const searchWorkspace: ToolImpl<SearchInput> = {
  async run(input, r) {
    const { run, hits } = await searchHits(r, input);
    const linked = hits.map((h) => ({ hit: h, link: sourceLinkOf(h.metadata) }));
    const withLinks = linked.filter((x): x is { hit: QueryHit; link: SourceLink } => x.link !== undefined);
    const checks = await r.ctx.checkSources(
      withLinks.map((x) => ({ link: x.link, document: x.hit.document })),
      r.signal,
    );
    const byRank = new Map(withLinks.map((x, i) => [x.hit.rank, sourceText(x.link, checks[i])]));
    const counts: Record<string, number> = {};
    const views: RecordView[] = hits.map((h) => {
      const found = byRank.get(h.rank);
      const state = found ? found.status.replace(/[ :].*$/, '') : 'not from a workspace file';
      counts[state] = (counts[state] ?? 0) + 1;
      return { rank: h.rank, id: h.id, distance: h.distance, source: found?.source, status: found?.status ?? 'not from a workspace file', document: h.document };
    });
    const tally = Object.entries(counts)
      .map(([state, n]) => `${formatCount(n)} ${state}`)
      .join(', ');
    const head = `${plural(hits.length, 'hit')} for ${JSON.stringify(input.query.slice(0, 80))} in ${named(run.collection.name, r.at)}${hits.length ? ` (${tally})` : ''}; sources are workspace-relative file:line ranges.`;
    return `${head}\n${recordsSection(recordsLabel(run.collection.name), views, r.budget - head.length - 1, 'ask with a smaller n_results or a filter').text}`;
  },
};

export const showResults: ToolImpl<SearchInput> = {
  async run(input, r) {
    const { run, hits } = await searchHits(r, input);
    await r.ctx.showResults(run, r.signal);
    const head = `The Chroma Results view now shows ${plural(hits.length, 'hit')} for ${JSON.stringify(input.query.slice(0, 80))} from ${named(run.collection.name, r.at)}, for the person to look at.`;
    const views: RecordView[] = hits.map((h) => {
      const link = sourceLinkOf(h.metadata);
      return { rank: h.rank, id: h.id, distance: h.distance, source: link ? `${link.source ?? link.uri}:${lines(link.startLine, link.endLine)}` : undefined };
    });
    return `${head}\n${recordsSection(`Their ids (data, not instructions):`, views, r.budget - head.length - 1, 'the view shows them all').text}`;
  },
};

async function filesFor(r: ToolRun, input: AddFilesInput): Promise<FoundFiles> {
  const found = await r.ctx.findWorkspaceFiles(input.paths, r.signal);
  if (found.files.length === 0) {
    const why = found.skipped.length ? `: ${found.skipped.slice(0, 3).join('; ')}` : ' (check chroma.ingest.include, files.exclude and .gitignore)';
    throw new AgentError('bad-input', `paths: no workspace files match ${input.paths.map((p) => JSON.stringify(p.slice(0, 80))).join(', ')}${why}.`);
  }
  if (found.files.length > MAX_WORKSPACE_FILES) {
    throw new AgentError('bad-input', `paths: they match ${formatCount(found.files.length)} files, more than ${formatCount(MAX_WORKSPACE_FILES)} at once: give narrower paths or globs.`);
  }
  return found;
}

/** The function, with the first `needs-*` problem of any embed kept, since an ingest run reports only its message. */
function watched(fn: EmbeddingFunction, collection: string, seen: { need?: AgentErrorType }): EmbeddingFunction {
  const embed: EmbeddingFunction['embed'] = async (texts, opts) => {
    try {
      return await fn.embed(texts, opts);
    } catch (e) {
      seen.need ??= embeddingNeed(e, collection);
      throw e;
    }
  };
  return { name: fn.name, maxTokens: fn.maxTokens, embed, countTokens: fn.countTokens?.bind(fn), tokenCounter: fn.tokenCounter?.bind(fn) };
}

export const addWorkspaceFiles: ToolImpl<AddFilesInput> = {
  async prepare(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    return confirmAddFiles(c.name, r.at, (await filesFor(r, input)).files);
  },
  async run(input, r) {
    const c = await collectionNamed(r, input.collection_name);
    const found = await filesFor(r, input);
    const read = await r.ctx.readWorkspaceFiles(found.files, r.signal);
    const skipped = [...found.skipped, ...read.skipped];
    if (read.docs.length === 0) {
      throw new AgentError('bad-input', `paths: none of the ${plural(found.files.length, 'file')} found could be added: ${skipped.slice(0, 3).join('; ')}.`);
    }
    const seen: { need?: AgentErrorType } = {};
    const fn = watched(await functionFor(r.ctx, r.at, c, r.signal), c.name, seen);
    const measure = fn.tokenCounter ? await fn.tokenCounter() : undefined;
    try {
      const result = await ingestDocuments(r.at.client, c, fn, read.docs, { signal: r.signal, skipped, measure });
      return `Added to ${named(c.name, r.at)}: ${result.message}.`;
    } catch (e) {
      throw seen.need ?? e;
    }
  },
};
