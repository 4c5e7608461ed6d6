/**
 * Asking the user for a filter: JSON typed or pasted (checked as it is typed), or the quick builder (a metadata key
 * sampled from the collection, an operator that fits its values, a value; conditions on the document text), with
 * Back on every step.
 */
import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import { unsupportedFilterPart } from '../chroma/filterSupport';
import { generationLabel, serverGeneration } from '../chroma/generation';
import type { Generation } from '../chroma/generation';
import type { Collection } from '../chroma/types';
import { BACK, inputStep, pickStep, runSteps } from '../platform/quickInput';
import type { StepResult } from '../platform/quickInput';
import { displayLine, escapeIcons } from '../util/text';
import {
  OPERATORS,
  buildFilter,
  checkCondition,
  conditionsOf,
  describeCondition,
  documentOperatorsFor,
  operatorsFor,
  parseConditionValue,
} from './core/conditions';
import type { Combine, Condition, DocumentCondition, DocumentOperator, Operator } from './core/conditions';
import { checkFilter } from './core/check';
import { describeFilter } from './core/describe';
import { isEmptyFilter } from './core/filter';
import { filterToText, parseFilterText } from './core/text';
import type { Filter } from './core/filter';
import { kindLabel, sampleMetadataKeys } from './core/metadataKeys';
import type { KeySample, MetadataKey, ValueKind } from './core/metadataKeys';

type Choice<T extends string> = vscode.QuickPickItem & { choice: T };

const item = <T extends string>(choice: T, label: string, rest: Omit<vscode.QuickPickItem, 'label'> = {}): Choice<T> => ({
  choice,
  label,
  ...rest,
});

/** Keys read once per question, when the builder first needs them, with what the server takes (its generation). */
class KeySampler {
  private pending?: Promise<{ sample?: KeySample; error?: string }>;
  private server?: Promise<{ generation?: Generation; label: string }>;

  constructor(
    private readonly client: ChromaClient,
    private readonly collection: Collection,
  ) {}

