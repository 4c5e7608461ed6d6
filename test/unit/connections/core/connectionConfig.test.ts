import * as assert from 'node:assert/strict';
import { authFor, connectionUrlProblem, CREDENTIALS_IN_URL, defaultConnectionName, parseConnections, secretKey } from '../../../../src/connections/core/connectionConfig';
import { parseCliCredentials } from '../../../../src/connections/core/cliProfiles';
import { Limiter } from '../../../../src/util/limiter';

describe('connections config (pure)', () => {
  it('keeps valid entries and explains the others', () => {
    const { connections, problems } = parseConnections([
      { name: 'local', url: 'http://localhost:8000' },
      { name: 'prod', url: 'https://chroma.example.com', tenant: 'acme', database: 'docs', authHeader: 'x-chroma-token' },
      { url: 'http://x:1' },
      { name: 'bad-url', url: 'localhost 8000' },
      { name: 'local', url: 'http://other:8000' },
      { name: 'weird-auth', url: 'http://x:1', authHeader: 'cookie' },
    ]);
    assert.deepEqual(connections.map((c) => c.name), ['local', 'prod']);
    assert.equal(connections[1].authHeader, 'x-chroma-token');
    assert.equal(problems.length, 4);
    assert.match(problems[0], /\[2\] has no name/);
    assert.match(problems[1], /"bad-url".*not a valid URL/);
    assert.match(problems[2], /"local" is used twice/);
    assert.match(problems[3], /authHeader must be one of/);
    assert.deepEqual(parseConnections({}).problems, ['chroma.connections must be an array of connections.']);
    assert.deepEqual(parseConnections(undefined), { connections: [], problems: [] });
  });

  it('refuses credentials in URLs, saying to use basic auth, never echoing them', () => {
    const secret = 'Hunter2-s3cret';
    const user = 'alice-token-9f';
    const withCredentials = [
      `http://${user}:${secret}@localhost:8000`,
      `https://${user}:${secret}@chroma.example.com/api/v2`,
      `https://${secret}@chroma.example.com`, // a token as the user name
      `http://:${secret}@localhost:8000`,
      `http:${user}:${secret}@localhost:8000`, // no slashes: still parsed as a host with credentials
      `http:\\${user}:${secret}@localhost:8000`,
      `  HTTP://${user}:${secret}@LOCALHOST:8000  `,
      `http://${user}:${secret}@local host:8000`, // not a valid URL either: the credentials are the first problem
    ];
    for (const url of withCredentials) {
      const problem = connectionUrlProblem(url);
      assert.equal(problem, CREDENTIALS_IN_URL, url);
    }
    assert.match(CREDENTIALS_IN_URL, /Basic auth/);
    assert.match(CREDENTIALS_IN_URL, /secret storage/);
    const { connections, problems } = parseConnections(withCredentials.map((url, i) => ({ name: `c${i}`, url })));
    assert.deepEqual(connections, []);
    assert.equal(problems.length, withCredentials.length);
    for (const p of problems) {
      assert.match(p, /user name or password in it.*Basic auth/);
      assert.ok(!p.includes(secret) && !p.includes(user), p);
    }
    // no false alarms: '@' in a path or query, and plain URLs
    for (const url of ['http://localhost:8000', 'https://chroma.example.com/a@b', 'http://localhost:8000/?x=a@b', 'http://[::1]:8000', 'http://@localhost:8000']) {
      assert.equal(connectionUrlProblem(url), undefined, url);
    }
    assert.match(connectionUrlProblem('localhost 8000') ?? '', /not a valid URL/);
  });

  it('default names are host:port, and Chroma Cloud for the cloud', () => {
    assert.equal(defaultConnectionName('http://localhost:8000'), 'localhost:8000');
    assert.equal(defaultConnectionName('https://chroma.example.com/'), 'chroma.example.com');
    assert.equal(defaultConnectionName('https://api.trychroma.com'), 'Chroma Cloud');
  });

  it('the secret key is bound to the name and the URL origin', () => {
    const a = secretKey({ name: 'prod', url: 'https://chroma.example.com/api/v2' });
    assert.equal(a, 'chroma.secret/https://chroma.example.com/prod');
    assert.equal(secretKey({ name: 'prod', url: 'https://chroma.example.com:443/' }), a);
    assert.notEqual(secretKey({ name: 'prod', url: 'https://evil.example.net' }), a);
    assert.notEqual(secretKey({ name: 'prod', url: 'http://chroma.example.com' }), a);
    assert.notEqual(secretKey({ name: 'other', url: 'https://chroma.example.com' }), a);
  });

  it('maps a stored secret to the right auth', () => {
    const base = { name: 'x', url: 'http://h:1' };
    assert.deepEqual(authFor(base, 'tok'), { kind: 'none' });
    assert.deepEqual(authFor({ ...base, authHeader: 'x-chroma-token' }, undefined), { kind: 'none' });
    assert.deepEqual(authFor({ ...base, authHeader: 'x-chroma-token' }, 'tok'), { kind: 'x-chroma-token', token: 'tok' });
    assert.deepEqual(authFor({ ...base, authHeader: 'authorization' }, 'tok'), { kind: 'bearer', token: 'tok' });
    assert.deepEqual(authFor({ ...base, authHeader: 'basic' }, 'me:p:w'), { kind: 'basic', username: 'me', password: 'p:w' });
  });

  it('reads Chroma CLI credentials (TOML), skipping profiles without a key', async () => {
    const text = '[default]\napi_key = "ck-1"\ntenant_id = "t-1"\n\n[work]\napi_key = "ck-2"\n\n[broken]\ntenant_id = "x"\n';
    const { profiles, problems } = await parseCliCredentials(text);
    assert.deepEqual(profiles, [
      { name: 'default', apiKey: 'ck-1', tenant: 't-1' },
      { name: 'work', apiKey: 'ck-2' },
    ]);
    assert.deepEqual(problems, ['Profile "broken" has no api_key; skipped.']);
    const bad = await parseCliCredentials('[default\napi_key=');
    assert.equal(bad.profiles.length, 0);
    assert.match(bad.problems[0], /not valid TOML/);
  });

  it('the limiter never runs more than its concurrency, and runs everything', async () => {
    const limiter = new Limiter(4);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5 + (i % 3)));
          active--;
          if (i === 7) {
            throw new Error('job 7 fails');
          }
          return i;
        }).catch((e: Error) => e.message),
      ),
    );
    assert.equal(peak, 4);
    assert.equal(limiter.peak, 4);
    assert.equal(results[7], 'job 7 fails');
    assert.equal(results[24], 24);
  });
});
