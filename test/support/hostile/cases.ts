/**
 * `hostileCase(seed, request)`: the case for one request, a correct answer or one of many kinds of garbage. The same
 * seed and request always give the same case, so it can drive other consumers (the tree model, record views) and a
 * failure replays from its seed.
 */
import { gzipSync } from 'node:zlib';
import { compressionBombs, errorBody, mutate, randomJson } from './garbage';
import { Rng } from './rng';
import { HTML_TYPE, json, JSON_TYPE } from './types';
import type { Expect, HostileCase, HostileOptions, HostileRequest } from './types';
import { validAnswer } from './validAnswers';

/** How often each kind of case comes, in proportion. */
const WEIGHTS = {
  valid: 40,
  mutated: 20,
  randomJson: 6,
  truncated: 4,
  notJson: 3,
  html: 3,
  ltPage: 1,
  status: 5,
  redirect: 4,
  huge: 2,
  bomb: 2,
  gzipValid: 2,
  badGzip: 1,
  slowLoris: 2,
  stall: 1,
  cut: 2,
  reset: 1,
  malformed: 1,
  informational: 1,
};

type Kind = keyof typeof WEIGHTS;

/** What a case is made from: the request, its seeded randomness, and the correct answer when the endpoint has one. */
interface Ctx {
  rng: Rng;
  req: HostileRequest;
  opts: HostileOptions;
  valid: { status: number; json: unknown } | undefined;
  validBody: Buffer | undefined;
}

const base = (label: string, expect: Expect, status: number, body: Buffer, headers: Record<string, string> = JSON_TYPE): HostileCase => ({
  label,
  expect,
  status,
  headers: { ...headers },
  body,
});

/** The case for one request: a correct answer, or one of many kinds of garbage. Deterministic in `seed` and `req`. */
export function hostileCase(seed: number, req: HostileRequest, opts: HostileOptions): HostileCase {
  const rng = new Rng(seed);
  const valid = validAnswer(req, rng);
  const kind: Kind = rng.weighted(WEIGHTS);
  const validBody = valid ? json(valid.json) : undefined;
  if (validBody && validBody.length >= opts.maxBodyBytes) {
    // A harness bug, not a client one: a correct answer must fit under the client's cap.
    throw new Error(`hostile server: a valid answer of ${validBody.length} bytes is over the ${opts.maxBodyBytes}-byte cap`);
  }
  const ctx: Ctx = { rng, req, opts, valid, validBody };
  const c = answerCase(kind, ctx) ?? statusCase(kind, ctx) ?? sizeCase(kind, ctx) ?? transportCase(kind, ctx);
  if (!c) {
    throw new Error(`hostile server: no case of kind ${kind}`);
  }
  return c;
}

/** A correct answer, or garbage in place of its JSON body. */
function answerCase(kind: Kind, { rng, valid, validBody }: Ctx): HostileCase | undefined {
  switch (kind) {
    case 'valid':
      return valid ? base('valid', 'ok', valid.status, validBody!) : base('404', 'error', 404, json({ detail: 'Not Found' }));
    case 'mutated': {
      if (!valid) {
        return base('404', 'error', 404, json({ error: 'NotFoundError', message: 'no such thing' }));
      }
      const m = mutate(valid.json, rng);
      return base(`mutated (${m.how})`, 'either', 200, json(m.json));
    }
    case 'randomJson':
      return base('random JSON', 'either', rng.pick([200, 201]), json(randomJson(rng)));
    case 'truncated': {
      const whole = validBody ?? json(randomJson(rng));
      const cut = whole.subarray(0, rng.int(0, Math.max(0, whole.length - 1)));
      let parses = cut.length === 0;
      try {
        JSON.parse(cut.toString('utf8'));
        parses = true;
      } catch {
        // truncated for real
      }
      return base('truncated JSON', parses ? 'either' : 'error', 200, cut);
    }
    case 'notJson':
      return base('2xx not JSON', 'error', 200, Buffer.from(rng.pick(['12 records', 'OK', '<html><body>Welcome to nginx!</body></html>', '{"ids": [', 'NaN', "{'a': 1}"])), rng.chance(0.5) ? HTML_TYPE : JSON_TYPE);
    case 'html': {
      const status = rng.pick([200, 400, 404, 500, 502, 503, 504, 520]);
      const page = `<!DOCTYPE html><html><head><title>${status} Error</title><script>alert(1)</script></head><body><h1>${rng.word()}</h1>${'<p>filler</p>'.repeat(rng.int(0, 2000))}</body></html>`;
      return base(`HTML ${status}`, 'error', status, Buffer.from(page), HTML_TYPE);
    }
    case 'ltPage':
      return base('100 KB of <', 'error', rng.pick([200, 500, 502]), Buffer.alloc(100 * 1024, '<'), HTML_TYPE);
    default:
      return undefined;
  }
}

