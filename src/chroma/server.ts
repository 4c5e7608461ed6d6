/**
 * What the client asks of its server and learns about it, once per client: heartbeat, version, health, pre-flight
 * (cached), the OpenAPI routes, the capabilities (detected once, then kept up to date by use), and the default scope
 * (configured, else from `/auth/identity`, cached). The checks that depend on what the server is (filter parts its
 * generation lacks, list metadata values) live here too. No `vscode` here.
 */
import { answerText, capabilityFromAnswer, detectCapabilities, parseOpenApi, withLearnt } from './capabilities';
import type { Capability, Feature, OpenApiRoutes, ServerCapabilities } from './capabilities';
import type { ApiCaller } from './caller';
import type { Signal } from './clientTypes';
import {
  ChromaError,
  ChromaNotChromaError,
  ChromaNotFoundError,
  ChromaUnexpectedResponseError,
  ChromaUnsupportedError,
} from './errors';
import { unsupportedFilterPart, usesNewerFilterParts } from './filterSupport';
import { generationLabel, serverGeneration } from './generation';
import type { RecordLimits } from './limits';
import { anyShape, healthcheckShape, heartbeatShape, identityShape, preflightShape, versionShape } from './shapes';
import { DEFAULT_DATABASE, DEFAULT_TENANT } from './types';
import type { Collection, Healthcheck, Identity, PreflightChecks, Scope } from './types';

/** A cached pending answer that is forgotten when it fails, so the next call asks again. */
function cacheUnlessFailed<T>(pending: Promise<T>, forget: (p: Promise<T>) => void): Promise<T> {
  pending.catch(() => forget(pending));
  return pending;
}

export class Server {
  private preflightCache?: Promise<PreflightChecks>;
  private scopeCache?: Promise<Scope>;
  private capabilityCache?: Promise<ServerCapabilities>;
  /** What use has taught since detection (a feature that answered "not implemented", or that worked). */
  private learnt: Partial<Record<Feature, Capability>> = {};

  constructor(
    private readonly caller: ApiCaller,
    readonly limits: RecordLimits,
    private readonly fixedScope: Partial<Scope>,
    /** The scope's first collection, for the capabilities that need one to tell. */
    private readonly sampleCollection: (scope: Scope, opts: Signal) => Promise<Collection | undefined>,
  ) {}

  heartbeat(opts: Signal & { timeoutMs?: number; retries?: number } = {}): Promise<number> {
    return this.caller.call('GET', '/heartbeat', heartbeatShape, opts);
  }

  version(opts: Signal = {}): Promise<string> {
    return this.caller.call('GET', '/version', versionShape, opts);
  }

  preflight(opts: Signal & { refresh?: boolean } = {}): Promise<PreflightChecks> {
    if (!this.preflightCache || opts.refresh) {
      this.preflightCache = cacheUnlessFailed(this.caller.call('GET', '/pre-flight-checks', preflightShape, { signal: opts.signal }), (p) => {
        if (this.preflightCache === p) {
          this.preflightCache = undefined;
        }
      });
    }
    return this.preflightCache;
  }

  healthcheck(opts: Signal = {}): Promise<Healthcheck> {
    return this.caller.call('GET', '/healthcheck', healthcheckShape, opts);
  }

  async openApi(opts: Signal & { timeoutMs?: number } = {}): Promise<OpenApiRoutes | undefined> {
    try {
      const doc = await this.caller.transport.request<unknown>('GET', '/openapi.json', { ...opts, idempotent: true, retries: 0 });
      return parseOpenApi(doc);
    } catch (e) {
      if (e instanceof ChromaNotFoundError || e instanceof ChromaUnsupportedError || e instanceof ChromaUnexpectedResponseError) {
        return undefined;
      }
      throw e;
    }
  }

  async capabilities(opts: Signal & { refresh?: boolean } = {}): Promise<ServerCapabilities> {
    if (!this.capabilityCache || opts.refresh) {
      const probe = { signal: opts.signal, retries: 0, timeoutMs: Math.min(this.caller.transport.timeoutMs, 10_000) };
      const pending = detectCapabilities({
        preflight: () => this.preflight({ signal: opts.signal, refresh: opts.refresh }),
        version: () => this.version(probe),
        openApi: () => this.openApi(probe),
        scope: () => this.scope(probe),
        sampleCollection: (scope) => this.sampleCollection(scope, { signal: opts.signal }),
        attempt: (method, path, o = {}) => this.caller.call(method, path, anyShape, { ...probe, ...o }),
      });
      this.learnt = {};
      this.capabilityCache = cacheUnlessFailed(pending, (p) => {
        if (this.capabilityCache === p) {
          this.capabilityCache = undefined;
        }
      });
    }
    return withLearnt(await this.capabilityCache, this.learnt);
  }

