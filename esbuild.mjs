// Bundles the extension. `--production` minifies and drops source maps; `--watch` rebuilds; `--metafile` writes
// dist/meta.json for size reports.
//
// What it writes:
// - dist/main.js: what activation loads. Only our code and ofetch (with Node's own fetch: ofetch's node build
//   would pull in the node-fetch-native polyfill, which Node 20 does not need). dist/extension.js, the manifest's
//   main, loads it through V8's code cache (src/bootstrap.ts).
// - dist/vendor/<name>.js: libraries that only one command needs (yaml, tar, the tokenizer, smol-toml, ignore).
//   The main bundle requires them on first use, so activation never evaluates them.
// - dist/features.js: the features loaded on first use (src/featureTable.ts), and dist/chunks/<name>.js: the parts
//   of activation's own features that activation does not run (CHUNKS below). Both share main's modules.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, relative, resolve as resolvePath, sep } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');
const require = createRequire(import.meta.url);

/** Loaded on first use from dist/vendor/, never at activation. */
export const VENDORED = ['yaml', 'tar', '@huggingface/tokenizers', 'smol-toml', 'ignore', 'jsonc-parser'];
const vendorFile = (name) => `${name.replace(/^@/, '').replace(/\//g, '-')}.js`;

/** Prints build errors in the `file:line:col: error: text` form VS Code's problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log(`[build] ${watch ? 'watch ' : ''}build started`));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log(`[build] finished with ${result.errors.length} error(s)`);
    });
  },
};

/**
 * Heavy libraries become `require('./vendor/<name>.js')` (`../vendor/` from a chunk, `up`); ofetch resolves to its
 * fetch-native build.
 */
const resolveLibraries = (up = '.') => ({
  name: 'resolve-libraries',
  setup(build) {
    const names = VENDORED.map((n) => n.replace(/[/@]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: `${up}/vendor/${vendorFile(args.path)}`, external: true }));
    build.onResolve({ filter: /^ofetch$/ }, () => ({ path: require.resolve('ofetch').replace(/node\.cjs$/, 'index.mjs') }));
  },
});

/**
 * Every `import * as vscode from 'vscode'` would copy the whole API namespace once per module (esbuild's __toESM
 * of an external CommonJS module): one re-exporting module makes that copy once for the bundle.
 */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-namespace' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-namespace' }, () => ({ contents: 'export * from "vscode";', loader: 'js' }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  // `import()` of a vendored library becomes a plain require of its file, evaluated on first use.
  supported: { 'dynamic-import': false },
};

// dist/extension.js loads dist/main.js through V8's code cache (src/bootstrap.ts).
const bootstrap = () =>
  esbuild.build({ ...common, entryPoints: ['src/bootstrap.ts'], outfile: 'dist/extension.js', sourcemap: false, plugins: [problemMatcher] });

/**
 * src/extension.ts requires the second bundle, `./features`, at run time: it is never bundled into main. Only
 * `./features` of a module in src/ itself is that bundle (a `./features` elsewhere is an ordinary module).
 */
const featuresAtRunTime = {
  name: 'features-at-run-time',
  setup(build) {
    build.onResolve({ filter: /^\.\/features$/ }, (args) =>
      args.importer && dirname(args.importer) === resolvePath('src') ? { path: './features.js', external: true } : undefined,
    );
  },
};

/**
 * Chunks: parts of a feature that activation does not run (the local servers' launcher and installer, the
 * embedding service). Their VS Code layer requires a chunk's entry with a plain `require()` (or `import()`) where it
 * first needs it; every bundle turns that into a require of dist/chunks/<name>.js, so the chunk's code is in no
 * bundle but its own, read and evaluated on that first use.
 */
export const CHUNKS = [
  // the Chroma client, its transport and ofetch: the first listing or heartbeat builds a client (first, so that
  // the chunks after it take the client from it)
  { name: 'chroma', entry: 'src/chroma/client.ts' },
  // the record editors' rendering, parsing, validation and save: the first record opened or saved
  { name: 'records', entry: 'src/records/core/recordCode.ts' },
  { name: 'local', entry: 'src/local/serverCode.ts' },
  { name: 'embedding', entry: 'src/embedding/service.ts' },
  // the collection and record pickers: commands ask with them, activation never does
  { name: 'pickers', entry: 'src/pickers/collectionPicker.ts' },
  // Check Server… and the server info page
  { name: 'serverPages', entry: 'src/status/serverPages.ts' },
  // the CodeLens of compose files imports it (and yaml) for the first compose file shown
  { name: 'compose', entry: 'src/telemetry/core/compose.ts' },
];
const chunkFile = (name) => `chunks/${name}.js`;

