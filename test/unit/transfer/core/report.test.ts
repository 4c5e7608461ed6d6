import * as assert from 'node:assert/strict';
import { formatSeconds } from '../../../../src/transfer/core/report';

describe('formatSeconds (pure)', () => {
  it('seconds with a tenth under 10, whole seconds under a minute, then minutes and seconds', () => {
    assert.equal(formatSeconds(1234), '1.2 s');
    assert.equal(formatSeconds(42_400), '42 s');
    assert.equal(formatSeconds(73_000), '1 min 13 s');
  });
});
