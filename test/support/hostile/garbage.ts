/** The garbage a hostile server sends: random JSON, almost-right answers, compression bombs, error bodies. */
import { deflateSync, gzipSync } from 'node:zlib';
import type { Rng } from './rng';
import { json } from './types';

/** A random JSON value of limited depth. */
export function randomJson(rng: Rng, depth = 3): unknown {
  switch (rng.int(0, depth > 0 ? 9 : 5)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 12, 1.5, 1e300, -0, 2 ** 53 + 2]);
    case 3:
      return rng.pick(['', '12 records', 'null', '<html>', rng.word(), '\u202eevil\u0000\n']);
    case 4:
      return [];
    case 5:
      return {};
    case 6:
    case 7:
      return Array.from({ length: rng.int(1, 4) }, () => randomJson(rng, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(1, 4); i > 0; i--) {
        o[rng.pick(['ids', 'id', 'name', 'metadata', 'metadatas', 'embeddings', 'documents', 'error', rng.word()])] = randomJson(rng, depth - 1);
      }
      return o;
    }
  }
}

/** Every place in a JSON value, as paths of keys and indices. */
function places(value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = [], budget = { n: 400 }): Array<Array<string | number>> {
  if (budget.n-- <= 0) {
    return out;
  }
  out.push(path);
  if (Array.isArray(value)) {
    value.slice(0, 20).forEach((v, i) => places(v, [...path, i], out, budget));
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value).slice(0, 20)) {
      places((value as Record<string, unknown>)[key], [...path, key], out, budget);
    }
  }
  return out;
}

/** One change at a random place of a (copied) valid answer: the garbage that looks almost right. */
export function mutate(json: unknown, rng: Rng): { json: unknown; how: string } {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  const all = places(copy);
  const path = rng.pick(all);
  if (path.length === 0) {
    return { json: randomJson(rng), how: 'replaced' };
  }
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = path[path.length - 1];
  const how = rng.weighted({ type: 4, remove: 2, lengthen: 2, shorten: 2, duplicate: 1, vector: 1, base64: 1, huge: 1 });
  const target = parent[key];
  switch (how) {
    case 'type':
      parent[key] = randomJson(rng, 1);
      break;
    case 'remove':
      if (Array.isArray(parent)) {
        parent.splice(Number(key), 1);
      } else {
        delete parent[key];
      }
      break;
    case 'lengthen':
      if (Array.isArray(target)) {
        target.push(target.length ? target[0] : randomJson(rng, 1));
      } else {
        parent[key] = [target, target];
      }
      break;
    case 'shorten':
      if (Array.isArray(target)) {
        target.pop();
      } else {
        parent[key] = null;
      }
      break;
    case 'duplicate':
      if (Array.isArray(target) && target.length > 1) {
        target[1] = target[0];
      } else {
        parent[key] = '12 records';
      }
      break;
    case 'vector':
      parent[key] = rng.pick([[1, 2, 'x'], [1e400], [], [[1]], Array.from({ length: 7 }, () => rng.next())]);
      break;
    case 'base64':
      parent[key] = rng.pick(['AAAA', 'AAAAAA==', '!!!!', 'AACAPw', 'AACAPwAAgH8=', 'AACAPw==AACAPw==']);
      break;
    case 'huge':
      parent[key] = 'x'.repeat(rng.int(10_000, 100_000));
      break;
  }
  return { json: copy, how: `${how} at ${path.join('.') || 'root'}` };
}

let bombCache: { gzip: Buffer; deflate: Buffer } | undefined;

/**
 * Compression bombs. gzip: about 1 MB that grows to 1 GiB: one member of 1 MiB of spaces, repeated (gzip allows
 * concatenated members; fetch decodes them all), so making it costs almost nothing. deflate: 16 MiB compressed.
 */
export function compressionBombs(): { gzip: Buffer; deflate: Buffer } {
  if (!bombCache) {
    const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
    const copies = Math.ceil((1024 * 1024) / member.length);
    bombCache = {
      gzip: Buffer.concat(Array.from({ length: copies }, () => member)),
      deflate: deflateSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 }),
    };
  }
  return bombCache;
}

export function errorBody(rng: Rng, secret: string | undefined): Buffer {
  const message = rng.weighted({ plain: 3, long: 2, control: 2, secret: 1 });
  const text =
    message === 'plain'
      ? 'Error executing plan: something broke'
      : message === 'long'
        ? `${'line one\n'.repeat(rng.int(1, 20))}${'m'.repeat(rng.int(1000, 300_000))}`
        : message === 'control'
          ? '\u001b[31mred\u0007\u202eoverride\u2066isolate\r\n\u0000end\u0085\u2028'
          : `bad token ${secret ?? 'none'} for tenant`;
  return json(rng.chance(0.8) ? { error: rng.pick(['InternalError', 'InvalidArgumentError', `Kind${'\n'.repeat(3)}`, 'x'.repeat(5000)]), message: text } : { detail: text });
}
