/**
 * One overview's work and data, in the extension host: read the collection (a sample, or all of it), compute its
 * facets and health findings, project its embeddings in a worker, and hand each result to the page as a message.
 * It keeps the last message of each kind, so a page that was hidden and comes back (and so was reloaded) is sent
 * the same state again. It keeps the records read, so the page can name a point or a value by index. No `vscode`
 * here: the panel gives it what it needs.
 */
import type { ChromaClient } from '../chroma/client';
import { distanceSpace } from '../chroma/distance';
import { describeError } from '../chroma/errors';
import type { Collection } from '../chroma/types';
import { displayLine, formatCount } from '../util/text';
import { computeFacets } from './core/facets';
import type { Facet } from './core/facets';
import { healthCheck } from './core/health';
import type { Finding } from './core/health';
import { project } from './core/projection';
import { LIMITS } from './core/protocol';
import type { Method, Phase, ToWebview } from './core/protocol';
import { scanCollection } from './core/scan';
import type { Scan } from './core/scan';
import { colorMessage, defaultColorFacet, highlightMessage, pointMessages } from './mapData';
import type { QueryHighlights } from './mapData';
import { factsOf, facetViews, findingViews, isNormalising } from './views';
import type { FunctionFact } from './views';

export interface SessionDeps {
  client: ChromaClient;
  collection: Collection;
  connection: string;
  fn?: FunctionFact;
  /** `chroma.overview.sampleSize`, read at each scan. */
  sampleSize: () => number;
  sourceExists: (source: string) => Promise<boolean>;
  /** dist/projectionWorker.js. */
  workerFile: string;
  queries?: QueryHighlights;
  canExport: boolean;
  post: (m: ToWebview) => void;
  log: { warn(message: string): void; info(message: string): void };
}

const PROGRESS_EVERY_MS = 100;
const SNIPPET = 300;

export class OverviewSession {
  private scan: Scan | undefined;
  private facets: Facet[] = [];
  private findings: Finding[] = [];
  private coords: Float32Array | undefined;
  private queryXY: number[] | null = null;
  private method: Method = 'pca';
  private colorFacet = -1;
  private colorChosen = false;
  private indexOf: Map<string, number> | undefined;
  private scanJob: AbortController | undefined;
  private projectJob: AbortController | undefined;
  private readonly latest = new Map<string, ToWebview>();
  private chunks: ToWebview[] = [];
  private lastProgress = 0;
  private disposed = false;

  constructor(private readonly deps: SessionDeps) {
    this.send({ type: 'init', title: displayLine(deps.collection.name, LIMITS.label), facts: this.facts(), sampleSize: deps.sampleSize(), canExport: deps.canExport });
  }

  /** Whether a scan or projection is running. */
  get busy(): boolean {
    return Boolean(this.scanJob || this.projectJob);
  }

  /** Sends everything the page shows again (a page that was reloaded asks with `ready`). */
  replay(): void {
    for (const type of ['init', 'scanned', 'facets', 'health', 'error']) {
      const m = this.latest.get(type);
      if (m) {
        this.deps.post(m);
      }
    }
    this.chunks.forEach((m) => this.deps.post(m));
    for (const type of ['colors', 'highlight', 'progress']) {
      const m = this.latest.get(type);
      if (m) {
        this.deps.post(m);
      }
    }
  }

