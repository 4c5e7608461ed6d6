/**
 * The linear algebra behind the map's PCA (pca.ts): eigenpairs of a dense symmetric matrix by Lanczos, of a small
 * one by Jacobi rotations, Rayleigh–Ritz on a block, Gram–Schmidt, and the vector helpers they share. Float64
 * throughout. No `vscode` here.
 */

/** Lanczos steps at most (each costs dim² multiply-adds and a reorthogonalisation against every earlier step). */
const MAX_LANCZOS_STEPS = 80;

export interface Eigenpairs {
  /** Eigenvalue estimates, largest first. */
  values: number[];
  /** The matching unit vectors. */
  vectors: Float64Array[];
}

/**
 * The top `count` eigenpairs of a dense symmetric matrix by Lanczos with full reorthogonalisation, stopping when the
 * top two Ritz residuals are below 1e-10 of the largest eigenvalue, when the Krylov space is exhausted (the data has
 * few directions), or after MAX_LANCZOS_STEPS steps.
 */
export function lanczosTop(matrix: Float64Array, dim: number, count: number, random: () => number): Eigenpairs {
  const maxSteps = Math.min(dim, MAX_LANCZOS_STEPS);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q: Float64Array = Float64Array.from({ length: dim }, () => random() - 0.5);
  scale(q, 1 / Math.sqrt(dot(q, q)));
  let ritz: { values: number[]; vectors: number[][] } = { values: [], vectors: [] };
  for (let j = 0; j < maxSteps; j++) {
    basis.push(q);
    const w = matVec(matrix, dim, q);
    alpha.push(dot(q, w));
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        axpy(w, -dot(w, b), b);
      }
    }
    const norm = Math.sqrt(dot(w, w));
    const exhausted = norm <= 1e-12 * Math.max(...alpha.map(Math.abs), 1e-300);
    const last = j === maxSteps - 1 || exhausted;
    if (last || (j >= 3 && j % 4 === 3)) {
      ritz = tridiagonalEigen(alpha, beta);
      const top = ritz.values[0];
      const residual = (i: number) => (i < ritz.values.length ? norm * Math.abs(ritz.vectors[j][i]) : 0);
      if (last || !(top > 0) || (residual(0) <= 1e-10 * top && residual(1) <= 1e-10 * top)) {
        break;
      }
    }
    beta.push(norm);
    q = scale(w, 1 / norm);
  }
  const k = Math.min(count, ritz.values.length);
  const vectors: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    const v = new Float64Array(dim);
    for (let s = 0; s < basis.length; s++) {
      axpy(v, ritz.vectors[s][i], basis[s]);
    }
    vectors.push(v);
  }
  return { values: ritz.values.slice(0, k), vectors };
}

/** Eigenpairs of the Lanczos tridiagonal matrix, largest first; vectors[s][i] is entry s of eigenvector i. */
function tridiagonalEigen(alpha: number[], beta: number[]): { values: number[]; vectors: number[][] } {
  const k = alpha.length;
  const t = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b): number => (a === b ? alpha[a] : Math.abs(a - b) === 1 ? beta[Math.min(a, b)] : 0)));
  const { values, vectors } = symmetricEigen(t);
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  return { values: order.map((i) => values[i]), vectors: vectors.map((row) => order.map((i) => row[i])) };
}

function matVec(matrix: Float64Array, dim: number, v: Float64Array): Float64Array {
  const out = new Float64Array(dim);
  for (let a = 0, o = 0; a < dim; a++, o += dim) {
    let s = 0;
    for (let b = 0; b < dim; b++) {
      s += matrix[o + b] * v[b];
    }
    out[a] = s;
  }
  return out;
}

/** The best approximations of C's top eigenpairs within the block's span (Rayleigh–Ritz), largest first. */
export function rayleighRitz(block: Float64Array[], h: number[][]): Eigenpairs {
  const { values, vectors: y } = symmetricEigen(h);
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  return {
    values: order.map((i) => values[i]),
    vectors: order.map((i) => {
      const u = new Float64Array(block[0].length);
      block.forEach((v, c) => axpy(u, y[c][i], v));
      return u;
    }),
  };
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a small symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const k = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let p = 0; p < k; p++) {
      scale += a[p][p] * a[p][p];
      for (let q = p + 1; q < k; q++) {
        off += a[p][q] * a[p][q];
      }
    }
    if (off <= 1e-30 * Math.max(scale, 1e-300)) {
      break;
    }
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        if (a[p][q] === 0) {
          continue;
        }
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let i = 0; i < k; i++) {
          const aip = a[i][p];
          const aiq = a[i][q];
          a[i][p] = c * aip - s * aiq;
          a[i][q] = s * aip + c * aiq;
        }
        for (let i = 0; i < k; i++) {
          const api = a[p][i];
          const aqi = a[q][i];
          a[p][i] = c * api - s * aqi;
          a[q][i] = s * api + c * aqi;
        }
        for (let i = 0; i < k; i++) {
          const vip = v[i][p];
          const viq = v[i][q];
          v[i][p] = c * vip - s * viq;
          v[i][q] = s * vip + c * viq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]), vectors: v };
}

/**
 * Modified Gram–Schmidt, twice for accuracy. A vector with nothing left (the data has fewer directions than the
 * block) is replaced by a fresh seeded one, so the block keeps its size.
 */
export function orthonormalise(block: Float64Array[], random: () => number): void {
  const scale = Math.max(...block.map((v) => Math.sqrt(dot(v, v))), 1e-300);
  for (let c = 0; c < block.length; c++) {
    for (let attempt = 0; ; attempt++) {
      const v = block[c];
      for (let pass = 0; pass < 2; pass++) {
        for (let b = 0; b < c; b++) {
          const f = dot(v, block[b]);
          const u = block[b];
          for (let j = 0; j < v.length; j++) {
            v[j] -= f * u[j];
          }
        }
      }
      const norm = Math.sqrt(dot(v, v));
      if (norm > 1e-10 * scale || attempt > 3) {
        const inv = norm > 0 ? 1 / norm : 0;
        for (let j = 0; j < v.length; j++) {
          v[j] *= inv;
        }
        break;
      }
      for (let j = 0; j < v.length; j++) {
        v[j] = random() - 0.5;
      }
    }
  }
}

/** Flips `v` so its largest-|value| entry (the first such) is positive: one sign per component, on every run. */
export function normaliseSign(v: Float64Array): void {
  let at = 0;
  for (let j = 1; j < v.length; j++) {
    if (Math.abs(v[j]) > Math.abs(v[at])) {
      at = j;
    }
  }
  if (v[at] < 0) {
    for (let j = 0; j < v.length; j++) {
      v[j] = -v[j];
    }
  }
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    s += a[j] * b[j];
  }
  return s;
}

/** v ← f·v, returned. */
function scale(v: Float64Array, f: number): Float64Array {
  for (let j = 0; j < v.length; j++) {
    v[j] *= f;
  }
  return v;
}

/** y ← y + f·x. */
function axpy(y: Float64Array, f: number, x: Float64Array): void {
  for (let j = 0; j < y.length; j++) {
    y[j] += f * x[j];
  }
}
