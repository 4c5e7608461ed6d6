/**
 * What the status bar, its tooltip, Server Info and Check Server say about a server: what is known ("Chroma 1.x",
 * "Chroma Cloud") rather than the "1.0.0" every 1.x server reports, and its capabilities; every server word escaped.
 */
import * as assert from 'node:assert/strict';
import type { ServerCapabilities, ServerProbe } from '../../../../src/chroma';
import type { Health } from '../../../../src/status/core/monitor';
import type { ConnectionConfig } from '../../../../src/connections/core/connectionConfig';
import { serverInfoMarkdown } from '../../../../src/status/core/serverInfo';
import { capabilitySummary, checkSummary, serverLabel, versionNote } from '../../../../src/status/core/serverText';
import { statusText, statusTooltip } from '../../../../src/status/core/statusText';
import { activeTags, renderMarkdown, visibleText } from '../../util/markdown';

/** What Chroma newest showed (see test/unit/chroma/capabilities.test.ts), with a hostile server word in one answer. */
const NEWEST: ServerCapabilities = {
  features: {
    base64: { support: 'yes', how: 'pre-flight says supports_base64_encoding' },
    databases: { support: 'yes', how: "in the server's OpenAPI" },
    listMetadata: { support: 'yes', how: "metadata values may be lists in the server's OpenAPI" },
    schema: { support: 'yes', how: "collections have one in the server's OpenAPI" },
    indexingStatus: { support: 'no', how: 'it answered 500: "Method scout_logs is not implemented"' },
    search: { support: 'no', how: 'it answered 501: "[open](command:chroma.deleteCollection) <img src=x> | cell $(alert)"' },
    fork: { support: 'no', how: 'fork count: it answered 501: "Count forks is unsupported for local chroma"' },
    functions: { support: 'unknown', how: "in the server's OpenAPI; not tried (attaching writes)" },
  },
  openApi: true,
  singleNode: true,
};

const connection = { name: 'local', url: 'http://localhost:8000' };

function facts(version: string, cloud = false) {
  return { version, preflight: { max_batch_size: 1000, supports_base64_encoding: true }, scope: { tenant: 'default_tenant', database: 'default_database' }, capabilities: NEWEST, cloud };
}

function healthy(version: string, cloud = false, conn: ConnectionConfig = connection): Health {
  return { state: 'healthy', connection: conn, latencyMs: 12.4, checkedAt: Date.UTC(2025, 0, 1), facts: facts(version, cloud) };
}

