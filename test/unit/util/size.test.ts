import * as assert from 'node:assert/strict';
import { formatSize } from '../../../src/util/size';

describe('formatSize (pure)', () => {
  it('says a size in the unit that fits, two significant digits under 10', () => {
    assert.equal(formatSize(0), '0 bytes');
    assert.equal(formatSize(1), '1 byte');
    assert.equal(formatSize(80), '80 bytes');
    assert.equal(formatSize(1023), '1023 bytes');
    assert.equal(formatSize(1024), '1 KiB');
    assert.equal(formatSize(3.5 * 1024), '3.5 KiB');
    assert.equal(formatSize(10485.76), '10 KiB');
    assert.equal(formatSize(8 * 1048576), '8 MiB');
    assert.equal(formatSize(12.4 * 1048576), '12 MiB');
    assert.equal(formatSize(3 * 1024 ** 3), '3 GiB');
    assert.equal(formatSize(2 * 1024 ** 4), '2 TiB');
  });

  it('a fractional byte count (a limit from a setting in MB) is said in whole bytes', () => {
    assert.equal(formatSize(10.49), '10 bytes');
  });
});
