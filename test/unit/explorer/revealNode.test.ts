import * as assert from 'node:assert/strict';
import type { ExplorerNode } from '../../../src/explorer/core/model';
import { revealNode } from '../../../src/explorer/revealNode';

describe('revealNode (a reveal that meets a tree being refreshed)', () => {
  const node = { kind: 'message', id: 'm' } as unknown as ExplorerNode;

  function view(failures: number) {
    const calls: string[] = [];
    return {
      calls,
      view: {
        reveal: async () => {
          calls.push('reveal');
          if (calls.filter((c) => c === 'reveal').length <= failures) {
            throw new Error('TreeError [chromaExplorer] Data tree node not found: m');
          }
        },
      },
      tree: {
        whenQuiet: async () => {
          calls.push('quiet');
        },
      },
    };
  }

  it('waits for a quiet tree before revealing', async () => {
    const v = view(0);
    await revealNode(v.view, v.tree, node, { select: true });
    assert.deepEqual(v.calls, ['quiet', 'reveal']);
  });

  it('a reveal that fails because an event came between is tried again after the tree is quiet', async () => {
    const v = view(2);
    await revealNode(v.view, v.tree, node, { select: true });
    assert.deepEqual(v.calls, ['quiet', 'reveal', 'quiet', 'reveal', 'quiet', 'reveal']);
  });

  it('gives up after three tries with the last error', async () => {
    const v = view(5);
    await assert.rejects(revealNode(v.view, v.tree, node, {}), /Data tree node not found/);
    assert.equal(v.calls.filter((c) => c === 'reveal').length, 3);
  });
});
