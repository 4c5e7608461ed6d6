/**
 * Copy Collection To…: another connection, database or name. Records stream from the source into the target (no
 * temporary file); a new target keeps the source's configuration. Into a collection with records: a modal first
 * (overwrite or skip existing ids, which resumes a copy). Into one whose dimension or embedding function differs, the
 * documents can be re-embedded with the target's function.
 */
import * as vscode from 'vscode';
import { storedFunction } from '../embedding/core/resolve';
import type { Collection } from '../chroma/types';
import { pickStep } from '../platform/quickInput';
import type { TransferDeps } from './index';
import { displayLine, formatCount, notificationText } from '../util/text';
import { copyCollection, describeCopy } from './core/copier';
import type { CopyResult } from './core/copier';
import { canonicalJson } from './core/format';
import { splitArgs } from './args';
import { chooseDestination, targetFor } from './destination';
import { withTransferProgress } from './progress';

/**
 * Whether to re-embed into an existing collection: asked only when its function or dimension differs from the
 * source's (with another dimension, copying the embeddings is not offered). Undefined when the user cancels.
 */
async function askReembed(source: Collection, target: Collection): Promise<boolean | undefined> {
  const fn = (c: Collection) => storedFunction(c);
  const otherDimension = source.dimension !== null && target.dimension !== null && source.dimension !== target.dimension;
  const sameFunction = canonicalJson(fn(source) ?? null) === canonicalJson(fn(target) ?? null);
  if (!otherDimension && sameFunction) {
    return false;
  }
  const targetFn = fn(target)?.name ?? 'the function chosen for it';
  const items = [
    { label: `$(sparkle) Re-embed the documents with "${displayLine(target.name, 60)}"'s function`, description: targetFn, reembed: true },
    ...(otherDimension
      ? []
      : [{ label: '$(copy) Copy the embeddings as they are', description: `made with ${fn(source)?.name ?? 'an unknown function'}`, reembed: false }]),
  ];
  const pick = await pickStep(
    { title: `Copy "${displayLine(source.name, 60)}" into "${displayLine(target.name, 60)}"` },
    {
      items,
      placeholder: otherDimension
        ? `"${target.name}" holds ${target.dimension}-d embeddings, "${source.name}" ${source.dimension}-d: only re-embedding fits`
        : 'The two collections embed with different functions',
    },
  );
  return pick && typeof pick === 'object' ? pick.reembed : undefined;
}

export async function copyCollectionCommand(s: TransferDeps, args: unknown[]): Promise<CopyResult | undefined> {
  const { target, options } = splitArgs(args);
  const src = await s.target(target, 'Copy a collection');
  if (!src) {
    return undefined;
  }
  const source = src.collection;
  const sourceClient = await s.clients.clientFor(src.connection);
  const dest = await chooseDestination(s, `Copy "${displayLine(source.name, 60)}" to…`, {
    to: options.to,
    suggested: (w) =>
      w.connection.name === src.connection.name && w.scope.tenant === source.tenant && w.scope.database === source.database ? `${source.name}-copy` : source.name,
  });
  if (!dest) {
    return undefined;
  }
  let reembed = options.reembed ?? false;
  const count = dest.existing ? await sourceClient.count(source) : 0;
  const placed = await targetFor(dest, { what: `${formatCount(count)} records of "${source.name}"`, verb: 'Copy', given: options.existing }, async (existing) => {
    if (options.reembed !== undefined) {
      return true;
    }
    const answer = await askReembed(source, existing);
    reembed = answer ?? false;
    return answer !== undefined;
  });
  if (!placed) {
    return undefined;
  }
  const { into, skipExisting } = placed;
  const where = `${dest.connection.name}/${dest.scope.database}`;
  const result = await withTransferProgress(`Copying "${source.name}" to "${dest.name}" on ${where}`, (signal, report) =>
    copyCollection({
      source: { client: sourceClient, collection: source },
      target: { client: dest.client, into },
      skipExisting,
      reembed,
      embedderFor: (c) => s.embeddings.functionFor(dest.connection, c),
      signal,
      onProgress: ({ read, total, counts }) => report(read, total, `records read, ${formatCount(counts.written)} written`),
    }),
  );
  if (!result) {
    return undefined;
  }
  const message = describeCopy(result, where);
  s.log.for('transfer').info(`${src.connection.name} → ${message}`);
  const c = result.collection;
  if (result.created) {
    s.model.refreshDatabase(dest.connection.name, c.tenant, c.database);
  } else {
    s.model.refreshCollection(dest.connection.name, c);
  }
  if (result.cancelled || result.counts.skippedNoText > 0) {
    void vscode.window.showWarningMessage(notificationText(message));
  } else {
    void vscode.window.showInformationMessage(notificationText(message));
  }
  return result;
}