  learn(feature: Feature, capability: Capability): void {
    this.learnt[feature] = capability;
  }

  /** The limits writes are checked by, with whether the server is too old for list metadata values (see client.ts). */
  async recordLimits(opts: Signal & { lists?: boolean } = {}): Promise<RecordLimits> {
    if (opts.lists === false) {
      return this.limits;
    }
    const caps = await this.capabilities({ signal: opts.signal });
    return caps.features.listMetadata.support === 'no' ? { ...this.limits, listsRefusedBy: generationLabel(caps) } : this.limits;
  }

  /**
   * Refuses, before sending, a filter part the server's generation cannot take (0.x: regular expressions, $and / $or
   * of fewer than two, …; 1.x before 1.5: $contains on metadata, #document), saying so. Detection runs only for
   * filters that use such a part.
   */
  async checkFilterSupport(filter: { where?: unknown; whereDocument?: unknown }, opts: Signal): Promise<void> {
    if (!usesNewerFilterParts(filter)) {
      return;
    }
    const caps = await this.capabilities({ signal: opts.signal });
    const part = unsupportedFilterPart(filter, serverGeneration(caps));
    if (part) {
      throw new ChromaUnsupportedError(`Filter not supported by this server (${generationLabel(caps)}): ${part}.`, { operation: 'filter' });
    }
  }

  /**
   * A feature's call failed: when the answer says the server does not implement it, that is remembered and the error
   * becomes one that says so in the user's terms (`what` and `hint`); any other failure is returned as it is.
   */
  featureError(feature: Feature, e: unknown, what: string, hint: string): unknown {
    const found = capabilityFromAnswer(e);
    if (found.support !== 'no' || !(e instanceof ChromaError)) {
      return e;
    }
    this.learn(feature, { support: 'no', how: found.how });
    return new ChromaUnsupportedError(`Chroma at ${this.caller.host} ${what} (${answerText(e, 120)}). ${hint}`, {
      status: e.status,
      serverKind: e.serverKind,
      serverMessage: e.serverMessage,
      operation: e.operation,
    });
  }

  identity(opts: Signal = {}): Promise<Identity> {
    return this.caller.call('GET', '/auth/identity', identityShape, opts);
  }

  /** The default tenant and database (see client.ts). */
  scope(opts: Signal = {}): Promise<Scope> {
    if (this.fixedScope.tenant && this.fixedScope.database) {
      return Promise.resolve(this.fixedScope as Scope);
    }
    this.scopeCache ??= cacheUnlessFailed(this.resolveScope(opts), (p) => {
      if (this.scopeCache === p) {
        this.scopeCache = undefined;
      }
    });
    return this.scopeCache;
  }

  private async resolveScope(opts: Signal): Promise<Scope> {
    let identity: Identity | undefined;
    try {
      identity = await this.identity(opts);
    } catch (e) {
      // No /auth/identity (or not Chroma at all): the defaults. A v1-only server's error goes up as it is.
      if (!(e instanceof ChromaNotFoundError || e instanceof ChromaNotChromaError || e instanceof ChromaUnsupportedError)) {
        throw e;
      }
    }
    const tenant = this.fixedScope.tenant ?? (identity?.tenant || DEFAULT_TENANT);
    const dbs = identity?.databases ?? [];
    const database =
      this.fixedScope.database ??
      (dbs.length === 1 ? dbs[0] : dbs.includes(DEFAULT_DATABASE) || dbs.length === 0 ? DEFAULT_DATABASE : dbs[0]);
    return { tenant, database };
  }

  /** A scope with what it leaves out filled in from the default one. */
  async resolve(scope?: Partial<Scope>, opts: Signal = {}): Promise<Scope> {
    if (scope?.tenant && scope.database) {
      return scope as Scope;
    }
    const base = await this.scope(opts);
    return { tenant: scope?.tenant ?? base.tenant, database: scope?.database ?? base.database };
  }

  /** The tenant asked for, else the default scope's. */
  async tenant(tenant: string | undefined, opts: Signal): Promise<string> {
    return tenant ?? (await this.scope(opts)).tenant;
  }

  /** The database the connection names, when it names one. */
  get fixedDatabase(): string | undefined {
    return this.fixedScope.database;
  }
}
