/**
 * Collections: list (and page through), count, get, create (in the body shape the server takes), modify, delete,
 * fork, and their indexing status. No `vscode` here.
 */
import { colPath, dbPath, seg } from './caller';
import type { ApiCaller } from './caller';
import type { CollectionRef, PageOptions, Signal } from './clientTypes';
import { ChromaInvalidArgumentError, ChromaNotFoundError, ChromaUnsupportedError } from './errors';
import { hasConfiguration, isConfigurationShapeRefusal, isLegacyConfigurationRefusal, legacyConfiguration, legacyMetadata } from './legacyCreate';
import type { CreateShape } from './legacyCreate';
import { oneLine } from './sanitize';
import type { Server } from './server';
import { anyShape, collectionShape, countShape, indexingStatusShape, listShape } from './shapes';
import type { Collection, CreateCollectionParams, IndexingStatus, Metadata, ModifyCollectionParams, Scope } from './types';
import { validateCollectionMetadata, validateCollectionName, validatePaging } from './validate';

const SHAPES: readonly CreateShape[] = ['current', 'legacy', 'metadata'];

/** The body of a create in one shape (see legacyCreate.ts). */
function createBody(shape: CreateShape, params: CreateCollectionParams): Record<string, unknown> {
  const nonEmpty = (m: Metadata | undefined) => (m && Object.keys(m).length ? m : undefined);
  const body: Record<string, unknown> = { name: params.name, get_or_create: params.getOrCreate ?? false };
  if (shape === 'current') {
    body.metadata = nonEmpty(params.metadata);
    body.configuration = params.configuration;
  } else {
    body.metadata = legacyMetadata(params.metadata, params.configuration);
    body.configuration = shape === 'legacy' ? legacyConfiguration(params.configuration) : undefined;
  }
  return body;
}

type InScope = Signal & { scope?: Partial<Scope> };

export class Collections {
  /** The create body this server takes with a configuration (0.5.18–0.6.x refuse the 1.x one). */
  private createShape: CreateShape = 'current';

  constructor(
    private readonly caller: ApiCaller,
    private readonly server: Server,
  ) {}

  async list(opts: PageOptions & { scope?: Partial<Scope> } = {}): Promise<Collection[]> {
    validatePaging(opts.limit, opts.offset);
    const scope = await this.server.resolve(opts.scope, opts);
    const item = (at: string) => collectionShape(scope, at);
    return this.caller.call('GET', `${dbPath(scope)}/collections`, listShape(item, opts.limit), {
      signal: opts.signal,
      query: { limit: opts.limit, offset: opts.offset },
    });
  }

  async *iterate(opts: InScope & { pageSize?: number } = {}): AsyncGenerator<Collection, void, undefined> {
    const limit = opts.pageSize ?? 100;
    const scope = await this.server.resolve(opts.scope, opts);
    let previous: string | undefined;
    for (let offset = 0; ; offset += limit) {
      const page = await this.list({ scope, limit, offset, signal: opts.signal });
      previous = this.caller.checkNextPage('GET …/collections', offset, previous, page[0]?.id);
      yield* page;
      if (page.length < limit) {
        return;
      }
    }
  }

  async count(opts: InScope = {}): Promise<number> {
    const scope = await this.server.resolve(opts.scope, opts);
    return this.caller.call('GET', `${dbPath(scope)}/collections_count`, countShape, opts);
  }

  async get(name: string, opts: InScope = {}): Promise<Collection> {
    const scope = await this.server.resolve(opts.scope, opts);
    return this.caller.call('GET', `${dbPath(scope)}/collections/${seg(name)}`, collectionShape(scope), opts);
  }

