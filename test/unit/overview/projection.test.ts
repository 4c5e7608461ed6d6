/** project(): PCA and UMAP in a real worker_threads Worker (the compiled projectionWorker.js), progress and cancel. */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { pca2d } from '../../../src/overview/core/pca';
import { ProjectionCancelledError, ProjectionError, project } from '../../../src/overview/core/projection';
import { seededRandom } from '../../../src/util/random';
import { until } from '../../support/until';

/** Where tsc puts the worker's entry: out/src/overview/core/projectionWorker.js. */
const workerFile = path.resolve(__dirname, '../../../src/overview/core/projectionWorker.js');

/**
 * The OS threads of this process, by id (the worker is one while it runs). By id, not a count: a worker of an
 * earlier test may still be ending when one starts.
 */
const threadIds = () => new Set(readdirSync('/proc/self/task'));

function randomRows(n: number, dim: number, seed = 9): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n * dim }, (_, i) => r() + (i % dim === 0 ? Math.floor(i / dim) % 3 : 0));
}

describe('project() through the projection worker', function () {
  this.timeout(120_000);

  before(() => assert.ok(existsSync(workerFile), `compile first: ${workerFile} is missing`));

  it('returns the same PCA coordinates as in-process, with progress, leaving the input untouched', async () => {
    const n = 3000;
    const dim = 64;
    const vectors = randomRows(n, dim);
    const extra = vectors.slice(5 * dim, 6 * dim);
    const fractions: number[] = [];
    const out = await project({ vectors, n, dim, extra, method: 'pca' }, { workerFile, onProgress: (f) => fractions.push(f) });
    const local = pca2d(vectors, n, dim, extra);
    assert.deepEqual(out.coords, local.coords);
    assert.deepEqual(out.extraCoords, local.extraCoords);
    assert.equal(vectors.length, n * dim, 'the caller keeps its vectors (copied, not transferred)');
    assert.ok(fractions.length > 0 && fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1])), JSON.stringify(fractions));
  });

  it('sends only the rows when the vectors are a view of a larger buffer', async () => {
    const big = randomRows(100, 8);
    const view = big.subarray(8 * 10, 8 * 60);
    const out = await project({ vectors: view, n: 50, dim: 8, method: 'pca' }, { workerFile });
    assert.deepEqual(out.coords, pca2d(view.slice(), 50, 8).coords);
  });

  it('runs UMAP off the calling thread: the event loop keeps turning while it works', async () => {
    const n = 300;
    const dim = 16;
    const vectors = randomRows(n, dim, 4);
    // Turns of the event loop, counted by a chain of setImmediate: on the calling thread UMAP would hold the loop,
    // and every progress call would see the same count.
    let turns = 0;
    let turning = true;
    const turn = () => {
      turns++;
      if (turning) {
        setImmediate(turn);
      }
    };
    setImmediate(turn);
    const seen: number[] = [];
    const phases = new Set<string>();
    try {
      const out = await project({ vectors, n, dim, method: 'umap' }, {
        workerFile,
        onProgress: (_f, p) => {
          phases.add(p.split(' ')[0]);
          seen.push(turns);
        },
      });
      assert.equal(out.coords.length, 2 * n);
      assert.ok(out.coords.every(Number.isFinite));
    } finally {
      turning = false;
    }
    assert.ok(seen.length >= 2, `${seen.length} progress calls`);
    assert.ok(seen[seen.length - 1] > seen[0], `the loop turned ${seen[seen.length - 1] - seen[0]} times between the first and last progress`);
    assert.ok(phases.has('layout'), [...phases].join());
  });

  it('cancels: the promise rejects and the worker is terminated', async () => {
    const n = 4000;
    const dim = 64;
    const vectors = randomRows(n, dim, 5);
    const abort = new AbortController();
    let progressAfterCancel = 0;
    let progress = 0;
    const baseline = threadIds();
    const started = new Set<string>();
    const run = project({ vectors, n, dim, method: 'umap' }, {
      workerFile,
      signal: abort.signal,
      onProgress: () => {
        if (abort.signal.aborted) {
          progressAfterCancel++;
          return;
        }
        threadIds().forEach((t) => baseline.has(t) || started.add(t));
        // Working: cancel at its second progress, mid-run.
        if (++progress === 2) {
          abort.abort();
        }
      },
    });
    await assert.rejects(run, (e: unknown) => e instanceof ProjectionCancelledError && /cancelled/.test(e.message));
    assert.equal(progress, 2, 'cancelled mid-run, at the second progress');
    assert.ok(started.size > 0, `no thread started while the worker ran (${baseline.size} before it)`);
    // Terminated, not left running: its OS thread goes (Linux lists a process's threads in /proc/self/task).
    await until(`the worker's thread to end`, () => {
      const now = threadIds();
      return [...started].every((t) => !now.has(t));
    });
    assert.equal(progressAfterCancel, 0);
    // Already aborted: refused before any worker starts.
    await assert.rejects(project({ vectors, n, dim, method: 'pca' }, { workerFile, signal: abort.signal }), ProjectionCancelledError);
  });

  it('says plainly when the worker file is missing or the input is malformed', async () => {
    const vectors = randomRows(10, 4);
    await assert.rejects(project({ vectors, n: 10, dim: 4, method: 'pca' }, { workerFile: path.join(__dirname, 'no-such-worker.js') }), (e: unknown) => {
      assert.ok(e instanceof ProjectionError);
      assert.match(e.message, /^The PCA worker failed \(/);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    await assert.rejects(project({ vectors, n: 20, dim: 4, method: 'pca' }, { workerFile }), /Cannot project: expected 20 × 4 float32 values/);
    await assert.rejects(project({ vectors, n: 10, dim: 4, method: 'tsne' as 'pca' }, { workerFile }), /unknown projection method "tsne"/);
  });
});
