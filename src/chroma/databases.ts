/** Tenants and databases: get and create tenants; list, name, create, get and delete databases. No `vscode` here. */
import { seg } from './caller';
import type { ApiCaller } from './caller';
import type { DatabaseNames, PageOptions, Signal } from './clientTypes';
import { isMissingEndpoint } from './errors';
import type { Server } from './server';
import { anyShape, databaseShape, listShape, tenantShape } from './shapes';
import type { Database, Tenant } from './types';
import { validatePaging, validateScopeName } from './validate';

export class Databases {
  constructor(
    private readonly caller: ApiCaller,
    private readonly server: Server,
  ) {}

  getTenant(name: string, opts: Signal = {}): Promise<Tenant> {
    return this.caller.call('GET', `/tenants/${seg(name)}`, tenantShape, opts);
  }

  async createTenant(name: string, opts: Signal = {}): Promise<void> {
    validateScopeName('tenant', name);
    await this.caller.call('POST', '/tenants', anyShape, { ...opts, body: { name } });
  }

  async list(opts: PageOptions & { tenant?: string } = {}): Promise<Database[]> {
    validatePaging(opts.limit, opts.offset);
    const tenant = await this.server.tenant(opts.tenant, opts);
    const item = (at: string) => databaseShape(tenant, at);
    return this.caller.call('GET', `/tenants/${seg(tenant)}/databases`, listShape(item, opts.limit), {
      signal: opts.signal,
      query: { limit: opts.limit, offset: opts.offset },
    });
  }

  /** Every database name of a tenant, page by page, or the names it is known to have (see client.ts). */
  async names(opts: Signal & { tenant?: string; pageSize?: number } = {}): Promise<DatabaseNames> {
    const tenant = await this.server.tenant(opts.tenant, opts);
    const limit = opts.pageSize ?? 100;
    const names: string[] = [];
    try {
      for (let offset = 0; ; offset += limit) {
        const page = await this.list({ tenant, limit, offset, signal: opts.signal });
        names.push(...page.map((d) => d.name));
        if (page.length < limit) {
          return { names, listed: true };
        }
      }
    } catch (e) {
      if (!isMissingEndpoint(e)) {
        throw e;
      }
    }
    return { names: await this.known(tenant, opts), listed: false };
  }

  /** The connection's database, else the ones `/auth/identity` names for this tenant, else the default scope's. */
  private async known(tenant: string, opts: Signal): Promise<string[]> {
    const fixed = this.server.fixedDatabase;
    if (fixed) {
      return [fixed];
    }
    const identity = await this.server.identity(opts).catch(() => undefined);
    if (identity && identity.tenant === tenant && identity.databases.length > 0) {
      return [...identity.databases];
    }
    return [(await this.server.scope(opts)).database];
  }

  async create(name: string, opts: Signal & { tenant?: string } = {}): Promise<void> {
    validateScopeName('database', name);
    const tenant = await this.server.tenant(opts.tenant, opts);
    await this.caller.call('POST', `/tenants/${seg(tenant)}/databases`, anyShape, { signal: opts.signal, body: { name } });
  }

  async get(name: string, opts: Signal & { tenant?: string } = {}): Promise<Database> {
    const tenant = await this.server.tenant(opts.tenant, opts);
    return this.caller.call('GET', `/tenants/${seg(tenant)}/databases/${seg(name)}`, databaseShape(tenant), opts);
  }

  async delete(name: string, opts: Signal & { tenant?: string } = {}): Promise<void> {
    const tenant = await this.server.tenant(opts.tenant, opts);
    await this.caller.call('DELETE', `/tenants/${seg(tenant)}/databases/${seg(name)}`, anyShape, { signal: opts.signal });
  }
}