/** Error statuses and redirects (to the recorder). */
function statusCase(kind: Kind, { rng, req, opts }: Ctx): HostileCase | undefined {
  switch (kind) {
    case 'status': {
      const status = rng.pick([400, 401, 403, 404, 405, 409, 413, 418, 422, 429, 500, 501, 502, 503, 504, 599, 600, 799, 999]);
      const headers: Record<string, string> = { ...JSON_TYPE };
      if (status === 429 || status === 503) {
        headers['retry-after'] = rng.pick(['0', '1', '-5', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', '99999']);
      }
      return base(`status ${status}`, 'error', status, rng.chance(0.8) ? errorBody(rng, opts.secret) : Buffer.alloc(0), headers);
    }
    case 'redirect': {
      const status = rng.pick([300, 301, 302, 303, 304, 305, 307, 308]);
      const c = base(`redirect ${status}`, 'error', status, Buffer.from('moved'), HTML_TYPE);
      // 304 is "not modified", no redirect: the client says so as an unexpected answer
      c.expectCode = status === 304 ? 'unexpected-response' : 'redirect';
      c.redirectPath = rng.chance(0.9) ? req.path : undefined;
      return c;
    }
    default:
      return undefined;
  }
}

/** Bodies too large, compressed, or compressed badly. */
function sizeCase(kind: Kind, { rng, opts, valid, validBody }: Ctx): HostileCase | undefined {
  switch (kind) {
    case 'huge': {
      const size = opts.maxBodyBytes + rng.int(1, opts.maxBodyBytes * 2);
      const c = base('huge body', 'error', rng.pick([200, 500]), Buffer.alloc(size, rng.pick(['[', ' ', '"', 'a'])));
      c.expectCode = 'response-too-large';
      if (rng.chance(0.5)) {
        // Chunked: no length announced, so only counting catches it.
        c.headers['transfer-encoding'] = 'chunked';
      }
      return c;
    }
    case 'bomb': {
      const bombs = compressionBombs();
      const gzip = rng.chance(0.7);
      return {
        ...base(`${gzip ? 'gzip' : 'deflate'} bomb`, 'error', 200, gzip ? bombs.gzip : bombs.deflate, { ...JSON_TYPE, 'content-encoding': gzip ? 'gzip' : 'deflate' }),
        expectCode: 'response-too-large',
      };
    }
    case 'gzipValid':
      return valid
        ? base('valid, gzip-compressed', 'ok', valid.status, gzipSync(validBody!), { ...JSON_TYPE, 'content-encoding': 'gzip' })
        : base('404', 'error', 404, json({ detail: 'Not Found' }));
    case 'badGzip':
      return base('not really gzip', 'error', 200, Buffer.from('this is not gzip at all'), { ...JSON_TYPE, 'content-encoding': 'gzip' });
    default:
      return undefined;
  }
}

/** Answers that break at the HTTP or socket level: trickles, stalls, cuts, resets, malformed HTTP. */
function transportCase(kind: Kind, { rng, validBody }: Ctx): HostileCase | undefined {
  switch (kind) {
    case 'slowLoris': {
      // 1 byte per 200 ms of at least 20 bytes: never complete within a client timeout under 4 s.
      const body = Buffer.concat([validBody ?? json(randomJson(rng)), Buffer.alloc(20, ' ')]);
      const c = base('slow-loris', 'error', 200, body);
      c.expectCode = 'timeout';
      c.headers['content-length'] = String(body.length);
      c.trickle = { bytes: 1, everyMs: 200 };
      return c;
    }
    case 'stall':
      return { ...base('stall', 'error', 200, Buffer.alloc(0)), stall: true, expectCode: 'timeout' };
    case 'cut': {
      const body = validBody ?? json(randomJson(rng));
      const c = base('cut short', 'error', 200, body);
      c.headers['content-length'] = String(body.length + rng.int(1, 1000));
      c.cutAfter = rng.int(0, body.length);
      return c;
    }
    case 'reset':
      return { ...base('reset before answering', 'error', 200, Buffer.alloc(0)), cutAfter: -1 };
    case 'malformed':
      return {
        ...base('malformed HTTP', 'error', 0, Buffer.alloc(0)),
        raw: Buffer.from(
          rng.pick([
            'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello',
            'SSH-2.0-OpenSSH_9.6\r\n',
            'HTTP/1.1 abc Nope\r\n\r\n',
            `HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(100_000)}\r\n\r\n`,
            'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}',
            '\u0000\u0001\u0002garbage\r\n\r\n',
          ]),
        ),
      };
    case 'informational':
      return {
        ...base('1xx then nothing', 'error', 0, Buffer.alloc(0)),
        raw: Buffer.from(rng.pick(['HTTP/1.1 102 Processing\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n', 'HTTP/1.1 100 Continue\r\n\r\n'])),
        stall: true,
      };
    default:
      return undefined;
  }
}
