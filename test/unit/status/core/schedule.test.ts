import * as assert from 'node:assert/strict';
import { MAX_BACKOFF_MS, nextPollDelay } from '../../../../src/status/core/schedule';

describe('heartbeat schedule (pure)', () => {
  it('polls at the interval while the server answers', () => {
    assert.equal(nextPollDelay(15_000, 0), 15_000);
  });

  it('doubles per consecutive failure, up to 5 minutes', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 50].map((f) => nextPollDelay(15_000, f)),
      [30_000, 60_000, 120_000, 240_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS, MAX_BACKOFF_MS],
    );
    assert.equal(MAX_BACKOFF_MS, 300_000);
  });

  it('an interval longer than 5 minutes is never shortened by the cap', () => {
    assert.equal(nextPollDelay(600_000, 3), 600_000);
  });
});
