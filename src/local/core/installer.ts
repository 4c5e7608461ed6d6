/**
 * Installs npm `chromadb` (its CLI) and its platform binding into a folder of the extension's global storage, from
 * the npm registry, with no `npm` binary: the registry's JSON, tarballs verified against their sha512 integrity,
 * unpacked with `tar`. Dependencies are resolved as the packages declare them into one flat node_modules (chromadb
 * 3.x needs only `semver`, which needs nothing); two requirements that one version cannot meet stop the install.
 * Nothing is written to the final folder until every package is in: an install is complete or absent.
 *
 * Which versions: the binding is native code, linked against the system's C library. Bindings from 1.3 on need
 * glibc 2.39 (objdump of 1.3.4's GLIBC_ symbols); 1.0.1 (server Chroma 1.0.0) needs 2.34. So on Linux with glibc
 * older than 2.39 (Debian 12: 2.36, Ubuntu 22.04: 2.35) the default pair is chromadb 3.0.6 with binding 1.0.1 (the
 * pair this project pins and tests); elsewhere it is the newest chromadb 3.x with the binding it declares, which
 * opens folders written by newer Chroma too.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { satisfies } from 'semver';
import { LocalServerError } from './errors';
import { INSTALL_MARKER } from './installed';
import type { InstalledChroma } from './installed';
import { downloadTarball, resolvePackage } from './npmRegistry';
import type { PackageVersion, RegistryOptions } from './npmRegistry';
import { bindingPackageName } from './provenance';

export interface InstallVersions {
  /** A version or range of npm chromadb. */
  chromadb: string;
  /** A version or range of its platform binding; undefined: the range chromadb declares. */
  binding?: string;
}

/** The glibc this process runs on ("2.36"), undefined off Linux or on musl. */
export function glibcVersion(): string | undefined {
  if (process.platform !== 'linux') {
    return undefined;
  }
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: unknown } } | undefined)?.header;
  return typeof header?.glibcVersionRuntime === 'string' ? header.glibcVersionRuntime : undefined;
}

function olderThan(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map(Number);
  return a < major || (a === major && b < minor);
}

/** The version pair for this system (see the file comment for why). */
export function defaultInstallVersions(platform: NodeJS.Platform = process.platform, glibc = glibcVersion()): InstallVersions {
  if (platform === 'linux' && glibc !== undefined && olderThan(glibc, 2, 39)) {
    return { chromadb: '3.0.6', binding: '1.0.1' };
  }
  return { chromadb: '^3.0.6' };
}

export interface InstallProgress {
  /** "Downloading chromadb-js-bindings-linux-x64-gnu 1.0.1" */
  message: string;
  /** 0–1 over the whole install, when the sizes are known. */
  fraction?: number;
}

export interface InstallOptions extends RegistryOptions {
  /** The folder installs live in (a folder of global storage); each install gets a subfolder. */
  installDir: string;
  versions?: InstallVersions;
  platform?: NodeJS.Platform;
  arch?: string;
  onProgress?: (p: InstallProgress) => void;
}

function conflict(name: string, had: string, range: string): LocalServerError {
  return new LocalServerError(`Cannot install Chroma: ${name} ${had} is needed, and a version matching ${range} too.`, 'install');
}

/** chromadb, its binding and their dependencies, flat. */
async function resolveAll(versions: InstallVersions, bindingName: string, opts: InstallOptions): Promise<PackageVersion[]> {
  const chromadb = await resolvePackage('chromadb', versions.chromadb, opts);
  const declared = chromadb.optionalDependencies[bindingName];
  if (!declared) {
    throw new LocalServerError(`chromadb ${chromadb.version} has no binding for this system (${bindingName}).`, 'unsupported-platform');
  }
  const picked = new Map<string, PackageVersion>([['chromadb', chromadb]]);
  picked.set(bindingName, await resolvePackage(bindingName, versions.binding ?? declared, opts));
  const queue = [...picked.values()];
  while (queue.length) {
    const pkg = queue.shift() as PackageVersion;
    for (const [name, range] of Object.entries(pkg.dependencies)) {
      const had = picked.get(name);
      if (had) {
        if (!satisfies(had.version, range)) {
          throw conflict(name, had.version, range);
        }
        continue;
      }
      const dep = await resolvePackage(name, range, opts);
      picked.set(name, dep);
      queue.push(dep);
    }
  }
  return [...picked.values()];
}

/**
 * Installs Chroma into a new subfolder of `installDir` and returns it. Cancel with `signal`: nothing is left behind.
 * Throws LocalServerError ('unsupported-platform', 'install', 'cancelled').
 */
export async function installChroma(opts: InstallOptions): Promise<InstalledChroma> {
  const bindingName = bindingPackageName(opts.platform, opts.arch);
  if (!bindingName) {
    const where = `${opts.platform ?? process.platform} ${opts.arch ?? process.arch}`;
    throw new LocalServerError(
      `The npm Chroma CLI does not run on ${where}. Install Python chromadb (pip install chromadb) and set chroma.local.serverCommand to its chroma.`,
      'unsupported-platform',
    );
  }
  const versions = opts.versions ?? defaultInstallVersions(opts.platform);
  opts.onProgress?.({ message: 'Looking up chromadb on the npm registry' });
  const packages = await resolveAll(versions, bindingName, opts);
  await mkdir(opts.installDir, { recursive: true });
  const staging = await mkdtemp(join(opts.installDir, '.install-'));
  try {
    const received = new Map<string, number>();
    const totals = new Map<string, number>();
    for (const pkg of packages) {
      opts.onProgress?.({ message: `Downloading ${pkg.name} ${pkg.version}` });
      const bytes = await downloadTarball(pkg, {
        ...opts,
        onBytes: (n, total) => {
          received.set(pkg.name, n);
          if (total) {
            totals.set(pkg.name, total);
          }
          const all = [...totals.values()].reduce((a, b) => a + b, 0);
          const got = [...received.values()].reduce((a, b) => a + b, 0);
          opts.onProgress?.({ message: `Downloading ${pkg.name} ${pkg.version}`, fraction: totals.size === packages.length && all ? got / all : undefined });
        },
      });
      await unpack(bytes, join(staging, 'node_modules', pkg.name), opts.signal);
    }
    const chromadb = packages[0];
    const binding = packages[1];
    const info = { chromadb: chromadb.version, binding: binding.version, bindingPackage: binding.name, installedAt: new Date().toISOString() };
    await writeFile(join(staging, INSTALL_MARKER), JSON.stringify(info, null, 2));
    const dir = join(opts.installDir, `chromadb-${chromadb.version}+binding-${binding.version}`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    opts.onProgress?.({ message: `Installed chromadb ${chromadb.version} with binding ${binding.version}`, fraction: 1 });
    return { dir, packageDir: join(dir, 'node_modules', 'chromadb'), ...info };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (opts.signal?.aborted) {
      throw new LocalServerError('The Chroma install was cancelled; nothing was installed.', 'cancelled');
    }
    throw e;
  }
}

/** An npm tarball (gzip, `package/` at its top) into `dest`. */
async function unpack(bytes: Buffer, dest: string, signal?: AbortSignal): Promise<void> {
  await mkdir(dest, { recursive: true });
  const tar = await import('tar');
  await pipeline(Readable.from([bytes]), tar.x({ cwd: dest, strip: 1, strict: true }), { signal });
}
