import * as assert from 'node:assert/strict';
import type { ExplorerNode } from '../../../src/explorer/core/model';
import { revealNode } from '../../../src/explorer/revealNode';

describe('revealNode (a reveal that meets a tree being refreshed)', () => {
  const node = { kind: 'message', id: 'm' } as unknown as ExplorerNode;

  function fake(failures: number) {
    const calls: string[] = [];
    let held = 0;
    return {
      calls,
      held: () => held,
      view: {
        reveal: async () => {
          calls.push(`reveal(held ${held})`);
          if (calls.filter((c) => c.startsWith('reveal')).length <= failures) {
            throw new Error('TreeError [chromaExplorer] Data tree node not found: m');
          }
        },
      },
      tree: {
        holdEvents: () => {
          held++;
          calls.push('hold');
          return () => {
            held--;
            calls.push('release');
          };
        },
        whenSettled: async () => {
          calls.push('settled');
        },
      },
    };
  }

  it('holds tree events back and waits for the last one to be applied, then reveals, then releases', async () => {
    const f = fake(0);
    await revealNode(f.view, f.tree, node, { select: true });
    assert.deepEqual(f.calls, ['hold', 'settled', 'reveal(held 1)', 'release']);
  });

  it('a reveal that fails because an event came between is tried again', async () => {
    const f = fake(2);
    await revealNode(f.view, f.tree, node, { select: true });
    assert.deepEqual(f.calls, ['hold', 'settled', 'reveal(held 1)', 'settled', 'reveal(held 1)', 'settled', 'reveal(held 1)', 'release']);
  });

  it('gives up after three tries with the last error, and releases the hold', async () => {
    const f = fake(5);
    await assert.rejects(revealNode(f.view, f.tree, node, {}), /Data tree node not found/);
    assert.equal(f.calls.filter((c) => c.startsWith('reveal')).length, 3);
    assert.equal(f.held(), 0);
  });
});
