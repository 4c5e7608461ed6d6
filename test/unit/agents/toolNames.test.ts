import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_NAMES } from '../../../src/agents/core/catalogue';
import { toolNamesOf } from '../../../src/agents/toolNames';
import { PROJECT_ROOT } from '../../support/chromaServer';

describe('agents: the tool names the extension registers at activation', () => {
  it('are the manifest\'s languageModelTools, every one in the catalogue, in its order', () => {
    const manifest: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(toolNamesOf(manifest), [...TOOL_NAMES]);
  });

  it('a manifest without tools, or with malformed entries, gives only the names there are', () => {
    assert.deepEqual(toolNamesOf(undefined), []);
    assert.deepEqual(toolNamesOf({ contributes: {} }), []);
    assert.deepEqual(toolNamesOf({ contributes: { languageModelTools: [{ name: 'a' }, null, { name: 3 }, { name: 'b' }] } }), ['a', 'b']);
  });
});
