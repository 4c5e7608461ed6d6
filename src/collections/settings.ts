/**
 * Collection settings: Edit Collection… (name, metadata, the search parameters and embedding function Chroma lets
 * you change; what is set is shown, and only what changed is sent), the read-only configuration/schema page, and
 * Fork Collection… where the server can fork (as ChromaClient.capabilities detected it, never guessed).
 */
import * as vscode from 'vscode';
import { collectionNameMessage } from '../chroma';
import type { ChromaClient, Collection, ModifyCollectionParams } from '../chroma';
import type { Target } from '../connections/core/target';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { showMarkdownPage } from '../platform/infoDocuments';
import { BACK, inputStep, pickStep } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import type { CollectionsDeps } from './index';
import { boundedJson, displayLine, encodeIdPart, escapeIcons, notificationText } from '../util/text';
import {
  MODIFIABLE,
  currentSettings,
  describeChanges,
  functionLabel,
  modifyPayload,
  parseEmbeddingFunction,
  parseMetadata,
  parseParam,
  sameJson,
} from './core/collectionConfig';
import type { CollectionSettings, ParamSpec } from './core/collectionConfig';
import { configMarkdown } from './core/configView';

/** The collection as the server has it now (a rename or another client may have changed it since it was listed). */
async function fresh(client: ChromaClient, t: Target): Promise<Collection> {
  return client.getCollection(t.collection.name, { scope: { tenant: t.collection.tenant, database: t.collection.database } });
}

type EditItem = vscode.QuickPickItem & { edit: 'name' | 'metadata' | 'function' | 'param' | 'save'; spec?: ParamSpec };

const oneLine = (v: unknown, max = 120) => escapeIcons(displayLine(boundedJson(v, max * 2, 0).text, max));

