import * as assert from 'node:assert/strict';
import { INTERACTION_GAP_MS, interactionCheckDue, MAX_BACKOFF_MS, nextPollDelay, UNATTENDED_FACTOR } from '../../../../src/status/core/schedule';

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

  it('unattended, the pace is four times slower, and backs off from there', () => {
    assert.equal(UNATTENDED_FACTOR, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map((f) => nextPollDelay(15_000, f, false)),
      [60_000, 120_000, 240_000, MAX_BACKOFF_MS],
    );
    assert.equal(nextPollDelay(100_000, 0, false), 400_000, 'never cut to the 5-minute cap while answering');
  });

  it('an interaction checks unless polling is off or a check started within the gap', () => {
    assert.equal(interactionCheckDue(10_000, undefined, 15_000), true);
    assert.equal(interactionCheckDue(10_000, 10_000 - INTERACTION_GAP_MS, 15_000), true);
    assert.equal(interactionCheckDue(10_000, 10_000 - INTERACTION_GAP_MS + 1, 15_000), false);
    assert.equal(interactionCheckDue(10_000, undefined, 0), false);
  });
});