  /** Creates a collection, its configuration in the body shape the server takes (see client.ts). */
  async create(params: CreateCollectionParams, opts: InScope = {}): Promise<Collection> {
    validateCollectionName(params.name);
    validateCollectionMetadata(params.metadata, this.server.limits);
    const scope = await this.server.resolve(opts.scope, opts);
    const withConfig = hasConfiguration(params.configuration);
    const order = withConfig ? SHAPES.slice(SHAPES.indexOf(this.createShape)) : SHAPES.slice(0, 1);
    for (let i = 0; ; i++) {
      const shape = order[i];
      try {
        const created = await this.caller.call('POST', `${dbPath(scope)}/collections`, collectionShape(scope), {
          signal: opts.signal,
          body: createBody(shape, params),
        });
        if (withConfig) {
          this.createShape = shape;
        }
        return created;
      } catch (e) {
        const refused = shape === 'current' ? isConfigurationShapeRefusal(e) : shape === 'legacy' && isLegacyConfigurationRefusal(e);
        if (!refused || i + 1 >= order.length) {
          throw e;
        }
      }
    }
  }

  async modify(collection: CollectionRef, params: ModifyCollectionParams, opts: Signal = {}): Promise<void> {
    if (params.name !== undefined) {
      validateCollectionName(params.name);
    }
    validateCollectionMetadata(params.metadata, this.server.limits);
    await this.caller.call('PUT', colPath(collection), anyShape, {
      signal: opts.signal,
      body: { new_name: params.name, new_metadata: params.metadata, new_configuration: params.configuration },
    });
  }

  /** Deletes by name; one that is not there is a ChromaNotFoundError on every server (0.5/0.6 answer 400). */
  async delete(name: string, opts: InScope = {}): Promise<void> {
    const scope = await this.server.resolve(opts.scope, opts);
    try {
      await this.caller.call('DELETE', `${dbPath(scope)}/collections/${seg(name)}`, anyShape, { signal: opts.signal });
    } catch (e) {
      if (e instanceof ChromaInvalidArgumentError && e.status === 400 && /^Collection .* does not exist\.?$/s.test(e.serverMessage ?? '')) {
        throw new ChromaNotFoundError(`Chroma at ${this.caller.host}: ${oneLine(e.serverMessage ?? '', 150)} Refresh to see what exists now.`, {
          status: e.status,
          serverKind: e.serverKind,
          serverMessage: e.serverMessage,
          operation: e.operation,
        });
      }
      throw e;
    }
  }

  async fork(collection: CollectionRef, newName: string, opts: Signal = {}): Promise<Collection> {
    validateCollectionName(newName);
    try {
      const forked = await this.caller.call('POST', `${colPath(collection)}/fork`, collectionShape(collection), {
        signal: opts.signal,
        body: { new_name: newName },
      });
      this.server.learn('fork', { support: 'yes', how: 'a fork worked' });
      return forked;
    } catch (e) {
      throw this.server.featureError('fork', e, 'does not support forking collections', 'Forking is a Chroma Cloud feature.');
    }
  }

  async indexingStatus(collection: CollectionRef, opts: Signal & { timeoutMs?: number } = {}): Promise<IndexingStatus> {
    try {
      const status = await this.caller.call('GET', `${colPath(collection)}/indexing_status`, indexingStatusShape, opts);
      this.server.learn('indexingStatus', { support: 'yes', how: 'it answered' });
      return status;
    } catch (e) {
      throw this.server.featureError(
        'indexingStatus',
        e,
        'cannot report indexing status',
        'Chroma Cloud and distributed Chroma report it; a single-node server does not.',
      );
    }
  }

  async indexingStatusIfSupported(collection: CollectionRef, opts: Signal & { timeoutMs?: number } = {}): Promise<IndexingStatus | undefined> {
    const caps = await this.server.capabilities({ signal: opts.signal });
    if (caps.features.indexingStatus.support === 'no') {
      return undefined;
    }
    try {
      return await this.indexingStatus(collection, opts);
    } catch (e) {
      if (e instanceof ChromaUnsupportedError) {
        return undefined;
      }
      throw e;
    }
  }
}
