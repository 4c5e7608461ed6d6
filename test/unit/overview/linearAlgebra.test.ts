/** The eigen-solvers under the map's PCA, on matrices whose answers are known. */
import * as assert from 'node:assert/strict';
import { dot, lanczosTop, normaliseSign, orthonormalise, symmetricEigen } from '../../../src/overview/core/linearAlgebra';
import { seededRandom } from '../../../src/util/random';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

describe('overview linear algebra: eigenpairs, Gram–Schmidt, signs', () => {
  it('symmetricEigen: eigenvalues 3 and 1 of [[2, 1], [1, 2]], with (1, 1)/√2 and (1, −1)/√2 as columns', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
    close(values[order[0]], 3);
    close(values[order[1]], 1);
    const top = [vectors[0][order[0]], vectors[1][order[0]]];
    close(Math.abs(top[0]), Math.SQRT1_2);
    close(top[0], top[1]);
  });

  it('lanczosTop: the top two of a diagonal 50 × 50 matrix, largest first, as unit vectors on their axes', () => {
    const dim = 50;
    const m = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) {
      m[i * dim + i] = i === 7 ? 100 : i === 31 ? 60 : 1 + i / 100;
    }
    const { values, vectors } = lanczosTop(m, dim, 2, seededRandom(3));
    assert.equal(values.length, 2);
    close(values[0], 100, 1e-6);
    close(values[1], 60, 1e-6);
    close(Math.abs(vectors[0][7]), 1, 1e-6);
    close(Math.abs(vectors[1][31]), 1, 1e-6);
  });

  it('lanczosTop stops when the data has fewer directions than asked for (a rank-one matrix)', () => {
    const dim = 20;
    const u = Float64Array.from({ length: dim }, (_, i) => (i % 2 ? 1 : -1) / Math.sqrt(dim));
    const m = new Float64Array(dim * dim);
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) {
        m[a * dim + b] = 5 * u[a] * u[b];
      }
    }
    const { values, vectors } = lanczosTop(m, dim, 4, seededRandom(9));
    close(values[0], 5, 1e-9);
    close(Math.abs(dot(vectors[0], u)), 1, 1e-9);
    assert.ok(values.length <= 2, `${values.length} eigenpairs of a rank-one matrix`);
  });

  it('orthonormalise: an orthonormal block of the same size, a dependent vector replaced by a fresh one', () => {
    const a = Float64Array.from([3, 0, 0, 4]);
    const block = [a, Float64Array.from([6, 0, 0, 8]), Float64Array.from([1, 1, 0, 0])];
    orthonormalise(block, seededRandom(1));
    assert.equal(block.length, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        close(dot(block[i], block[j]), i === j ? 1 : 0, 1e-9);
      }
    }
    close(block[0][0], 0.6);
    close(block[0][3], 0.8);
  });

  it('normaliseSign: the largest-|value| entry becomes positive, the first of equals decides', () => {
    const v = Float64Array.from([0.1, -0.9, 0.3]);
    normaliseSign(v);
    assert.deepEqual([...v], [-0.1, 0.9, -0.3]);
    const tie = Float64Array.from([-0.5, 0.5]);
    normaliseSign(tie);
    assert.deepEqual([...tie], [0.5, -0.5]);
  });
});
