import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { claudeCodeCommand, MCP_SERVER_NAME, mcpConfig, shellWord } from '../../../../src/agents/core/mcp/clientConfig';
import { bearerMatches, hostAllowed, newToken, originAllowed, tokenProblem } from '../../../../src/agents/core/mcp/guard';

const endpoint = { name: MCP_SERVER_NAME, url: 'http://127.0.0.1:43117/mcp', token: newToken() };

/** The words a POSIX shell makes of a command line (bash itself parses it). */
function shellWords(line: string): string[] {
  const out = execFileSync('bash', ['-c', `set -- ${line.replace(/^claude /, '')}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('MCP server: client configurations and the guard', () => {
  it('gives Claude Code a `claude mcp add` line that a shell reads back as the intended words', () => {
    const line = claudeCodeCommand(endpoint);
    assert.equal(line, `claude mcp add --transport http chroma-explorer http://127.0.0.1:43117/mcp --header 'Authorization: Bearer ${endpoint.token}'`);
    assert.deepEqual(shellWords(line), ['mcp', 'add', '--transport', 'http', 'chroma-explorer', endpoint.url, '--header', `Authorization: Bearer ${endpoint.token}`]);
    // quoting holds for any text, quotes and shell syntax included
    for (const s of ["it's", 'a b', '$(rm -rf ~)', '`x`', '"q"', 'semi;colon', 'new\nline', '', 'plain-word_1.2:3/4']) {
      assert.deepEqual(shellWords(shellWord(s)), [s], JSON.stringify(s));
    }
  });

  it('gives VS Code, Cursor and plain JSON configurations that parse and hold the URL and the bearer header', () => {
    const headers = { Authorization: `Bearer ${endpoint.token}` };
    assert.deepEqual(JSON.parse(mcpConfig('vscode', endpoint)), { servers: { 'chroma-explorer': { type: 'http', url: endpoint.url, headers } } });
    assert.deepEqual(JSON.parse(mcpConfig('cursor', endpoint)), { mcpServers: { 'chroma-explorer': { url: endpoint.url, headers } } });
    assert.deepEqual(JSON.parse(mcpConfig('json', endpoint)), { name: 'chroma-explorer', transport: 'streamable-http', url: endpoint.url, headers });
    assert.equal(mcpConfig('claude-code', endpoint), claudeCodeCommand(endpoint));
  });

  it('makes random tokens and compares them in full', () => {
    const a = newToken();
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, newToken());
    assert.equal(tokenProblem(a), undefined);
    assert.match(tokenProblem('short') ?? '', /must be 20 to 512 characters/);
    assert.equal(bearerMatches(`Bearer ${a}`, a), true);
    assert.equal(bearerMatches(`bearer  ${a}`, a), true);
    for (const wrong of [undefined, '', a, `Bearer ${a.slice(0, -1)}`, `Bearer ${a}a`, `Basic ${a}`, `Bearer ${a} extra`, 'Bearer ']) {
      assert.equal(bearerMatches(wrong, a), false, String(wrong));
    }
  });

  it('takes only its own loopback address and port as Host and Origin', () => {
    assert.equal(hostAllowed('127.0.0.1:4000', 4000), true);
    for (const host of [undefined, '127.0.0.1', 'localhost:4000', '127.0.0.1:4001', 'evil.example:4000', '[::1]:4000', '127.0.0.1:4000.evil.example']) {
      assert.equal(hostAllowed(host, 4000), false, String(host));
    }
    assert.equal(originAllowed(undefined, 4000), true);
    assert.equal(originAllowed('http://127.0.0.1:4000', 4000), true);
    for (const origin of ['null', 'http://localhost:4000', 'https://127.0.0.1:4000', 'http://evil.example', 'http://127.0.0.1:4000.evil.example']) {
      assert.equal(originAllowed(origin, 4000), false, origin);
    }
  });
});