  /** Reads the collection (`all`: every record, else a sample of `sampleSize`) and computes everything from it. */
  async run(all: boolean): Promise<void> {
    this.cancel();
    const job = new AbortController();
    this.scanJob = job;
    const { signal } = job;
    this.latest.delete('error');
    try {
      const limit = all ? LIMITS.maxPoints : Math.max(1, Math.min(LIMITS.maxPoints, Math.floor(this.deps.sampleSize())));
      this.progress('scan', 0, 'Reading records…', true);
      // the count first (one small request), so the facts show it while the records are read
      const count = await this.deps.client.count(this.deps.collection, { signal });
      this.send({ type: 'init', title: displayLine(this.deps.collection.name, LIMITS.label), facts: this.facts(count), sampleSize: this.deps.sampleSize(), canExport: this.deps.canExport });
      const scan = await scanCollection(this.deps.client, this.deps.collection, {
        limit,
        signal,
        onProgress: (read, of) => this.progress('scan', of > 0 ? read / of : 0, `Reading records: ${formatCount(read)} of ${formatCount(of)}`, true),
      });
      if (signal.aborted || this.disposed) {
        return;
      }
      this.scan = scan;
      this.indexOf = undefined;
      this.coords = undefined;
      this.chunks = [];
      this.latest.delete('colors');
      this.latest.delete('highlight');
      this.send({ type: 'init', title: displayLine(this.deps.collection.name, LIMITS.label), facts: this.facts(scan.total), sampleSize: this.deps.sampleSize(), canExport: this.deps.canExport });
      this.send({ type: 'scanned', total: scan.total, read: scan.ids.length, sampled: scan.sampled, dim: scan.dim });

      this.progress('facets', 0, 'Counting metadata values…', true);
      this.facets = computeFacets(scan.metadatas).slice(0, LIMITS.facets);
      this.send({ type: 'facets', facets: facetViews(this.facets) });
      if (!this.colorChosen) {
        this.colorFacet = defaultColorFacet(this.facets, scan.ids.length);
      } else if (this.colorFacet >= this.facets.length) {
        this.colorFacet = -1;
      }

      this.progress('health', 0, 'Checking health…', true);
      const space = distanceSpace(this.deps.collection);
      this.findings = await healthCheck(scan, {
        space: space === 'cosine' || space === 'ip' ? space : 'l2',
        normalising: isNormalising(this.deps.fn),
        sourceExists: this.deps.sourceExists,
      });
      if (signal.aborted || this.disposed) {
        return;
      }
      this.findings = this.findings.slice(0, LIMITS.findings);
      this.send({ type: 'health', findings: findingViews(this.findings) });
    } catch (e) {
      if (!signal.aborted) {
        this.fail('Reading the collection', e);
      }
      return;
    } finally {
      if (this.scanJob === job) {
        this.scanJob = undefined;
      }
      if (signal.aborted && !this.disposed) {
        this.progress('done', 1, 'Cancelled.', false);
      }
    }
    await this.reproject(this.method);
  }

  /** How many records were read (the points a projection places). */
  get pointCount(): number {
    return this.scan?.ids.length ?? 0;
  }

  /** Projects the records read with `method` (PCA, or UMAP), with the last query's vector placed too. */
  async reproject(method: Method): Promise<void> {
    const scan = this.scan;
    if (!scan) {
      return;
    }
    this.projectJob?.abort();
    const job = new AbortController();
    this.projectJob = job;
    const { signal } = job;
    const n = scan.ids.length;
    try {
      if (scan.dim === 0 || n === 0) {
        this.method = method;
        this.coords = new Float32Array(0);
        this.chunks = pointMessages(this.coords, 0, method);
        this.chunks.forEach((m) => this.deps.post(m));
        this.progress('done', 1, n === 0 ? 'The collection has no records.' : 'The records have no embeddings to map.', false);
        return;
      }
      const name = method === 'pca' ? 'PCA' : 'UMAP';
      this.progress('project', 0, `Projecting ${formatCount(n)} points with ${name}…`, true);
      const q = this.deps.queries?.lastFor(this.deps.connection, this.deps.collection.id);
      const extra = q && q.vector.length === scan.dim ? Float32Array.from(q.vector) : undefined;
      const out = await project(
        { vectors: scan.vectors, n, dim: scan.dim, extra, method },
        {
          workerFile: this.deps.workerFile,
          signal,
          onProgress: (fraction, phase) => this.progress('project', fraction, `${name}: ${displayLine(phase, 80) || 'working'}… ${Math.round(fraction * 100)}%`, true),
        },
      );
      if (signal.aborted || this.disposed) {
        return;
      }
      this.method = method;
      this.coords = out.coords;
      this.queryXY = extra && out.extraCoords.length >= 2 ? [out.extraCoords[0], out.extraCoords[1]] : null;
      this.chunks = pointMessages(out.coords, n, method);
      this.chunks.forEach((m) => this.deps.post(m));
      this.sendColors();
      this.sendHighlight();
      this.progress('done', 1, `${name} map of ${formatCount(n)} points.`, false);
    } catch (e) {
      if (!signal.aborted) {
        this.fail(`Projecting with ${method === 'pca' ? 'PCA' : 'UMAP'}`, e);
      }
    } finally {
      if (this.projectJob === job) {
        this.projectJob = undefined;
      }
      if (signal.aborted && !this.disposed && !this.scanJob) {
        this.progress('done', 1, this.coords ? 'Cancelled; the map shown is the one before.' : 'Cancelled.', false);
      }
    }
  }

