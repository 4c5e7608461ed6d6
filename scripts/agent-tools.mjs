#!/usr/bin/env node
// Writes package.json's `contributes.languageModelTools` from the tool catalogue (src/agents/core/catalogue.ts), so
// the two cannot drift: `npm run agents:tools` after editing a tool. `--check` only reports a difference (exit 1);
// test/unit/agents/core/catalogue.test.ts checks the same in the unit suite. Reads the compiled catalogue from out/
// (npm run compile-tests first; the npm script does).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { languageModelToolsContribution } = require(join(ROOT, 'out', 'src', 'agents', 'core', 'contribution.js'));

const file = join(ROOT, 'package.json');
const text = readFileSync(file, 'utf8');
const pkg = JSON.parse(text);
const wanted = languageModelToolsContribution();
const same = JSON.stringify(pkg.contributes.languageModelTools) === JSON.stringify(wanted);
if (process.argv.includes('--check')) {
  if (!same) {
    console.error('agent-tools: package.json contributes.languageModelTools differs from the catalogue: run npm run agents:tools.');
    process.exit(1);
  }
  console.log(`agent-tools: package.json declares the ${wanted.length} tools of the catalogue.`);
} else if (!same) {
  pkg.contributes.languageModelTools = wanted;
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log(`agent-tools: wrote ${wanted.length} tools to package.json.`);
} else {
  console.log('agent-tools: package.json is up to date.');
}
