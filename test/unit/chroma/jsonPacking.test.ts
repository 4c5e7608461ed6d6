import * as assert from 'node:assert/strict';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { MIN_PACKED_RUN, packNumbers, unpackNumbers } from '../../../src/chroma/jsonPacking';

/** What crossing to another thread does: a structured clone, with the buffer transferred. */
function postAndReceive(tree: unknown, buffer?: ArrayBuffer): unknown {
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(tree, buffer ? [buffer] : []);
    return receiveMessageOnPort(port2)?.message;
  } finally {
    port1.close();
  }
}

async function roundTrip(value: unknown): Promise<{ back: unknown; packed: number }> {
  const { tree, buffer } = packNumbers(structuredClone(value));
  const packed = buffer ? buffer.byteLength / 8 : 0;
  return { back: await unpackNumbers(postAndReceive(tree, buffer)), packed };
}

describe('JSON packing for the worker (pure)', () => {
  it('a get() answer comes back equal, its embeddings packed into one transferred buffer, as plain arrays', async () => {
    const embeddings = Array.from({ length: 50 }, (_, i) => Array.from({ length: 32 }, (_, j) => Math.sin(i * 32 + j)));
    const value = {
      ids: embeddings.map((_, i) => `id-${i}`),
      embeddings,
      documents: embeddings.map((_, i) => (i % 2 ? null : `doc ${i}`)),
      metadatas: embeddings.map((_, i) => ({ n: i, tags: [1, 2, 3], sparse: { indices: [0, 4], values: [0.5, 1.5] } })),
      include: ['embeddings', 'documents', 'metadatas'],
    };
    const { back, packed } = await roundTrip(value);
    assert.deepEqual(back, value);
    assert.equal(packed, 50 * 32, 'exactly the embeddings were packed');
    const got = back as typeof value;
    assert.ok(Array.isArray(got.embeddings[0]) && !ArrayBuffer.isView(got.embeddings[0]));
  });

  it('numbers stay exactly the doubles JSON.parse made (-0, extremes, float32-looking decimals)', async () => {
    const run = [-0, 0, 5e-324, 1.7976931348623157e308, -1e-7, 0.1, 0.10000000149011612, 123456789.123, ...Array.from({ length: 16 }, (_, i) => i / 3)];
    const { back } = await roundTrip({ run });
    const out = (back as { run: number[] }).run;
    assert.equal(out.length, run.length);
    out.forEach((v, i) => assert.ok(Object.is(v, run[i]), `${i}: ${v} !== ${run[i]}`));
  });

  it('short arrays, mixed arrays and a top-level run are handled; nothing else changes', async () => {
    const short = Array.from({ length: MIN_PACKED_RUN - 1 }, (_, i) => i);
    const mixed = [...Array.from({ length: 40 }, (_, i) => i), 'x'];
    const { back, packed } = await roundTrip({ short, mixed, n: 1, s: 's', b: true, z: null });
    assert.deepEqual(back, { short, mixed, n: 1, s: 's', b: true, z: null });
    assert.equal(packed, 0);
    const top = Array.from({ length: 100 }, (_, i) => i * 1.5);
    assert.deepEqual((await roundTrip(top)).back, top);
    assert.deepEqual((await roundTrip(42)).back, 42);
  });

  it('a "__proto__" key from JSON stays an own property, never a prototype', async () => {
    const value = JSON.parse(`{"__proto__": [${Array.from({ length: 20 }, (_, i) => i).join(',')}], "a": {"__proto__": {"x": 1}}}`) as Record<string, unknown>;
    const { back } = await roundTrip(value);
    const got = back as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, Array.from({ length: 20 }, (_, i) => i));
  });

  it('nesting as deep as JSON.parse accepts neither overflows the stack nor loses the numbers', async () => {
    const depth = 50_000;
    const text = `${'['.repeat(depth)}${Array.from({ length: 20 }, (_, i) => i).join(',')}${']'.repeat(depth)}`;
    // (a structured clone of it would overflow: the worker hands such bodies back, see largeBodies.test.ts)
    const { tree } = packNumbers(JSON.parse(text));
    let cur = await unpackNumbers(tree);
    for (let d = 1; d < depth; d++) {
      cur = (cur as unknown[])[0];
    }
    assert.deepEqual(cur, Array.from({ length: 20 }, (_, i) => i));
  });

  it('unpacking many runs lets the event loop turn between slices', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => Array.from({ length: 64 }, (_, j) => i + j));
    const { tree, buffer } = packNumbers({ rows });
    const received = postAndReceive(tree, buffer);
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    try {
      // a zero-length slice: it yields after every 64 runs
      const back = (await unpackNumbers(received, 0)) as { rows: number[][] };
      assert.equal(back.rows.length, 2000);
      assert.deepEqual(back.rows[1999], Array.from({ length: 64 }, (_, j) => 1999 + j));
    } finally {
      clearInterval(ticking);
    }
    assert.ok(turns > 0, 'the timer never ran while unpacking');
  });
});
