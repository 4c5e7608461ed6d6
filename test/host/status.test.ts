import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/platform/commandIds';
import { useChromaServer } from '../support/fixtures';
import { TestProxy } from '../support/proxy';
import { QuickInputDriver } from './quickInputDriver';
import { activateApi, clearConnections, until } from './support';

async function setInterval(seconds: number | undefined): Promise<void> {
  await vscode.workspace.getConfiguration().update('chroma.heartbeat.intervalSeconds', seconds, vscode.ConfigurationTarget.Global);
}

describe('status bar: heartbeat health in real VS Code', () => {
  const ctx = useChromaServer();
  let proxy: TestProxy;
  before(async () => {
    proxy = await TestProxy.start(ctx.server.url);
  });
  after(async () => {
    await setInterval(undefined);
    await proxy?.stop();
  });
  beforeEach(async () => {
    await setInterval(0);
    await clearConnections();
    proxy.reset();
  });
  afterEach(async () => {
    await setInterval(0);
    await clearConnections();
  });

  async function connectTo(url: string) {
    const api = await activateApi();
    await api.store.save({ name: 'status-test', url }, { secret: null });
    await api.store.setActive('status-test');
    return api;
  }

  it('shows version and latency, follows a server that stops and starts again', async function () {
    this.timeout(120_000);
    const api = await connectTo(ctx.server.url);
    const item = api.status.item;
    await until(() => /^\$\(database\) Chroma \d+\.x · \d+ ms$/.test(item.text), `a healthy text, got "${item.text}"`);
    assert.equal(item.backgroundColor, undefined);
    await ctx.server.pause();
    try {
      await vscode.commands.executeCommand(Commands.checkNow);
      assert.equal(item.text, '$(error) Chroma unreachable');
      assert.deepEqual(item.backgroundColor, new vscode.ThemeColor('statusBarItem.errorBackground'));
      // escaped: a server's text in this trusted tooltip can form no link
      assert.match((item.tooltip as vscode.MarkdownString).value, /status: Cannot reach Chroma at 127\\\.0\\\.0\\\.1\\:\d+/);
    } finally {
      await ctx.server.restart();
    }
    await vscode.commands.executeCommand(Commands.checkNow);
    assert.match(item.text, /^\$\(database\) Chroma 1\.x · \d+ ms$/);
  });

  it('the tooltip has URL, tenant/database, version, latency, last check, max_batch_size and the telemetry line', async () => {
    const api = await connectTo(ctx.server.url);
    await vscode.commands.executeCommand(Commands.checkNow);
    const md = api.status.item.tooltip as vscode.MarkdownString;
    const text = md.value;
    for (const want of [
      new RegExp(`URL: \`${ctx.server.url.replace(/\./g, '\\.')}\``),
      /tenant \/ database: default\\_tenant \/ default\\_database/,
      /version: 1\\\.0\\\.0/,
      /latency: \d+ ms/,
      /last successful check: \d/,
      /max_batch_size: \d+/,
      /anonymized telemetry is configured on the Chroma server \(ANONYMIZED_TELEMETRY\), not by any client/,
      /\[Telemetry facts\]\(command:chroma\.showTelemetry\)/,
    ]) {
      assert.match(text, want);
    }
    assert.ok(md.isTrusted);
    assert.equal(md.supportThemeIcons, false);
  });

  it('a server\'s version and tenant cannot put links, commands or icons into the trusted tooltip or the status text', async () => {
    // within the client's limit for a version string (64 characters)
    const hostile = '$(alert) 1.0.0 [Run](command:chroma.addConnection)';
    proxy.decide = (req) => {
      if (req.path.endsWith('/version')) {
        return { action: 'respond', status: 200, body: JSON.stringify(hostile) };
      }
      if (req.path.endsWith('/auth/identity')) {
        return { action: 'respond', status: 200, body: JSON.stringify({ user_id: '', tenant: '[t](command:x)', databases: ['<b>db</b>'] }) };
      }
      return { action: 'pass' };
    };
    const api = await connectTo(proxy.url);
    await vscode.commands.executeCommand(Commands.checkNow);
    const md = api.status.item.tooltip as vscode.MarkdownString;
    assert.match(md.value, /Run/, md.value);
    for (const raw of ['[Run](command:', '[t](command:x)', '<b>']) {
      assert.ok(!md.value.includes(raw), `${raw} in ${md.value}`);
    }
    assert.match(md.value, /\\\[Run\\\]\\\(command\\:chroma\\\.addConnection\\\)/);
    assert.match(md.value, /tenant \/ database: \\\[t\\\]\\\(command\\:x\\\) \/ \\<b\\>db\\<\\\/b\\>/);
    assert.equal(md.supportThemeIcons, false);
    assert.ok(api.status.item.text.startsWith('$(database) Chroma \\$(alert) 1.0.0'), api.status.item.text);
  });

  it('a proxy answering 401 turns the item into "sign in"', async () => {
    const api = await connectTo(proxy.url);
    await vscode.commands.executeCommand(Commands.checkNow); // joins the check the new connection started
    proxy.decide = () => ({ action: 'respond', status: 401, body: '{"error":"Unauthorized","message":"token"}' });
    await vscode.commands.executeCommand(Commands.checkNow);
    assert.equal(api.status.item.text, '$(key) Chroma: sign in');
    assert.deepEqual(api.status.item.backgroundColor, new vscode.ThemeColor('statusBarItem.warningBackground'));
  });

  it('the interval setting takes effect, and 0 turns polling off', async function () {
    this.timeout(60_000);
    const api = await connectTo(ctx.server.url);
    await vscode.commands.executeCommand(Commands.checkNow);
    const start = api.monitor.checks;
    await setInterval(0.2);
    await until(() => api.monitor.checks >= start + 3, 'three polls at a 0.2 s interval');
    await setInterval(0);
    // The poll under way may finish; after it, nothing is scheduled (interactions do not check either).
    await until(() => !api.monitor.pollScheduled, 'no poll scheduled once the interval is 0');
    const off = api.monitor.checks;
    await vscode.commands.executeCommand(Commands.showTelemetry);
    assert.equal(api.monitor.pollScheduled, false);
    assert.equal(api.monitor.checks, off, 'a command checked although polling is off');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('never two requests in flight: slow heartbeats, a short interval and clicks', async function () {
    this.timeout(60_000);
    const api = await connectTo(proxy.url);
    await vscode.commands.executeCommand(Commands.checkNow);
    proxy.reset();
    proxy.decide = () => ({ action: 'delay', ms: 300 });
    await setInterval(0.1);
    const clicks: Thenable<unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      clicks.push(vscode.commands.executeCommand(Commands.checkNow));
      // a click every 120 ms, while the 300 ms heartbeats are under way
      await new Promise((r) => setTimeout(r, 120));
    }
    await Promise.all(clicks);
    await until(() => proxy.seen.length >= 3, 'three heartbeats through the proxy');
    await setInterval(0);
    await until(() => !api.monitor.pollScheduled && proxy.inFlight === 0, 'polling to stop');
    assert.equal(proxy.maxInFlight, 1, `${proxy.maxInFlight} requests were in flight at once`);
    assert.ok(api.monitor.checks >= 3);
  });

  it('a Chroma command checks at once, and a burst of commands costs one check', async function () {
    this.timeout(60_000);
    const api = await connectTo(ctx.server.url);
    await setInterval(600); // no poll comes due during the test: every check seen is a command's
    await vscode.commands.executeCommand(Commands.checkNow);
    // Bursts of five commands, until one comes after the gap that follows a check: it checks once.
    const checked = await until(async () => {
      const at = api.monitor.checks;
      await Promise.all(Array.from({ length: 5 }, () => vscode.commands.executeCommand(Commands.showLog)));
      return api.monitor.checks > at ? api.monitor.checks - at : undefined;
    }, 'a burst of commands to check');
    assert.equal(checked, 1, `${checked} checks for a burst of 5 commands`);
  });

  it('the status menu offers switch, check, info and telemetry; "Check now" checks', async () => {
    const api = await connectTo(ctx.server.url);
    const driver = new QuickInputDriver();
    try {
      const before = api.monitor.checks;
      const done = vscode.commands.executeCommand(Commands.statusMenu);
      const menu = await driver.pick({ label: /Check now/ });
      assert.deepEqual(menu.labels.map((l) => l.replace(/^\$\([^)]*\) /, '')), [
        'Switch active connection…',
        'Check now',
        'Show server info',
        'Telemetry facts',
      ]);
      await done;
      assert.ok(api.monitor.checks > before);
    } finally {
      driver.dispose();
    }
  });

  it('"Server Telemetry…" opens a read-only page of the facts', async () => {
    const uri = await vscode.commands.executeCommand<string>(Commands.showTelemetry);
    const doc = await until(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri), 'the telemetry page');
    const text = doc.getText();
    assert.match(text, /This extension sends no telemetry at all/);
    assert.match(text, /ANONYMIZED_TELEMETRY=False/);
    assert.match(text, /Settings\(anonymized_telemetry=False\)/);
    assert.match(text, /PostHog/);
    assert.equal(doc.uri.scheme, 'chroma-info');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Show Server Info" shows version, identity, pre-flight values and the collection count', async () => {
    await connectTo(ctx.server.url);
    const uri = await vscode.commands.executeCommand<string>(Commands.showServerInfo);
    const doc = await until(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri), 'the server info page');
    const text = doc.getText();
    assert.match(text, /version: 1\\\.0\\\.0/);
    assert.match(text, /identity: user/);
    assert.match(text, /"max_batch_size": \d+/);
    assert.match(text, /collections in `default_database`: \d+/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('telemetry in the workspace: compose and .env', () => {
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const read = async (uri: vscode.Uri) => Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');

  it('"Add Chroma Service to docker-compose" keeps existing services and comments', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'docker-compose.yml');
    const original = '# team stack\nservices:\n  web: # public site\n    image: nginx:1.27\n  worker:\n    image: busybox\n    command: ["sleep", "1d"] # idle\n';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(original));
    await vscode.commands.executeCommand(Commands.addComposeService, uri);
    const text = await read(uri);
    for (const kept of ['# team stack', '# public site', '# idle', 'image: nginx:1.27', 'image: busybox']) {
      assert.ok(text.includes(kept), `lost "${kept}":\n${text}`);
    }
    assert.match(text, /chroma:\n {4}image: chromadb\/chroma:latest\n {4}ports:\n {6}- 8000:8000\n {4}environment:\n {6}- ANONYMIZED_TELEMETRY=False\n {4}volumes:\n {6}- \.\/chroma-data:\/data/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['$(pass) Chroma telemetry: off']);
    await vscode.workspace.fs.delete(uri);
  });

  it('a CodeLens shows telemetry on in a .env, and its one click turns it off', async () => {
    const uri = vscode.Uri.joinPath(folder(), '.env');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('CHROMA_SERVER_HOST=0.0.0.0\nANONYMIZED_TELEMETRY=True\n'));
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.equal(lenses.length, 1);
    const cmd = lenses[0].command!;
    assert.match(cmd.title, /Chroma telemetry: on\. Turn it off/);
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    assert.equal(await read(uri), 'CHROMA_SERVER_HOST=0.0.0.0\nANONYMIZED_TELEMETRY=False\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri);
  });
});
