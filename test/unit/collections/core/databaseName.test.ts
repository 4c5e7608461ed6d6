import * as assert from 'node:assert/strict';
import { databaseNameMessage } from '../../../../src/collections/core/databaseName';
import { clientFor, useChromaServer } from '../../../support/fixtures';

describe('Create Database: the name', () => {
  const ctx = useChromaServer();

  it('refuses what a server refuses, before asking it', () => {
    assert.match(databaseNameMessage('ab', [])!, /3–512 characters \(this one has 2\)/);
    assert.match(databaseNameMessage('x'.repeat(513), [])!, /3–512/);
    for (const bad of ['a b c', '-abc', 'abc-', 'Ünï', 'a/b']) {
      assert.match(databaseNameMessage(bad, [])!, /letters, digits/, bad);
    }
    assert.match(databaseNameMessage('taken', ['taken'])!, /already exists/);
  });

  it('what it lets through, the server creates', async () => {
    const client = clientFor(ctx.server.url);
    for (const good of ['my.db', 'my_db-2', 'abc']) {
      assert.equal(databaseNameMessage(good, []), undefined, good);
      await client.createDatabase(good);
      assert.equal((await client.getDatabase(good)).name, good);
    }
  });
});