  start(): void {
    this.pending ??= sampleMetadataKeys(this.client, this.collection).then(
      (sample) => ({ sample }),
      (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
    );
    this.server ??= this.client.capabilities().then(
      (caps) => ({ generation: serverGeneration(caps), label: generationLabel(caps) }),
      () => ({ label: 'Chroma' }),
    );
  }

  /** The server's generation (undefined when not known: everything is offered) and its name for messages. */
  generation(): Promise<{ generation?: Generation; label: string }> {
    this.start();
    return this.server!;
  }

  get(): Promise<{ sample?: KeySample; error?: string }> {
    this.start();
    return this.pending!;
  }
}

/**
 * Asks for a `where` / `where_document` filter for `collection` (`initial` prefilled). Resolves to the filter
 * ({} for none), or undefined when the user cancels.
 */
export async function askFilter(client: ChromaClient, collection: Collection, initial?: Filter): Promise<Filter | undefined> {
  const title = `Filter ${displayLine(collection.name, 60)}`;
  const keys = new KeySampler(client, collection);
  const current = isEmptyFilter(initial) ? undefined : initial;
  for (;;) {
    const items = [
      item('build', '$(list-filter) Build a filter…', { detail: 'A metadata key, an operator and a value; text the document contains or matches' }),
      item('json', '$(json) Type or paste JSON…', { detail: '{"year": {"$gt": 2020}}, or {"where": {…}, "where_document": {…}}' }),
      ...(current
        ? [
            item('keep', '$(check) Keep the current filter', { description: escapeIcons(describeFilter(current)) }),
            item('none', '$(clear-all) Clear the filter', { detail: 'List every record' }),
          ]
        : [item('none', '$(circle-slash) No filter', { detail: 'Every record' })]),
    ];
    const how = await pickStep({ title, step: 1, back: false }, { items, placeholder: 'How to filter', active: items[current ? 2 : 0] });
    if (how === undefined) {
      return undefined;
    }
    if (how === BACK || typeof how === 'symbol') {
      continue;
    }
    switch (how.choice) {
      case 'keep':
        return current;
      case 'none':
        return {};
      case 'json': {
        const typed = await askJson(title, current);
        if (typed !== BACK) {
          return typed;
        }
        break;
      }
      case 'build': {
        const built = await build(title, keys, current);
        if (built !== BACK) {
          return built;
        }
        break;
      }
    }
  }
}

async function askJson(title: string, current: Filter | undefined): Promise<Filter | undefined | typeof BACK> {
  const text = await inputStep(
    { title: `${title}: JSON`, step: 2, back: true },
    {
      value: filterToText(current),
      prompt: 'A where clause, or {"where": …, "where_document": …}: checked against Chroma\'s filter grammar as you type',
      placeholder: '{"year": {"$gt": 2020}}',
      validate: (v) => {
        const r = parseFilterText(v);
        return 'error' in r ? r.error : undefined;
      },
    },
  );
  if (text === undefined || text === BACK || typeof text === 'symbol') {
    return text === undefined ? undefined : BACK;
  }
  const parsed = parseFilterText(text);
  return 'filter' in parsed ? parsed.filter : undefined;
}

type ListChoice = 'add' | 'document' | 'combine' | 'remove' | 'done';

async function build(title: string, keys: KeySampler, current: Filter | undefined): Promise<Filter | undefined | typeof BACK> {
  keys.start();
  const seeded = current ? conditionsOf(current) : undefined;
  const conditions: Condition[] = seeded?.conditions ?? [];
  const documents: DocumentCondition[] = seeded?.documents ?? [];
  let combine: Combine = seeded?.combine ?? '$and';
  for (;;) {
    const filter = buildFilter(conditions, documents, combine);
    const all: (Condition | DocumentCondition)[] = [...conditions, ...documents];
    const items: (Choice<ListChoice> & { index?: number })[] = [
      item('add', '$(add) Add a metadata condition…', { detail: 'A key, an operator, a value' }),
      item('document', '$(file-text) Add a document text condition…', { detail: 'Text the document contains, or a regular expression it matches' }),
    ];
    if (conditions.length > 1 || documents.length > 1) {
      items.push(
        item('combine', `$(arrow-swap) Match ${combine === '$and' ? 'all' : 'any'} of the conditions`, {
          description: `switch to ${combine === '$and' ? 'any ($or)' : 'all ($and)'}`,
          detail: 'Metadata and document conditions are always both required: that is how Chroma combines them',
        }),
      );
    }
    all.forEach((c, index) => items.push({ ...item('remove', `$(close) ${escapeIcons(describeCondition(c))}`, { description: 'remove' }), index }));
    const done = item('done', '$(check) Done', { description: escapeIcons(describeFilter(filter)) });
    items.push(done);
    const picked = await pickStep(
      { title: `${title}: conditions`, step: 2, back: true },
      { items, placeholder: all.length ? describeFilter(filter) : 'No conditions yet: add one', active: all.length ? done : items[0] },
    );
    if (picked === undefined || picked === BACK || typeof picked === 'symbol') {
      return picked === undefined ? undefined : BACK;
    }
    switch (picked.choice) {
      case 'add': {
        const c = await askCondition(title, keys);
        if (c === undefined) {
          return undefined;
        }
        if (c !== BACK) {
          conditions.push(c);
        }
        break;
      }
      case 'document': {
        const c = await askDocumentCondition(title, (await keys.generation()).generation);
        if (c === undefined) {
          return undefined;
        }
        if (c !== BACK) {
          documents.push(c);
        }
        break;
      }
      case 'combine':
        combine = combine === '$and' ? '$or' : '$and';
        break;
      case 'remove': {
        const i = picked.index ?? -1;
        if (i < conditions.length) {
          conditions.splice(i, 1);
        } else {
          documents.splice(i - conditions.length, 1);
        }
        break;
      }
      case 'done': {
        // The builder only makes filters the grammar and this server take; a slip here must not reach the server.
        const server = await keys.generation();
        const unsupported = unsupportedFilterPart(filter, server.generation);
        const problem = checkFilter(filter) ?? (unsupported && `Not supported by this server (${server.label}): ${unsupported}.`);
        if (problem) {
          void vscode.window.showWarningMessage(problem);
          break;
        }
        return filter;
      }
    }
  }
}

type KeyItem = vscode.QuickPickItem & { key?: MetadataKey; other?: true };

/** A key, an operator, a value; BACK when the user goes back from the key. */
async function askCondition(title: string, keys: KeySampler): Promise<Condition | undefined | typeof BACK> {
  let key: { name: string; kinds: ValueKind[]; examples: unknown[] } | undefined;
  let op: Operator | undefined;
  let value: Condition['value'] | undefined;
  let leave = false;
  const stepTitle = () => `${title}: ${key ? `${displayLine(key.name, 40)}${op ? ` ${op}` : ''}` : 'metadata key'}`;
  const ok = await runSteps([
    async () => {
      const chosen = await askKey(stepTitle(), keys);
      if (chosen === BACK) {
        // Back from the first step leaves for the list of conditions, which runSteps cannot do itself.
        leave = true;
        return undefined;
      }
      key = chosen;
      return chosen;
    },
    async () => {
      const kinds = key?.kinds ?? [];
      const { generation } = await keys.generation();
      const items = OPERATORS.filter((o) => operatorsFor(kinds, generation).includes(o.op)).map((o) => item(o.op, o.label, { description: o.detail }));
      const r = await pickStep({ title: stepTitle(), step: 3, back: true }, { items, placeholder: 'Operator', active: items.find((i) => i.choice === op) });
      if (r && typeof r === 'object') {
        op = r.choice;
      }
      return r;
    },
    async () => {
      const k = key!;
      const o = op!;
      const list = o === '$in' || o === '$nin';
      const hint = k.examples.length ? `e.g. ${k.examples.map((e) => JSON.stringify(e)).join(', ')}` : undefined;
      const r = await inputStep(
        { title: stepTitle(), step: 4, back: true },
        {
          prompt: list ? 'Values, separated by commas (or a JSON list)' : `A value${k.kinds.length ? ` (${k.kinds.map(kindLabel).join(' / ')})` : ''}`,
          placeholder: hint,
          validate: (v) => {
            const parsed = parseConditionValue(v, k.name, o, k.kinds);
            return 'error' in parsed ? parsed.error : checkCondition({ key: k.name, op: o, value: parsed.value });
          },
        },
      );
      if (typeof r === 'string') {
        const parsed = parseConditionValue(r, k.name, o, k.kinds);
        value = 'value' in parsed ? parsed.value : undefined;
      }
      return r;
    },
  ]);
  if (!ok) {
    return leave ? BACK : undefined;
  }
  return { key: key!.name, op: op!, value: value! };
}

async function askKey(title: string, keys: KeySampler): Promise<{ name: string; kinds: ValueKind[]; examples: unknown[] } | undefined | typeof BACK> {
  const { sample, error } = await keys.get();
  const items: KeyItem[] = (sample?.keys ?? []).map((k) => ({
    label: escapeIcons(displayLine(k.key, 80)),
    description: `${k.kinds.map(kindLabel).join(' / ')} · in ${k.count} of ${sample!.sampled}`,
    key: k,
  }));
  items.push({ label: '$(edit) Another key…', description: 'type its name', other: true, alwaysShow: true });
  const placeholder = error
    ? `Could not read the collection's keys (${displayLine(error, 100)}): type one with "Another key…"`
    : sample && sample.keys.length
      ? `Metadata key (seen in the first ${sample.sampled} records)`
      : 'No metadata in the first records: type a key with "Another key…"';
  for (;;) {
    const picked = await pickStep({ title, step: 2, back: true }, { items, placeholder });
    if (picked === undefined || picked === BACK || typeof picked === 'symbol') {
      return picked === undefined ? undefined : BACK;
    }
    if (picked.key) {
      return { name: picked.key.key, kinds: picked.key.kinds, examples: picked.key.examples };
    }
    const typed = await inputStep(
      { title, step: 2, back: true },
      {
        prompt: 'The metadata key',
        validate: (v) => (v === '' ? 'Type a key.' : v.startsWith('$') ? 'A key cannot start with $: Chroma reads it as an operator.' : undefined),
      },
    );
    if (typed === undefined) {
      return undefined;
    }
    if (typeof typed === 'string') {
      const known = sample?.keys.find((k) => k.key === typed);
      return { name: typed, kinds: known?.kinds ?? [], examples: known?.examples ?? [] };
    }
  }
}

async function askDocumentCondition(title: string, generation: Generation | undefined): Promise<DocumentCondition | undefined | typeof BACK> {
  let op: DocumentOperator | undefined;
  let text: string | undefined;
  let leave = false;
  const ok = await runSteps([
    async (): Promise<StepResult<unknown>> => {
      const items = documentOperatorsFor(generation).map((o) => item(o.op, o.label, { description: o.detail }));
      const r = await pickStep({ title: `${title}: document text`, step: 2, back: true }, { items, placeholder: 'The document…', active: items.find((i) => i.choice === op) });
      if (r === BACK) {
        leave = true;
        return undefined;
      }
      if (r && typeof r === 'object') {
        op = r.choice;
      }
      return r;
    },
    async () => {
      const regex = op === '$regex' || op === '$not_regex';
      const r = await inputStep(
        { title: `${title}: document ${op}`, step: 3, back: true },
        {
          prompt: regex ? 'A regular expression (Rust regex syntax: no look-around or backreferences)' : 'The text (case-sensitive)',
          validate: (v) => (v === '' ? (regex ? 'Type a regular expression.' : 'Type the text to look for.') : undefined),
        },
      );
      if (typeof r === 'string') {
        text = r;
      }
      return r;
    },
  ]);
  if (!ok) {
    return leave ? BACK : undefined;
  }
  return { op: op!, text: text! };
}
