/**
 * Just enough of the npm registry to install a few packages without an `npm` binary: a package's metadata (checked,
 * bounded), the version a range picks, and a tarball downloaded and verified against the registry's `dist.integrity`.
 */
import { createHash } from 'node:crypto';
import { maxSatisfying, validRange } from 'semver';
import { LocalServerError, errorText } from './errors';

export const NPM_REGISTRY = 'https://registry.npmjs.org/';
const MAX_METADATA_BYTES = 32 * 1024 * 1024;
const MAX_TARBALL_BYTES = 256 * 1024 * 1024;

export interface PackageVersion {
  name: string;
  version: string;
  tarball: string;
  /** `sha512-<base64>` */
  integrity: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
}

export interface RegistryOptions {
  /** Registry root (default https://registry.npmjs.org/). */
  registry?: string;
  signal?: AbortSignal;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string') {
        out[k] = v;
      }
    }
  }
  return out;
}

async function boundedBytes(res: Response, max: number, what: string, onBytes?: (n: number) => void): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    throw new LocalServerError(`${what} is too large (${declared} bytes, at most ${max}).`, 'install');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) {
    return Buffer.alloc(0);
  }
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) {
      throw new LocalServerError(`${what} is too large (more than ${max} bytes).`, 'install');
    }
    chunks.push(Buffer.from(chunk));
    onBytes?.(size);
  }
  return Buffer.concat(chunks);
}

async function get(url: string, accept: string, opts: RegistryOptions, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept }, signal: opts.signal, redirect: 'follow' });
  } catch (e) {
    if (opts.signal?.aborted) {
      throw new LocalServerError('The Chroma install was cancelled.', 'cancelled');
    }
    throw new LocalServerError(`Could not reach the npm registry for ${what} (${errorText(e)}). Check the network and try again.`, 'install');
  }
  if (!res.ok) {
    throw new LocalServerError(`The npm registry answered ${res.status} for ${what}.`, 'install');
  }
  return res;
}

/** The version of `name` that `range` picks (an exact version is a range too), with its tarball and integrity. */
export async function resolvePackage(name: string, range: string, opts: RegistryOptions = {}): Promise<PackageVersion> {
  const registry = new URL(opts.registry ?? NPM_REGISTRY);
  if (!validRange(range)) {
    throw new LocalServerError(`${JSON.stringify(range)} is not a version range for ${name}.`, 'install');
  }
  const url = new URL(name.replace('/', '%2f'), registry.href.endsWith('/') ? registry : `${registry.href}/`);
  const res = await get(url.href, 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8', opts, name);
  let doc: unknown;
  try {
    doc = JSON.parse((await boundedBytes(res, MAX_METADATA_BYTES, `The registry's answer for ${name}`)).toString('utf8'));
  } catch (e) {
    throw e instanceof LocalServerError ? e : new LocalServerError(`The npm registry's answer for ${name} is not JSON.`, 'install');
  }
  const versions = (doc as { versions?: unknown } | null)?.versions;
  if (!versions || typeof versions !== 'object') {
    throw new LocalServerError(`The npm registry's answer for ${name} lists no versions.`, 'install');
  }
  const picked = maxSatisfying(Object.keys(versions), range);
  if (!picked) {
    throw new LocalServerError(`The npm registry has no ${name} matching ${range}.`, 'install');
  }
  const v = (versions as Record<string, { dist?: { tarball?: unknown; integrity?: unknown }; dependencies?: unknown; optionalDependencies?: unknown }>)[picked];
  const tarball = v.dist?.tarball;
  const integrity = v.dist?.integrity;
  if (typeof tarball !== 'string' || typeof integrity !== 'string' || !integrity.startsWith('sha512-')) {
    throw new LocalServerError(`The npm registry gives ${name}@${picked} no tarball with a sha512 integrity.`, 'install');
  }
  const tarUrl = new URL(tarball, registry);
  if (tarUrl.origin !== registry.origin) {
    throw new LocalServerError(`The npm registry sends ${name}@${picked}'s tarball from another host (${tarUrl.host}); it was not downloaded.`, 'install');
  }
  return {
    name,
    version: picked,
    tarball: tarUrl.href,
    integrity,
    dependencies: stringRecord(v.dependencies),
    optionalDependencies: stringRecord(v.optionalDependencies),
  };
}

/** The tarball's bytes, verified against its sha512 integrity. */
export async function downloadTarball(pkg: PackageVersion, opts: RegistryOptions & { onBytes?: (received: number, total?: number) => void } = {}): Promise<Buffer> {
  const what = `${pkg.name}@${pkg.version}`;
  const res = await get(pkg.tarball, 'application/octet-stream', opts, what);
  const total = Number(res.headers.get('content-length') ?? NaN);
  let bytes: Buffer;
  try {
    bytes = await boundedBytes(res, MAX_TARBALL_BYTES, what, (n) => opts.onBytes?.(n, Number.isFinite(total) ? total : undefined));
  } catch (e) {
    if (opts.signal?.aborted) {
      throw new LocalServerError('The Chroma install was cancelled.', 'cancelled');
    }
    throw e instanceof LocalServerError ? e : new LocalServerError(`The download of ${what} broke off (${errorText(e)}). Try again.`, 'install');
  }
  const expected = pkg.integrity.slice('sha512-'.length);
  const actual = createHash('sha512').update(bytes).digest('base64');
  if (actual !== expected) {
    throw new LocalServerError(`${what} does not match the registry's integrity (sha512); it was discarded. Try again later.`, 'install');
  }
  return bytes;
}