describe('server text (pure)', () => {
  it('a 1.x server is "1.x" (they all report 1.0.0); 0.x keeps its own version; Cloud is Cloud; anything else as it is', () => {
    assert.equal(serverLabel('1.0.0', false), '1.x');
    assert.equal(serverLabel('2.3.1-rc.1', false), '2.x');
    assert.equal(serverLabel('0.6.3', false), '0.6.3');
    assert.equal(serverLabel('1.0.0', true), 'Cloud');
    assert.equal(serverLabel('$(alert) 1.0.0 [Run](command:x)', false), '$(alert) 1.0.0 [Run](command:x)', 'not a version: shown (escaped) as it is');
    assert.match(versionNote('1.0.0', false) ?? '', /every 1\.x server reports 1\.0\.0/);
    assert.equal(versionNote('0.6.3', false), undefined);
  });

  it('the status bar says "Chroma 1.x", not the version that lies; a hostile version draws no icon', () => {
    assert.equal(statusText(healthy('1.0.0')), '$(database) Chroma 1.x · 12 ms');
    assert.equal(statusText(healthy('1.0.0', true)), '$(database) Chroma Cloud · 12 ms');
    assert.equal(statusText(healthy('0.6.3')), '$(database) Chroma 0.6.3 · 12 ms');
    assert.equal(statusText(healthy('$(alert) 1.0.0')), '$(database) Chroma \\$(alert) 1.0.0 · 12 ms');
    assert.equal(statusText({ state: 'down', connection, message: 'x', since: 0 }), '$(error) Chroma unreachable');
  });

  it('a local server is named by its folder: "Chroma local · ./chroma"; a folder name draws no icon', () => {
    const local = { ...connection, local: './chroma' };
    assert.equal(statusText(healthy('1.0.0', false, local)), '$(database) Chroma local · ./chroma');
    assert.equal(statusText({ state: 'checking', connection: local }), '$(sync~spin) Chroma local · ./chroma');
    assert.equal(statusText({ state: 'down', connection: local, message: 'x', since: 0 }), '$(error) Chroma local · ./chroma unreachable');
    assert.equal(statusText(healthy('1.0.0', false, { ...connection, local: './$(alert)' })), '$(database) Chroma local · ./\\$(alert)');
  });

  it('the tooltip shows what is known, the reported version with why it is not shown, and the capabilities', () => {
    const md = statusTooltip(healthy('1.0.0'));
    const text = visibleText(renderMarkdown(md));
    assert.match(text, /server: Chroma 1\.x\n/);
    assert.match(text, /version: 1\.0\.0 \(as reported; every 1\.x server reports 1\.0\.0, so only the major version is known\)/);
    assert.match(text, /supported: base64 embeddings, listing databases, list metadata values, collection schema\n/);
    assert.match(text, /not supported: indexing status, search API, forking collections\n/);
    assert.match(text, /not known: collection functions\n/);
    assert.match(text, /a single-node server/);
    // server words stay out of the trusted tooltip's capability lines (the labels are ours): no link but our commands
    const links = activeTags(renderMarkdown(md)).filter((t) => t.startsWith('<a'));
    assert.ok(links.every((t) => /href="command:chroma\.(showTelemetry|checkNow|switchConnection)"/.test(t)), links.join('\n'));
    const down = visibleText(renderMarkdown(statusTooltip({ state: 'down', connection, message: 'gone', since: 0, facts: facts('1.0.0') })));
    assert.match(down, /server: Chroma 1\.x \(when last seen\)/);
    assert.match(visibleText(renderMarkdown(statusTooltip(healthy('1.0.0', true)))), /max_batch_size: 1000 \(Chroma Cloud takes 300 records per write\)/);
  });

  it('a hostile version and tenant form no link, image or icon in the trusted tooltip', () => {
    const h = healthy('[Run](command:chroma.addConnection) <b>x</b>');
    if (h.state === 'healthy') {
      h.facts.scope.tenant = '[t](command:x)';
    }
    const md = statusTooltip(h);
    assert.ok(!md.includes('[Run](command:') && !md.includes('[t](command:x)') && !md.includes('<b>'), md);
    const links = activeTags(renderMarkdown(md)).filter((t) => t.startsWith('<a') || t.startsWith('<img'));
    assert.ok(links.every((t) => /href="command:chroma\.(showTelemetry|checkNow|switchConnection)"/.test(t)), links.join('\n'));
  });

  it('Server Info: the server as known, and a table of capabilities with how each was learnt, server words inert', () => {
    const probe: ServerProbe = { url: 'http://localhost:8000', latencyMs: 3, collections: 2, ...facts('1.0.0') };
    const page = serverInfoMarkdown(connection, { probe, identity: { user_id: '', tenant: 'default_tenant', databases: ['default_database'] } });
    const html = renderMarkdown(page);
    assert.deepEqual(activeTags(html).filter((t) => !/^<(h1|h2|table|strong)>$/.test(t)), [], page);
    const text = visibleText(html);
    assert.match(text, /server: Chroma 1\.x, single-node/);
    assert.match(text, /Detected from the server's OpenAPI \(\/openapi\.json\) and its answers, not from the version\./);
    // one row per feature, the hostile answer kept in its cell as text
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => visibleText(m[1]).split(/\n+/));
    assert.equal(rows.length, 9);
    assert.deepEqual(rows[3], ['list metadata values', 'yes', "metadata values may be lists in the server's OpenAPI"]);
    assert.deepEqual(rows[6], ['search API', 'no', 'it answered 501: "[open](command:chroma.deleteCollection) <img src=x> | cell $(alert)"']);
    assert.deepEqual(rows[8], ['collection functions', 'not known', "in the server's OpenAPI; not tried (attaching writes)"]);
    assert.doesNotMatch(text, /Chroma Cloud limits apply/);
    const cloud = serverInfoMarkdown(connection, { probe: { ...probe, cloud: true } });
    assert.match(cloud, /server: Chroma Cloud/);
    assert.match(cloud, /Chroma Cloud limits apply, checked before anything is sent: 300 records per read and per write/);
  });

  it('Check Server: one plain line with what is known and what is supported', () => {
    const probe: ServerProbe = { url: 'http://localhost:8000', latencyMs: 3.2, collections: 1, ...facts('1.0.0') };
    assert.equal(
      checkSummary('localhost:8000', probe),
      'Chroma 1.x at localhost:8000: 3 ms, 1 collection in default_tenant/default_database, max batch 1000; ' +
        `${capabilitySummary(NEWEST)}.`,
    );
    assert.equal(
      capabilitySummary(NEWEST),
      'supported: base64 embeddings, listing databases, list metadata values, collection schema; not supported: indexing status, search API, forking collections; not known: collection functions',
    );
  });
});
