/**
 * Typed guards for what a Chroma server answers. Each one takes the parsed JSON body and returns it typed (with
 * fields older servers omit filled in, and base64 embeddings decoded), or throws ShapeMismatch saying what was
 * expected where. Extra fields newer servers add (`schema`, `resource_name`, …) pass through untouched; wrong types
 * and inconsistent lengths are refused, so garbage never reaches the tree or the record views as data. This module
 * has the server's, tenants', databases' and collections' answers; resultShapes.ts those of records.
 */
import { ShapeMismatch, arr, int, mismatch, metadata, name, names, nullable, obj, optional, str } from './shapeChecks';
import type { Shape } from './shapeChecks';
import type { Collection, CollectionConfiguration, Database, Healthcheck, Identity, PreflightChecks, Scope, Tenant } from './types';

export { ShapeMismatch };
export type { Shape } from './shapeChecks';
export { getResultShape, indexingStatusShape, queryResultShape, searchResultShape } from './resultShapes';

// ------------------------------------------------------------------ system

export const heartbeatShape: Shape<number> = (value) => {
  const ns = obj(value, '', 'an object with a "nanosecond heartbeat"')['nanosecond heartbeat'];
  return typeof ns === 'number' && Number.isFinite(ns) ? ns : mismatch('"nanosecond heartbeat"', 'a number', ns);
};

export const versionShape: Shape<string> = (value) =>
  typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : mismatch('', 'a short version string', value);

export const preflightShape: Shape<PreflightChecks> = (value) => {
  const o = obj(value, '');
  int(o.max_batch_size, 'max_batch_size', 1);
  optional(o.supports_base64_encoding, (v) => (typeof v === 'boolean' ? v : mismatch('supports_base64_encoding', 'true or false', v)));
  return o as PreflightChecks;
};

export const healthcheckShape: Shape<Healthcheck> = (value) => obj(value, '') as Healthcheck;

export const identityShape: Shape<Identity> = (value) => {
  const o = obj(value, '');
  return {
    ...o,
    user_id: optional(o.user_id, (v) => str(v, 'user_id')) ?? '',
    tenant: name(o.tenant, 'tenant'),
    databases: optional(o.databases, (v) => names(v, 'databases')) ?? [],
  };
};

// ------------------------------------------------------------------ tenants, databases, collections

export const tenantShape: Shape<Tenant> = (value) => {
  const o = obj(value, '');
  return { ...o, name: name(o.name, 'name') };
};

export function databaseShape(tenant: string, at = ''): Shape<Database> {
  return (value) => {
    const o = obj(value, at);
    const p = at ? `${at}.` : '';
    return {
      ...o,
      id: str(o.id, `${p}id`),
      name: name(o.name, `${p}name`),
      tenant: optional(o.tenant, (v) => name(v, `${p}tenant`)) ?? tenant,
    };
  };
}

export const countShape: Shape<number> = (value) => int(value, '');

/** A collection; `scope` fills tenant and database when an older server leaves them out. */
export function collectionShape(scope: Scope, at = ''): Shape<Collection> {
  return (value) => {
    const o = obj(value, at);
    const p = at ? `${at}.` : '';
    return {
      ...o,
      id: name(o.id, `${p}id`),
      name: name(o.name, `${p}name`),
      metadata: nullable(o.metadata, (v) => metadata(v, `${p}metadata`)),
      dimension: nullable(o.dimension, (v) => int(v, `${p}dimension`)),
      configuration_json: nullable(o.configuration_json, (v) => obj(v, `${p}configuration_json`) as CollectionConfiguration),
      tenant: optional(o.tenant, (v) => name(v, `${p}tenant`)) ?? scope.tenant,
      database: optional(o.database, (v) => name(v, `${p}database`)) ?? scope.database,
      log_position: optional(o.log_position, (v) => int(v, `${p}log_position`)),
      version: optional(o.version, (v) => int(v, `${p}version`)),
    };
  };
}

/** An array of items, each checked, of at most `limit` items when a limit was asked for. */
export function listShape<T>(item: (at: string) => Shape<T>, limit?: number): Shape<T[]> {
  return (value) => {
    const list = arr(value, '');
    if (limit !== undefined && list.length > limit) {
      throw new ShapeMismatch(`expected at most ${limit} items (the limit asked for), got ${list.length}`);
    }
    return list.map((v, i) => item(`[${i}]`)(v));
  };
}

/** Writes and deletes: Chroma answers `{}` (1.x) or `true` (0.6); any JSON is taken, nothing is read from it. */
export const anyShape: Shape<unknown> = (value) => value;
