/** How the overview page writes numbers. */
import * as assert from 'node:assert/strict';
import { axisNumber, formatCount, percent, plural } from '../../../../src/overview/webview/format';

describe('overview page: numbers', () => {
  it('writes counts with thousands separators', () => {
    assert.deepEqual([0, 999, 1000, 1234567].map(formatCount), ['0', '999', '1,000', '1,234,567']);
  });

  it('writes shares in percent to one decimal, and 0% of nothing', () => {
    assert.deepEqual([percent(1, 3), percent(2, 2), percent(0, 5), percent(3, 0)], ['33.3%', '100%', '0%', '0%']);
  });

  it('writes axis values with four significant digits (99,999 rounds to 100000), very large and very small ones in exponent form', () => {
    assert.deepEqual([0, 1.23456, 99999, 100000, 0.001, 0.000999, -2.5e7].map(axisNumber), ['0', '1.235', '100000', '1.00e+5', '0.001', '9.99e-4', '-2.50e+7']);
  });

  it('says one thing or many', () => {
    assert.deepEqual([plural(1, 'record'), plural(0, 'record'), plural(2, 'point is', 'points are')], ['record', 'records', 'points are']);
  });
});