/** The posix path relative to the project of what `args` resolves to, or undefined. */
async function resolvedPath(build, args) {
  if (args.pluginData?.inner) return undefined;
  const r = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { inner: true } });
  return r.errors.length === 0 ? relative(process.cwd(), r.path).split(sep).join('/') : undefined;
}

/** `require()` of a chunk's entry: external, to the chunk's file (relative to the bundle being built, `outDir`). */
const chunksAtRunTime = (outDir) => ({
  name: 'chunks-at-run-time',
  setup(build) {
    const byEntry = new Map(CHUNKS.map((c) => [c.entry, c.name]));
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== 'require-call' && args.kind !== 'dynamic-import') return undefined;
      const name = byEntry.get(await resolvedPath(build, args));
      return name ? { path: `./${relative(outDir, `dist/${chunkFile(name)}`).split(sep).join('/')}`.replace(/^\.\/\.\.\//, '../'), external: true } : undefined;
    });
  },
});

const mainOptions = {
  ...common,
  outfile: 'dist/main.js',
  // onnxruntime-node is a native addon: it ships beside the bundle (node_modules/onnxruntime-node), loaded lazily.
  external: ['vscode', 'onnxruntime-node'],
  plugins: [oneVscodeNamespace, resolveLibraries(), featuresAtRunTime, chunksAtRunTime('dist'), problemMatcher],
};
const featuresOptions = { ...mainOptions, entryPoints: ['src/features.ts'], outfile: 'dist/features.js' };
const chunkOptions = (c) => ({
  ...mainOptions,
  entryPoints: [c.entry],
  outfile: `dist/${chunkFile(c.name)}`,
  plugins: [oneVscodeNamespace, resolveLibraries('..'), featuresAtRunTime, chunksAtRunTime('dist/chunks'), problemMatcher],
});

/**
 * The bundle's files under src/ (posix, relative, as the metafile names them) that its entry reaches through
 * static imports only: what the bundle evaluates when it loads. A module it loads with `import()` on first use
 * (compose.ts and yaml, the playground parser) stays lazy: the second bundle has its own copy of it.
 */
async function sourcesOf(options, entry) {
  const r = await esbuild.build({ ...options, write: false, metafile: true, sourcemap: false, minify: false, plugins: options.plugins.filter((p) => p !== problemMatcher) });
  const { inputs } = r.metafile;
  const reached = new Set([entry]);
  for (const file of reached) {
    for (const i of inputs[file]?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) reached.add(i.path);
    }
  }
  return [...reached].filter((p) => p.startsWith('src/'));
}

/**
 * One copy of each module. The bundles, in the order they can load: main, the chunks, features. A module belongs to
 * the first bundle that reaches it; that bundle exports the namespaces of its modules the later ones use
 * (`__shared`), and they take them from it (`require('./main.js')`, which src/bootstrap.ts registers in Node's
 * module cache, or a chunk's file) instead of bundling their own copies. So there is one ChromaClient class, one
 * connection store, one registry of commands.
 */
function entryWithShared(entry, shared) {
  return [
    `export * from './${entry.replace(/\.ts$/, '')}';`,
    ...shared.map((p, i) => `import * as m${i} from './${p}';`),
    `export const __shared = {${shared.map((p, i) => `${sharedKey(p)}: m${i}`).join(', ')}};`,
  ].join('\n');
}

/** A module's key in `__shared`: short (the bundle spells each key once), the same for every bundle of one build. */
const sharedKeys = new Map();
const sharedKey = (p) => {
  if (!sharedKeys.has(p)) sharedKeys.set(p, `m${sharedKeys.size.toString(36)}`);
  return sharedKeys.get(p);
};

/** Modules of earlier bundles (`owners`: path → the file of the bundle, relative to the one built) taken from them. */
const useSharedModules = (owners) => ({
  name: 'use-shared-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/(main|chunks\/[\w-]+|[\w-]+)\.js$/, namespace: 'shared-module' }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /^\./ }, async (args) => {
      const rel = await resolvedPath(build, args);
      return rel !== undefined && owners.has(rel) ? { path: rel, namespace: 'shared-module' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'shared-module' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(owners.get(args.path))}).__shared.${sharedKey(args.path)}; // ${args.path}`,
      loader: 'js',
    }));
  },
});