function editItems(before: CollectionSettings, after: CollectionSettings): EditItem[] {
  const changed = (same: boolean) => (same ? '' : '$(edit) ');
  const items: EditItem[] = [
    { edit: 'name', label: `${changed(after.name === before.name)}Name`, description: escapeIcons(displayLine(after.name, 120)) },
    {
      edit: 'metadata',
      label: `${changed(sameJson(after.metadata, before.metadata))}Metadata`,
      description: after.metadata ? oneLine(after.metadata) : 'none',
    },
  ];
  if (after.index) {
    const fixed = after.indexFixed === true;
    const heading = `${after.index.toUpperCase()} search parameters${fixed ? ' (this server cannot change them)' : ''}`;
    items.push({ edit: 'param', label: heading, kind: vscode.QuickPickItemKind.Separator });
    for (const spec of MODIFIABLE[after.index]) {
      const v = after.params[spec.key];
      items.push({
        edit: 'param',
        // a fixed parameter has no spec: picking it changes nothing
        spec: fixed ? undefined : spec,
        label: `${changed(v === before.params[spec.key])}${spec.key}`,
        description: `${v === undefined ? 'not reported by the server' : String(v)}${fixed ? ' · fixed' : ''}`,
        detail: fixed ? `${spec.detail}; Chroma 0.x cannot change it after creation` : spec.detail,
      });
    }
  }
  if (after.embeddingFunction !== undefined) {
    items.push({ edit: 'function', label: 'Embedding function', kind: vscode.QuickPickItemKind.Separator });
    items.push({
      edit: 'function',
      label: `${changed(sameJson(after.embeddingFunction, before.embeddingFunction))}Embedding function`,
      description: escapeIcons(displayLine(functionLabel(after.embeddingFunction), 80)),
      detail: after.embeddingFunction?.config ? oneLine(after.embeddingFunction.config) : undefined,
    });
  }
  const n = describeChanges(before, after).length;
  items.push({ edit: 'save', label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({
    edit: 'save',
    label: n ? `$(check) Save ${n} change${n === 1 ? '' : 's'}` : '$(check) Done (nothing changed)',
    detail: n ? describeChanges(before, after).map((l) => escapeIcons(displayLine(l, 80))).join(' · ') : undefined,
  });
  return items;
}

/** Asks for one setting's new value; false when the user went back or cancelled. */
async function editOne(item: EditItem, title: string, after: CollectionSettings, limitsOf: ChromaClient['limits']): Promise<boolean> {
  const info = { title, back: true };
  if (item.edit === 'name') {
    const v = await inputStep(info, { value: after.name, prompt: 'The collection’s new name', validate: collectionNameMessage });
    if (typeof v === 'string') {
      after.name = v;
    }
    return typeof v === 'string';
  }
  if (item.edit === 'metadata') {
    const v = await inputStep(info, {
      value: after.metadata ? JSON.stringify(after.metadata) : '',
      prompt: 'The collection’s metadata as a JSON object: it replaces the current one (keys left out are removed)',
      placeholder: '{"owner": "search-team"}',
      validate: (text) => {
        const r = parseMetadata(text, limitsOf);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (typeof v === 'string') {
      const r = parseMetadata(v, limitsOf);
      after.metadata = 'metadata' in r ? r.metadata : after.metadata;
    }
    return typeof v === 'string';
  }
  if (item.edit === 'function') {
    const v = await inputStep(info, {
      value: after.embeddingFunction ? JSON.stringify(after.embeddingFunction) : '{"type": "known", "name": "default", "config": {}}',
      prompt: 'The embedding function stored with the collection: {"type": "known", "name": …, "config": {…}}. Documents already embedded are not re-embedded.',
      validate: (text) => {
        const r = parseEmbeddingFunction(text);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (typeof v === 'string') {
      const r = parseEmbeddingFunction(v);
      after.embeddingFunction = 'embeddingFunction' in r ? r.embeddingFunction : after.embeddingFunction;
    }
    return typeof v === 'string';
  }
  if (item.edit === 'param' && item.spec) {
    const spec = item.spec;
    const current = after.params[spec.key];
    const v = await inputStep(info, {
      value: current === undefined ? '' : String(current),
      prompt: `${spec.key}: ${spec.detail}`,
      validate: (text) => {
        const r = parseParam(spec, text);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (typeof v === 'string') {
      const r = parseParam(spec, v);
      after.params[spec.key] = 'value' in r ? r.value : current;
    }
    return typeof v === 'string';
  }
  return false;
}

export function registerCollectionSettings(s: CollectionsDeps): vscode.Disposable[] {
  const log = s.log.for('settings');
  return [
    registerCommand(log, Commands.editCollection, (arg?: unknown) => editCollection(s, log, arg)),
    registerCommand(log, Commands.showCollectionConfig, (arg?: unknown) => showCollectionConfig(s, arg)),
    registerCommand(log, Commands.forkCollection, (arg?: unknown) => forkCollection(s, log, arg)),
  ];
}

/** Edit Collection…: the settings to change, then only what changed is sent. */
async function editCollection(s: CollectionsDeps, log: Logger, arg: unknown): Promise<ModifyCollectionParams | undefined> {
  const t = await s.target(arg, 'Edit a collection');
  if (!t) {
    return undefined;
  }
  const client = await s.picker.clientFor(t.connection);
  const collection = await fresh(client, t);
  const before = currentSettings(collection);
  const after = await askEdits(before, `Edit "${displayLine(collection.name, 80)}"`, client.limits);
  const payload = after && modifyPayload(before, after);
  if (!after || !payload) {
    return undefined;
  }
  await client.modifyCollection(collection, payload);
  const changes = describeChanges(before, after);
  log.info(`updated ${collection.database}/${collection.name}: ${changes.join('; ')}`);
  s.model.refreshDatabase(t.connection.name, collection.tenant, collection.database);
  void vscode.window.showInformationMessage(notificationText(`Updated "${displayLine(after.name, 80)}": ${displayLine(changes.join('; '), 300)}.`));
  return payload;
}

/** The settings as the user left them when choosing Save; undefined when cancelled. */
async function askEdits(before: CollectionSettings, title: string, limits: ChromaClient['limits']): Promise<CollectionSettings | undefined> {
  const after = structuredClone(before);
  let active: EditItem | undefined;
  for (;;) {
    const items = editItems(before, after);
    const pick = await pickStep(
      { title, back: false },
      { items, placeholder: 'Choose a setting to change; Save sends only what changed', active: items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && i.edit === active?.edit && i.spec?.key === active?.spec?.key) },
    );
    if (pick === undefined) {
      return undefined;
    }
    if (pick === BACK || typeof pick !== 'object') {
      continue;
    }
    active = pick;
    if (pick.edit === 'save') {
      return after;
    }
    await editOne(pick, title, after, limits);
  }
}

/** The read-only configuration/schema page, rendered from the server on each open. */
async function showCollectionConfig(s: CollectionsDeps, arg: unknown): Promise<string | undefined> {
  const t = await s.target(arg, 'Show a collection’s configuration');
  if (!t) {
    return undefined;
  }
  const path = `/collections/${encodeIdPart(t.connection.name)}/${encodeIdPart(t.collection.id)}/configuration.md`;
  // Rendered on each open, from the server; what the tree holds when the server cannot be asked.
  const render = async (): Promise<string> => {
    try {
      return configMarkdown(await fresh(await s.picker.clientFor(t.connection), t), { connection: t.connection.name });
    } catch (e) {
      return configMarkdown(t.collection, { connection: t.connection.name, staleBecause: e instanceof Error ? e.message : String(e) });
    }
  };
  const uri = s.pages.page(path, render);
  await showMarkdownPage(uri);
  return uri.toString();
}

/** Fork Collection…, where the server can fork. */
async function forkCollection(s: CollectionsDeps, log: Logger, arg: unknown): Promise<Collection | undefined> {
  const t = await s.target(arg, 'Fork a collection');
  if (!t) {
    return undefined;
  }
  const client = await s.picker.clientFor(t.connection);
  const fork = (await client.capabilities()).features.fork;
  if (fork.support === 'no') {
    void vscode.window.showInformationMessage(
      notificationText(`Forking collections is not supported by this server (${t.connection.name}): ${displayLine(fork.how, 200)}. Chroma Cloud forks collections.`),
    );
    return undefined;
  }
  const c = t.collection;
  const name = await inputStep(
    { title: `Fork "${displayLine(c.name, 80)}"` },
    {
      value: `${c.name}-fork`.slice(0, 512),
      prompt: 'Name of the copy: it starts with the same records and configuration, and shares storage until either changes',
      validate: (v) => (v === c.name ? 'Choose a name other than the original’s.' : collectionNameMessage(v)),
    },
  );
  if (typeof name !== 'string') {
    return undefined;
  }
  // 'unknown' support is tried: the answer tells (and the client remembers it)
  const forked = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Forking "${displayLine(c.name, 80)}"…` }, () =>
    client.forkCollection(c, name),
  );
  log.info(`forked ${c.database}/${c.name} to ${forked.name}`);
  s.model.refreshDatabase(t.connection.name, c.tenant, c.database);
  void vscode.window.showInformationMessage(notificationText(`Forked "${displayLine(c.name, 80)}" to "${displayLine(forked.name, 80)}".`));
  return forked;
}
