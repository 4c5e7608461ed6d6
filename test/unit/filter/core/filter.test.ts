import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { ChromaError, ChromaUnsupportedError } from '../../../../src/chroma';
import type { ChromaClient, Collection, Where, WhereDocument } from '../../../../src/chroma';
import { FILTER_SCHEMA_FILE, MAX_FILTER_DEPTH, checkFilter, filterSchema } from '../../../../src/filter/core/check';
import { explainFilterError } from '../../../../src/filter/core/explain';
import type { Filter } from '../../../../src/filter/core/filter';
import { SchemaChecker } from '../../../../src/filter/core/schemaCheck';
import { PROJECT_ROOT, serverKindFromEnv } from '../../../support/chromaServer';
import type { ChromaServerKind } from '../../../support/chromaServer';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';

const KIND = serverKindFromEnv();
const B63 = 2 ** 63;
const B64 = 2 ** 64;

/**
 * One filter, what the schema says of it (`ok`, or the path its message names) and what each server says. Where
 * the servers differ the schema follows the newest, and the older server's refusal must be explained instead.
 */
interface Case {
  where?: unknown;
  doc?: unknown;
  /** undefined: accepted; else the path the message names and words it must have. */
  bad?: { path: string; says: RegExp };
  /** Whether the server takes it, when that is not what the schema says. */
  server?: Partial<Record<ChromaServerKind, boolean>>;
  /** For a server refusal the schema cannot see: what explainFilterError must say. */
  explained?: RegExp;
}

const nest = (levels: number, inner: unknown): unknown => {
  let w = inner;
  for (let i = 0; i < levels; i++) {
    w = { $and: [w] };
  }
  return w;
};

const NEWER = { '1.0.0': false, newest: true };
const OLDER = { '1.0.0': true, newest: false };