const [mainSources, featureSources, ...chunkSources] = await Promise.all([
  sourcesOf({ ...mainOptions, entryPoints: ['src/extension.ts'] }, 'src/extension.ts'),
  sourcesOf(featuresOptions, 'src/features.ts'),
  ...CHUNKS.map((c) => sourcesOf(chunkOptions(c), c.entry)),
]);
/** Each bundle in load order: its file (under dist/), entry, options, and the modules it reaches. */
const bundles = [
  { file: 'main.js', entry: 'src/extension.ts', options: mainOptions, sources: mainSources },
  ...CHUNKS.map((c, i) => ({ file: chunkFile(c.name), entry: c.entry, options: chunkOptions(c), sources: chunkSources[i] })),
  { file: 'features.js', entry: 'src/features.ts', options: featuresOptions, sources: featureSources },
];
const owner = new Map();
for (const b of bundles) for (const p of b.sources) if (!owner.has(p)) owner.set(p, b);
const contexts = await Promise.all(
  bundles.map((b) => {
    const dir = dirname(`dist/${b.file}`);
    const later = bundles.slice(bundles.indexOf(b) + 1).flatMap((l) => l.sources);
    const shared = [...new Set(later)].filter((p) => owner.get(p) === b && p !== b.entry).sort();
    const taken = new Map(b.sources.filter((p) => owner.get(p) !== b).map((p) => [p, `./${relative(dir, `dist/${owner.get(p).file}`).split(sep).join('/')}`.replace(/^\.\/\.\.\//, '../')]));
    const entryShared = owner.get(b.entry) === b && later.includes(b.entry) ? [b.entry, ...shared] : shared;
    const { entryPoints: _, ...rest } = b.options;
    return esbuild.context({
      ...rest,
      stdin: { contents: entryWithShared(b.entry, entryShared), resolveDir: process.cwd(), sourcefile: `src/${basename(b.file, '.js')}-entry.ts`, loader: 'ts' },
      plugins: [useSharedModules(taken), ...b.options.plugins],
      metafile: metafile && b.file === 'main.js',
    });
  }),
);

async function buildVendor() {
  mkdirSync('dist/vendor', { recursive: true });
  await Promise.all(
    VENDORED.map((name) => {
      const shim = `module.exports = require(${JSON.stringify(name)});`;
      return esbuild.build({
        ...common,
        stdin: { contents: shim, resolveDir: process.cwd(), loader: 'js' },
        outfile: `dist/vendor/${vendorFile(name)}`,
        sourcemap: false,
        // jsonc-parser's main build is UMD, whose inner requires esbuild cannot follow: take its ES module build
        ...(name === 'jsonc-parser' ? { mainFields: ['module', 'main'] } : {}),
      });
    }),
  );
}

/**
 * dist/projectionWorker.js: the embedding map's projection (PCA, UMAP with umap-js inside) in a worker_threads
 * Worker, off the extension host's thread. Standalone: no vscode, nothing shared.
 */
const worker = await esbuild.context({
  ...common,
  entryPoints: ['src/overview/core/projectionWorker.ts'],
  outfile: 'dist/projectionWorker.js',
  plugins: [problemMatcher],
});

/**
 * dist/jsonWorker.js: large response bodies parsed off the extension host's thread (src/chroma/largeJson.ts loads it
 * from beside the bundle). Standalone: no vscode, nothing shared.
 */
const jsonWorker = await esbuild.context({
  ...common,
  entryPoints: ['src/chroma/jsonWorker.ts'],
  outfile: 'dist/jsonWorker.js',
  plugins: [problemMatcher],
});

/**
 * media/overview/overview.js (generated, git-ignored): the Collection Overview page's script, src/overview/webview/
 * with what it imports (the protocol and its checker, the map's framing: the very code the extension host runs), as
 * one browser script. Written into media/overview/, the only folder the webview may load from; src/overview/html.ts
 * loads it with the page's nonce.
 */
const webview = await esbuild.context({
  ...common,
  platform: 'browser',
  target: 'es2020',
  format: 'iife',
  entryPoints: ['src/overview/webview/main.ts'],
  outfile: 'media/overview/overview.js',
  sourcemap: false,
  plugins: [problemMatcher],
});
// what builds before the page was bundled wrote beside it (the packaging ships all of media/overview/)
for (const old of ['overviewCheck.js', 'overviewFraming.js']) rmSync(`media/overview/${old}`, { force: true });

if (watch) {
  // Which modules the bundles share is settled at start: restart the watch after adding an import across them.
  await Promise.all([buildVendor(), bootstrap()]);
  await Promise.all([...contexts.map((c) => c.watch()), worker.watch(), jsonWorker.watch(), webview.watch()]);
} else {
  const [result, ...others] = await Promise.all([...contexts.map((c) => c.rebuild()), worker.rebuild(), jsonWorker.rebuild(), webview.rebuild(), buildVendor(), bootstrap()]);
  await Promise.all([...contexts.map((c) => c.dispose()), worker.dispose(), jsonWorker.dispose(), webview.dispose()]);
  if (metafile && result.metafile) writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  if (result.errors.length > 0 || others.some((r) => r && r.errors.length > 0)) process.exit(1);
}
