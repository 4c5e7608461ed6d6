/**
 * Chroma for AI agents (issue 22): **Copy MCP Server Configuration** typed into the palette, the client typed into
 * its picker; the copied `claude mcp add` line is read from the browser's clipboard, and an MCP client connects with
 * what it holds and lists the collections.
 */
import * as assert from 'node:assert/strict';
import { connectMcp } from '../support/mcpClient';
import { NOTES } from './support/data';
import { clickTest } from './support/hooks';

describe('click: AI agents', () => {
  it(
    'Copy MCP Server Configuration for Claude Code: the copied command connects and lists notes',
    clickTest(
      (s) => s.connections(1),
      async (win) => {
        const origin = new URL(win.page.url()).origin;
        await win.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
        await win.runCommand('Chroma: Copy MCP Server Configuration');
        await win.choose('Claude Code');
        await win.waitForToast('the notification of the copy', /^Copied the MCP configuration for Claude Code \(http:\/\/127\.0\.0\.1:\d+\/mcp\)/, 60_000);
        const copied = await win.page.evaluate(() => navigator.clipboard.readText());
        const m = /^claude mcp add --transport http chroma-explorer (http:\/\/127\.0\.0\.1:\d+\/mcp) --header 'Authorization: Bearer ([A-Za-z0-9_-]{43})'$/.exec(copied);
        assert.ok(m, `copied: ${copied}`);
        const mcp = await connectMcp(m[1], { Authorization: `Bearer ${m[2]}` });
        try {
          assert.equal((await mcp.client.listTools()).tools.length, 16);
          const listed = await mcp.call('chroma_list_collections', { limit: 1000 });
          assert.equal(listed.isError, false, listed.text);
          assert.ok(listed.text.includes(JSON.stringify(NOTES)), listed.text);
        } finally {
          await mcp.close();
        }
      },
    ),
  );
});
