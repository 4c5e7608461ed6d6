/** A small seeded random source, so that projections (and tests' data) come out the same on every run. No `vscode` here. */

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32: fast, and good enough for initial vectors and UMAP). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
