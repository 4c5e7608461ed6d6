/**
 * dist/extension.js: loads the extension's bundle (dist/main.js) through V8's code cache. Parsing the bundle is
 * most of what activation costs (about 10 ms of 140 KB on these machines); with the cache of an earlier start it is
 * close to nothing. The cache is written once, after activation, next to the bundle (or in the temp folder when
 * the extension's folder is read-only), and V8 itself rejects a cache that does not match the bundle or the
 * runtime, which is then rewritten. Any failure falls back to a plain require. Kept tiny: this file is parsed
 * without a cache. The bundle goes into Node's module cache, as a plain require would put it, since the second
 * bundle (dist/features.js) requires it.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

const bundle = join(__dirname, 'main.js');

/** Where the cache of this bundle lives: one name per bundle version and V8 version. */
function cacheFiles(): string[] {
  const s = statSync(bundle);
  const name = `main.${s.size}.${Math.round(s.mtimeMs)}.${process.versions.v8}.cache`;
  return [join(__dirname, name), join(tmpdir(), 'chroma-explorer-code-cache', name)];
}

function readCache(files: string[]): Buffer | undefined {
  for (const f of files) {
    try {
      return readFileSync(f);
    } catch {
      // not there (yet)
    }
  }
  return undefined;
}

/** The caches of earlier bundles (other sizes, times or V8 versions) beside `keep`: they would never be read again. */
function removeOlderCaches(keep: string): void {
  try {
    for (const name of readdirSync(dirname(keep))) {
      if (name !== basename(keep) && /^main\.\d+\.\d+\..+\.cache$/.test(name)) {
        rmSync(join(dirname(keep), name), { force: true });
      }
    }
  } catch {
    // best effort
  }
}

function writeCache(files: string[], data: Buffer): void {
  for (const f of files) {
    try {
      mkdirSync(join(f, '..'), { recursive: true });
      const tmp = `${f}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, f);
      removeOlderCaches(f);
      return;
    } catch {
      // read-only: try the next place
    }
  }
}

/** The bundle compiled with the cache when there is a usable one; undefined when vm cannot do it here. */
function compile(): { script: Script; files: string[]; cached: boolean } | undefined {
  try {
    const files = cacheFiles();
    const cachedData = readCache(files);
    const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
    return { script, files, cached: cachedData !== undefined && !script.cachedDataRejected };
  } catch {
    return undefined;
  }
}

function load(): unknown {
  const compiled = compile();
  if (!compiled) {
    // vm could not compile it here: load the bundle the ordinary way
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(bundle);
  }
  const wrapper = compiled.script.runInThisContext() as (...args: unknown[]) => void;
  // A real module in Node's cache: dist/features.js takes the main bundle's modules with require('./main.js').
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = module.paths;
  require.cache[bundle] = mod;
  wrapper.call(mod.exports, mod.exports, require, mod, bundle, __dirname);
  mod.loaded = true;
  if (!compiled.cached) {
    // The cache of the top level only: small, so reading it back costs less than what it saves. Written later,
    // off the activation path.
    const data = compiled.script.createCachedData();
    setTimeout(() => writeCache(compiled.files, data), 10_000).unref();
  }
  return mod.exports;
}

module.exports = load();
