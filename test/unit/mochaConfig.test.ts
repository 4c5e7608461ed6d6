import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/chromaServer';

/** A stray `.only` must fail CI, not shrink it to one test: every mocha run forbids it. */
describe('mocha configurations (pure)', () => {
  it('every .mocharc file forbids .only', () => {
    const configs = readdirSync(PROJECT_ROOT).filter((f) => /^\.mocharc(\..+)?\.json$/.test(f));
    assert.ok(configs.length >= 3, `found ${configs.join(', ')}`);
    for (const f of configs) {
      const config = JSON.parse(readFileSync(join(PROJECT_ROOT, f), 'utf8')) as { forbidOnly?: unknown };
      assert.equal(config.forbidOnly, true, `${f} does not set "forbidOnly": true`);
    }
  });

  it('the host-test runner (a Mocha built in code) forbids .only', () => {
    const source = readFileSync(join(PROJECT_ROOT, 'test', 'host', 'index.ts'), 'utf8');
    const options = /new Mocha\(\{([^}]*)\}/.exec(source);
    assert.ok(options, 'test/host/index.ts builds no Mocha');
    assert.match(options[1], /forbidOnly: true/);
  });
});
