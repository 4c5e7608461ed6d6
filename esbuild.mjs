// Bundles the extension. `--production` minifies and drops source maps; `--watch` rebuilds; `--metafile` writes
// dist/meta.json for size reports.
//
// Two kinds of output:
// - dist/main.js: what activation loads. Only our code and ofetch (with Node's own fetch: ofetch's node build
//   would pull in the node-fetch-native polyfill, which Node 20 does not need). dist/extension.js, the manifest's
//   main, loads it through V8's code cache (src/bootstrap.ts).
// - dist/vendor/<name>.js: libraries that only one command needs (yaml, tar, the tokenizer, smol-toml, ignore).
//   The main bundle requires them on first use, so activation never evaluates them.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

/** Heavy libraries become `require('./vendor/<name>.js')`; ofetch resolves to its fetch-native build. */
const resolveLibraries = {
  name: 'resolve-libraries',
  setup(build) {
    const names = VENDORED.map((n) => n.replace(/[/@]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: `./vendor/${vendorFile(args.path)}`, external: true }));
    build.onResolve({ filter: /^ofetch$/ }, () => ({ path: require.resolve('ofetch').replace(/node\.cjs$/, 'index.mjs') }));
  },
};

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

const main = await esbuild.context({
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/main.js',
  // onnxruntime-node is a native addon: it ships beside the bundle (node_modules/onnxruntime-node), loaded lazily.
  external: ['vscode', 'onnxruntime-node'],
  metafile,
  plugins: [oneVscodeNamespace, resolveLibraries, problemMatcher],
});

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

if (watch) {
  await Promise.all([buildVendor(), bootstrap()]);
  await main.watch();
} else {
  const [result] = await Promise.all([main.rebuild(), buildVendor(), bootstrap()]);
  await main.dispose();
  if (metafile && result.metafile) writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  if (result.errors.length > 0) process.exit(1);
}