const CASES: Case[] = [
  // where: accepted
  { where: { year: 2020 } },
  { where: { name: 'x' } },
  { where: { ok: true } },
  { where: { '': 1 } },
  { where: { year: { $eq: 2020 } } },
  { where: { year: { $eq: 'x' } } },
  { where: { year: { $ne: false } } },
  { where: { year: { $gt: 2020 } } },
  { where: { year: { $gte: -1.5 } } },
  { where: { year: { $lt: 1e300 } } },
  { where: { year: { $lte: B64 } } },
  { where: { year: { $gt: -B63 } } },
  { where: { year: { $in: [2020] } } },
  { where: { year: { $in: [1.5, 2020] } } },
  { where: { year: { $in: [1.5, 1e19] } } },
  { where: { year: { $in: [-B63, 1] } } },
  // whole and decimal numbers mixed, in any order: the client writes them all as decimals (2020.0)
  { where: { year: { $in: [2020, 1.5] } } },
  { where: { year: { $nin: [2, 0.5, 3] } } },
  { where: { year: { $in: [1e19, 1.5] } } },
  { where: { year: { $in: [1, -B63] } } },
  { where: { year: { $in: [1e19] } } },
  { where: { name: { $nin: ['x', 'y'] } } },
  { where: { ok: { $in: [true, false] } } },
  { where: { $and: [{ year: 2020 }, { name: 'x' }] } },
  { where: { $or: [{ year: 2020 }] } },
  { where: { $and: [] } },
  { where: { $or: [] } },
  { where: { $and: [{ $or: [{ year: 2020 }, { year: 2021 }] }, { name: { $ne: 'y' } }] } },
  { where: nest(62, { year: { $gt: 1 } }) },
  // where: refused by both
  { where: {}, bad: { path: 'where', says: /empty/ } },
  { where: 'year', bad: { path: 'where', says: /needs an object/ } },
  { where: [{ year: 1 }], bad: { path: 'where', says: /needs an object/ } },
  { where: { year: 2020, name: 'x' }, bad: { path: 'where', says: /more than one condition.*\$and/ } },
  { where: { $and: [{ year: 1 }], $or: [{ year: 1 }] }, bad: { path: 'where', says: /more than one condition/ } },
  { where: { year: { $gt: 'x' } }, bad: { path: 'where.year.$gt', says: /needs a number, got "x"/ } },
  { where: { year: { $gt: true } }, bad: { path: 'where.year.$gt', says: /needs a number/ } },
  { where: { year: { $lt: null } }, bad: { path: 'where.year.$lt', says: /needs a number/ } },
  { where: { $and: [{ year: 1 }, { year: { $gte: '2020' } }] }, bad: { path: 'where.$and[1].year.$gte', says: /needs a number/ } },
  { where: { year: null }, bad: { path: 'where.year', says: /string, number or boolean/ } },
  { where: { year: [1, 2] }, bad: { path: 'where.year', says: /string, number or boolean/ } },
  { where: { year: { $eq: null } }, bad: { path: 'where.year.$eq', says: /string, number or boolean/ } },
  { where: { year: { $eq: [1] } }, bad: { path: 'where.year.$eq', says: /string, number or boolean/ } },
  { where: { year: { $eq: {} } }, bad: { path: 'where.year.$eq', says: /string, number or boolean/ } },
  { where: { year: 1e19 }, bad: { path: 'where.year', says: /out of range/ } },
  { where: { year: { $gt: B63 } }, bad: { path: 'where.year.$gt', says: /2\^63/ } },
  { where: { year: { $gt: B64 - 2048 } }, bad: { path: 'where.year.$gt', says: /out of range/ } },
  { where: { year: { $in: [] } }, bad: { path: 'where.year.$in', says: /non-empty list/ } },
  { where: { year: { $nin: [] } }, bad: { path: 'where.year.$nin', says: /non-empty list/ } },
  { where: { year: { $in: 2020 } }, bad: { path: 'where.year.$in', says: /list/ } },
  { where: { year: { $in: [2020, 'x'] } }, bad: { path: 'where.year.$in[1]', says: /needs a number, got "x": the list starts with one/ } },
  { where: { year: { $in: ['x', 1] } }, bad: { path: 'where.year.$in[1]', says: /needs a string/ } },
  { where: { year: { $in: [true, 1] } }, bad: { path: 'where.year.$in[1]', says: /needs a boolean/ } },
  { where: { year: { $in: [1.5, 'x'] } }, bad: { path: 'where.year.$in[1]', says: /needs a number/ } },
  { where: { year: { $in: [null] } }, bad: { path: 'where.year.$in', says: /list/ } },
  { where: { year: { $in: [[1]] } }, bad: { path: 'where.year.$in', says: /list/ } },
  { where: { $and: { year: 2020 } }, bad: { path: 'where.$and', says: /list of filters/ } },
  { where: { $and: null }, bad: { path: 'where.$and', says: /list of filters/ } },
  { where: { $and: [{ year: 2020 }, {}] }, bad: { path: 'where.$and[1]', says: /empty/ } },
  { where: { $and: [{ year: 2020 }, 1] }, bad: { path: 'where.$and[1]', says: /needs an object/ } },
  { where: { $or: [{ year: { $gt: 'x' } }, { year: 1 }] }, bad: { path: 'where.$or[0].year.$gt', says: /needs a number/ } },
  { where: { year: { $gt: 1, $lt: 3000 } }, bad: { path: 'where.year', says: /more than one operator/ } },
  { where: { year: {} }, bad: { path: 'where.year', says: /no operator/ } },
  { where: { year: { $foo: 1 } }, bad: { path: 'where.year.$foo', says: /not an operator/ } },
  { where: { year: { year: 2 } }, bad: { path: 'where.year.year', says: /not an operator/ } },
  { where: { year: { $regex: 'x' } }, bad: { path: 'where.year.$regex', says: /document text/ } },
  { where: { year: { $not_regex: 'x' } }, bad: { path: 'where.year.$not_regex', says: /document text/ } },
  { where: { $not: { year: 1 } }, bad: { path: 'where.$not', says: /not an operator at this level/ } },
  { where: { $foo: [{ a: 1 }, { b: 2 }] }, bad: { path: 'where.$foo', says: /not an operator/ } },
  { where: nest(62, { year: { $in: [1] } }), bad: { path: `where${'.$and[0]'.repeat(62)}.year.$in`, says: /nested more than 126/ } },
  // where: the servers differ
  { where: { $eq: 1 }, bad: { path: 'where.$eq', says: /not an operator at this level/ }, server: OLDER },
  { where: { tags: { $contains: 'x' } }, server: NEWER, explained: /where\.tags\.\$contains: .*Chroma 1\.5/ },
  { where: { tags: { $not_contains: 1 } }, server: NEWER, explained: /where\.tags\.\$not_contains/ },
  { where: { tags: { $contains: true } }, server: NEWER, explained: /where\.tags\.\$contains/ },
  { where: { tags: { $contains: ['x'] } }, bad: { path: 'where.tags.$contains', says: /string, number or boolean/ } },
  { where: { '#document': { $contains: 'hello' } }, server: NEWER, explained: /where\.#document: .*where_document/ },
  { where: { '#document': { $regex: 'h.*' } }, server: NEWER, explained: /where\.#document/ },
  { where: { $and: [{ year: 2020 }, { '#document': { $not_regex: 'x' } }] }, server: NEWER, explained: /where\.\$and\[1\]\.#document/ },
  { where: { '#document': { $contains: 1 } }, bad: { path: 'where.#document.$contains', says: /needs a string/ } },
  { where: { '#document': 'hello' }, server: OLDER, explained: /where\.#document: .*index/ },
  // where_document: accepted
  { doc: { $contains: 'hello' } },
  { doc: { $contains: '' } },
  { doc: { $not_contains: 'hello' } },
  { doc: { $regex: 'h.*o' } },
  { doc: { $regex: '(?i)HELLO' } },
  { doc: { $regex: '\\pL+' } },
  { doc: { $not_regex: 'x' } },
  { doc: { $and: [{ $contains: 'a' }, { $contains: 'b' }] } },
  { doc: { $and: [{ $contains: 'a' }] } },
  { doc: { $or: [] } },
  { doc: { $or: [{ $contains: 'a' }, { $and: [{ $regex: 'b' }, { $not_contains: 'c' }] }] } },
  { where: { year: 2020 }, doc: { $contains: 'hello' } },
  // where_document: refused
  { doc: {}, bad: { path: 'where_document', says: /empty/ } },
  { doc: 'hello', bad: { path: 'where_document', says: /needs an object/ } },
  { doc: [], bad: { path: 'where_document', says: /needs an object/ } },
  { doc: { $contains: 1 }, bad: { path: 'where_document.$contains', says: /needs a string, got 1/ } },
  { doc: { $contains: null }, bad: { path: 'where_document.$contains', says: /needs a string/ } },
  { doc: { $contains: ['a'] }, bad: { path: 'where_document.$contains', says: /needs a string/ } },
  { doc: { $contains: 'a', $regex: 'b' }, bad: { path: 'where_document', says: /more than one operator/ } },
  { doc: { hello: 'x' }, bad: { path: 'where_document.hello', says: /not a where_document operator/ } },
  { doc: { $eq: 'x' }, bad: { path: 'where_document.$eq', says: /not a where_document operator/ } },
  { doc: { $in: ['a'] }, bad: { path: 'where_document.$in', says: /not a where_document operator/ } },
  { doc: { $and: {} }, bad: { path: 'where_document.$and', says: /list of where_document filters/ } },
  { doc: { $and: [{}] }, bad: { path: 'where_document.$and[0]', says: /empty/ } },
  { doc: { $or: [{ $contains: 'a' }, 'b'] }, bad: { path: 'where_document.$or[1]', says: /needs an object/ } },
  { where: { year: 2020 }, doc: { $contains: 1 }, bad: { path: 'where_document.$contains', says: /needs a string/ } },
  { where: { year: 'x' }, doc: { $foo: 'hello' }, bad: { path: 'where_document.$foo', says: /not a where_document operator/ } },
  // where_document: regular expressions only the server can judge (Rust regex syntax)
  { doc: { $regex: '(' }, server: { '1.0.0': false, newest: false }, explained: /^Chroma refused the filter: where_document\.\$regex: "\(" is not a regular expression it takes: unclosed group/ },
  { doc: { $not_regex: '[a' }, server: { '1.0.0': false, newest: false }, explained: /^Chroma refused the filter: where_document\.\$not_regex: .*unclosed character class/ },
  { doc: { $regex: '(?=x)' }, server: { '1.0.0': false, newest: false }, explained: /look-around/ },
  { doc: { $regex: '\\1' }, server: { '1.0.0': false, newest: false }, explained: /backreferences/ },
  {
    doc: { $and: [{ $regex: 'a' }, { $regex: ')' }] },
    server: { '1.0.0': false, newest: false },
    explained: /^Chroma refused the filter: where_document\.\$and\[1\]\.\$regex: "\)" .*unopened group/,
  },
];

function filterOf(c: Case): Filter {
  const f: Filter = {};
  if ('where' in c) {
    f.where = c.where as Where;
  }
  if ('doc' in c) {
    f.whereDocument = c.doc as WhereDocument;
  }
  return f;
}

const label = (c: Case) => JSON.stringify(filterOf(c)).slice(0, 120);

/** The client's own refusal, before sending, of a filter part the server's generation lacks. */
const isPreSend = (e: ChromaError): boolean => e instanceof ChromaUnsupportedError && e.operation === 'filter';

describe('filters: the schema and checkFilter agree with the real server', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let col: Collection;

  before(async () => {
    client = clientFor(ctx.server.url);
    col = await client.createCollection({ name: uniqueName('filter') });
    await client.add(col, {
      ids: ['a', 'b', 'c'],
      embeddings: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      documents: ['hello world', 'foo bar', 'baz'],
      metadatas: [{ year: 2020, name: 'x', ok: true, f: 1.5 }, { year: 2021, name: 'y', ok: false }, { year: 2022 }],
    });
    col = await client.getCollection(col.name);
  });

  /**
   * What the server says of a filter through get and through query; they must say the same. A filter the client
   * refuses before sending (a part this server's generation lacks) is sent as it is too, and the server must refuse
   * it: then the client's refusal is the answer.
   */
  async function send(filter: Filter): Promise<true | ChromaError> {
    const outcome = async (p: Promise<unknown>): Promise<true | ChromaError> => {
      try {
        await p;
        return true;
      } catch (e) {
        if (e instanceof ChromaError && (e.status === 400 || isPreSend(e))) {
          return e;
        }
        throw e;
      }
    };
    const got = await outcome(client.get(col, { ...filter, limit: 1 }));
    const queried = await outcome(client.query(col, { ...filter, queryEmbeddings: [[1, 0]], nResults: 1 }));
    assert.equal(queried === true, got === true, `get and query disagree on ${JSON.stringify(filter)}`);
    if (got !== true && isPreSend(got)) {
      const raw = await outcome(
        client.transport.request('POST', `/api/v2/tenants/${col.tenant}/databases/${col.database}/collections/${col.id}/get`, {
          body: { where: filter.where, where_document: filter.whereDocument, limit: 1 },
        }),
      );
      assert.ok(raw !== true, `the client refused what the ${KIND} server takes: ${got.message}`);
    }
    return got;
  }

  it(`has at least 40 cases, valid and invalid, for where and where_document (${CASES.length})`, () => {
    assert.ok(CASES.length >= 40);
    assert.ok(CASES.filter((c) => c.bad && 'where' in c).length >= 10);
    assert.ok(CASES.filter((c) => c.bad && 'doc' in c).length >= 10);
    assert.ok(CASES.filter((c) => !c.bad && 'where' in c).length >= 10);
    assert.ok(CASES.filter((c) => !c.bad && 'doc' in c).length >= 10);
  });

  for (const c of CASES) {
    it(`${c.bad ? 'refuses' : 'accepts'} ${label(c)}`, async () => {
      const filter = filterOf(c);
      const problem = checkFilter(filter);
      if (c.bad) {
        assert.ok(problem, 'checkFilter found nothing wrong');
        assert.ok(problem.startsWith(`${c.bad.path}: `), `wrong part named: ${problem}`);
        assert.match(problem, c.bad.says);
        assert.ok(!/\[object Object\]|undefined|must (be|have|match)/.test(problem), `not a human message: ${problem}`);
      } else {
        assert.equal(problem, undefined);
      }

      const answer = await send(filter);
      const expected = c.server?.[KIND] ?? !c.bad;
      assert.equal(answer === true, expected, `the ${KIND} server ${answer === true ? 'took' : `refused (${answer instanceof ChromaError ? answer.serverMessage : ''})`} it`);
      if (answer !== true && isPreSend(answer)) {
        // refused before sending, for what this server's generation lacks: said so, naming the part
        assert.match(answer.message, /^Filter not supported by this server \(Chroma [^)]+\): where/);
        assert.ok(problem || (c.explained && c.explained.test(answer.message)), answer.message);
      } else if (answer !== true) {
        const explained = explainFilterError(answer, filter);
        assert.ok(explained, `no explanation of "${answer.serverMessage}"`);
        if (problem) {
          // Server 400 ⇔ checkFilter message: the explanation is that message.
          assert.ok(explained.includes(problem), explained);
        } else {
          assert.ok(c.explained, `the server refused what the schema takes: ${answer.serverMessage}`);
          assert.match(explained, c.explained);
        }
      } else if (problem) {
        // Only where the servers differ may the server take what the schema refuses.
        assert.ok(c.server, `the server took what checkFilter refuses: ${problem}`);
      }
    });
  }

  it('explains nothing about errors that are not about the filter', async () => {
    const err = await client.query(col, { queryEmbeddings: [[1, 0, 0]], nResults: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error);
    assert.equal(explainFilterError(err, { where: { year: 1 } }), undefined);
    const missing = await client.get({ ...col, id: '00000000-0000-0000-0000-000000000000' }, { where: { year: 1 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(missing instanceof Error);
    assert.equal(explainFilterError(missing, { where: { year: 1 } }), undefined);
    assert.equal(explainFilterError(new TypeError('x'), {}), undefined);
    assert.equal(explainFilterError('Invalid where clause', {}), undefined);
  });

  it('explains a refusal of a filter sent unchecked, deeper than Chroma reads, at the place it names', async () => {
    const filter = { where: nest(MAX_FILTER_DEPTH, { year: 1 }) as Where };
    const answer = await send(filter);
    assert.ok(answer !== true);
    assert.match(answer.serverMessage ?? '', /Failed to parse the request body as JSON: where\.\$and/);
    assert.match(explainFilterError(answer, filter) ?? '', /^Chroma refused the filter: where(\.\$and\[0\])+: is nested more than 126 levels deep/);
  });
});

describe('filters: the schema file', () => {
  const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, FILTER_SCHEMA_FILE), 'utf8')) as Record<string, unknown>;

  it('is what checkFilter checks against', () => {
    assert.deepEqual(filterSchema(), schema);
  });

  it('has the definitions other schemas refer to', () => {
    const defs = schema.definitions as Record<string, unknown>;
    assert.ok(defs.where && defs.whereDocument);
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  });

  it('means the same to a standard draft-07 validator (what VS Code and playground files use) as to checkFilter', () => {
    const ajv = new Ajv({ strict: false, allErrors: false });
    const validate = ajv.compile(schema);
    for (const c of CASES) {
      const body: Record<string, unknown> = {};
      if ('where' in c) {
        body.where = c.where;
      }
      if ('doc' in c) {
        body.where_document = c.doc;
      }
      const deep = /nested/.test(c.bad?.says.source ?? '');
      assert.equal(validate(body), deep || !c.bad, `ajv and checkFilter disagree on ${label(c)}`);
    }
  });

  it('uses only keywords the checker applies, and says so when it does not', () => {
    assert.doesNotThrow(() => new SchemaChecker(schema));
    assert.throws(() => new SchemaChecker({ definitions: { x: { pattern: '^a' } } }), /does not support the keyword "pattern"/);
    assert.throws(() => new SchemaChecker({ $ref: '#/definitions/missing' }), /nothing at #\/definitions\/missing/);
  });
});