  cancel(): void {
    this.scanJob?.abort();
    this.projectJob?.abort();
  }

  colorBy(facet: number): void {
    this.colorFacet = facet >= 0 && facet < this.facets.length ? facet : -1;
    this.colorChosen = true;
    this.sendColors();
  }

  /** The last query changed: highlight its hits (its own point is placed at the next projection). */
  refreshHighlight(): void {
    this.queryXY = null;
    this.sendHighlight();
  }

  /** The full id of a point, if there is one at that index. */
  idAt(index: number): string | undefined {
    return this.scan && index >= 0 && index < this.scan.ids.length ? this.scan.ids[index] : undefined;
  }

  pointInfo(index: number): ToWebview | undefined {
    const id = this.idAt(index);
    if (id === undefined || !this.scan) {
      return undefined;
    }
    const doc = this.scan.documents[index];
    return { type: 'pointInfo', index, id: displayLine(id, LIMITS.label) || '(blank id)', document: doc === null || doc === undefined ? null : displayLine(doc, SNIPPET) };
  }

  exampleId(finding: number, example: number): string | undefined {
    return this.findings[finding]?.exampleIds[example];
  }

  /** The key and full value of a facet's top value, for a record filter. */
  filterOf(facet: number, value: number): { key: string; value: string | number | boolean } | undefined {
    const f = this.facets[facet];
    const t = f?.top[value];
    return f && t ? { key: f.key, value: t.value } : undefined;
  }

  idsOf(indices: readonly number[]): string[] {
    const ids: string[] = [];
    const seen = new Set<number>();
    for (const i of indices) {
      const id = this.idAt(i);
      if (id !== undefined && !seen.has(i)) {
        seen.add(i);
        ids.push(id);
      }
    }
    return ids;
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
    this.scan = undefined;
    this.coords = undefined;
    this.chunks = [];
    this.latest.clear();
  }

  private facts(count?: number) {
    return factsOf({ connection: this.deps.connection, collection: this.deps.collection, count, fn: this.deps.fn });
  }

  private sendColors(): void {
    if (!this.scan || !this.coords) {
      return;
    }
    this.send(colorMessage(this.scan.metadatas, this.facets[this.colorFacet]));
  }

  private sendHighlight(): void {
    if (!this.scan || !this.coords) {
      return;
    }
    if (!this.indexOf) {
      this.indexOf = new Map(this.scan.ids.map((id, i) => [id, i]));
    }
    const q = this.deps.queries?.lastFor(this.deps.connection, this.deps.collection.id);
    this.send(highlightMessage(q, this.indexOf, this.queryXY));
  }

  private progress(phase: Phase, fraction: number, text: string, cancellable: boolean): void {
    const now = Date.now();
    const last = this.latest.get('progress');
    // the same phase within PROGRESS_EVERY_MS: skip (the page would not show it anyway)
    if (last?.type === 'progress' && last.phase === phase && phase !== 'done' && now - this.lastProgress < PROGRESS_EVERY_MS && fraction < 1) {
      return;
    }
    this.lastProgress = now;
    this.send({ type: 'progress', phase, fraction: Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)), text: displayLine(text, LIMITS.text), cancellable });
  }

  private fail(what: string, e: unknown): void {
    const text = `${what} failed: ${describeError(e)}`;
    this.deps.log.warn(`${this.deps.collection.name}: ${text}`);
    this.send({ type: 'error', text: displayLine(text, LIMITS.text) });
    this.progress('done', 1, '', false);
  }

  private send(m: ToWebview): void {
    if (this.disposed) {
      return;
    }
    if (m.type !== 'points' && m.type !== 'pointInfo' && m.type !== 'reveal' && m.type !== 'probe') {
      this.latest.set(m.type, m);
    }
    this.deps.post(m);
  }
}
