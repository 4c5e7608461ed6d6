/**
 * What the person is asked before a tool changes anything: one question that names the connection, the collection
 * and the change ("Delete 3 records from notes on local?"). The language-model tools show it from prepareInvocation,
 * the MCP server in a modal; both get it from `prepareTool`. No `vscode` here.
 */
import { displayLine, formatCount } from '../../util/text';
import type { ConnectionHandle } from './context';

export interface Confirmation {
  /** A short title: "Delete Chroma records". */
  title: string;
  /** The question, one line. */
  message: string;
  /** More about the change, when there is more to say. */
  detail?: string;
}

const name = (s: string, max = 80): string => displayLine(s, max);

/** `notes on local`, with the database when it is not the default one. */
function where(collection: string, at: ConnectionHandle): string {
  const db = at.database === 'default_database' ? '' : ` (database ${name(at.database)})`;
  return `${name(collection)} on ${name(at.connection)}${db}`;
}

const records = (n: number): string => `${formatCount(n)} record${n === 1 ? '' : 's'}`;

export function confirmCreate(collection: string, at: ConnectionHandle, fn: string, space: string | undefined): Confirmation {
  return {
    title: 'Create Chroma collection',
    message: `Create collection ${where(collection, at)}?`,
    detail: `Embedding function ${name(fn)}${space ? `, distance ${space}` : ''}.`,
  };
}

export function confirmModify(collection: string, at: ConnectionHandle, change: { newName?: string; metadataKeys?: number }): Confirmation {
  const parts: string[] = [];
  if (change.newName !== undefined) {
    parts.push(`rename it to ${name(change.newName)}`);
  }
  if (change.metadataKeys !== undefined) {
    parts.push(`replace its metadata with ${formatCount(change.metadataKeys)} key${change.metadataKeys === 1 ? '' : 's'}`);
  }
  return { title: 'Change Chroma collection', message: `Change collection ${where(collection, at)}: ${parts.join(' and ')}?` };
}

export function confirmFork(collection: string, at: ConnectionHandle, newName: string, count: number): Confirmation {
  return { title: 'Fork Chroma collection', message: `Fork collection ${where(collection, at)} into ${name(newName)} (${records(count)})?` };
}

export function confirmDeleteCollection(collection: string, at: ConnectionHandle, count: number): Confirmation {
  return {
    title: 'Delete Chroma collection',
    message: `Delete collection ${where(collection, at)} and its ${records(count)}?`,
    detail: 'This cannot be undone.',
  };
}

export function confirmAdd(collection: string, at: ConnectionHandle, adding: number, existing: number): Confirmation {
  return {
    title: 'Add Chroma records',
    message: `Add ${records(adding)} to ${where(collection, at)}?`,
    detail: existing > 0 ? `${records(existing)} with ids already there ${existing === 1 ? 'is' : 'are'} left as ${existing === 1 ? 'it is' : 'they are'}.` : undefined,
  };
}

export function confirmUpdate(collection: string, at: ConnectionHandle, updating: number, missing: number, what: string): Confirmation {
  return {
    title: 'Update Chroma records',
    message: `Update ${records(updating)} in ${where(collection, at)} (${what})?`,
    detail: missing > 0 ? `${formatCount(missing)} of the ids given ${missing === 1 ? 'is' : 'are'} not there and ${missing === 1 ? 'is' : 'are'} skipped.` : undefined,
  };
}

export function confirmDelete(collection: string, at: ConnectionHandle, deleting: number, missing: number): Confirmation {
  return {
    title: 'Delete Chroma records',
    message: `Delete ${records(deleting)} from ${where(collection, at)}?`,
    detail: [missing > 0 ? `${formatCount(missing)} of the ids given ${missing === 1 ? 'is' : 'are'} not there.` : '', 'This cannot be undone.'].filter(Boolean).join(' '),
  };
}

export function confirmAddFiles(collection: string, at: ConnectionHandle, files: readonly string[]): Confirmation {
  const shown = files.slice(0, 3).map((f) => name(f, 60));
  const list = files.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
  return {
    title: 'Add workspace files to Chroma',
    message: `Add ${formatCount(files.length)} workspace file${files.length === 1 ? '' : 's'} (${list}) to ${where(collection, at)}?`,
    detail: 'Each file is cut into chunks; its earlier chunks in the collection are replaced.',
  };
}

const DOING: Record<string, string> = {
  chroma_list_collections: 'Listing Chroma collections',
  chroma_get_collection_info: 'Reading collection',
  chroma_get_collection_count: 'Counting records in',
  chroma_peek_collection: 'Peeking at',
  chroma_create_collection: 'Creating collection',
  chroma_modify_collection: 'Changing collection',
  chroma_fork_collection: 'Forking collection',
  chroma_delete_collection: 'Deleting collection',
  chroma_add_documents: 'Adding documents to',
  chroma_query_documents: 'Querying',
  chroma_get_documents: 'Reading records of',
  chroma_update_documents: 'Updating records in',
  chroma_delete_documents: 'Deleting records from',
  chroma_search_workspace: 'Searching the workspace in',
  chroma_add_workspace_files: 'Adding workspace files to',
  chroma_show_results: 'Showing results from',
};

/** What the chat shows while a tool runs: "Querying notes on local". */
export function invocationMessage(tool: string, input: { collection_name?: unknown; connection?: unknown }): string {
  const doing = DOING[tool] ?? 'Running';
  const collection = typeof input.collection_name === 'string' ? ` ${name(input.collection_name)}` : '';
  const on = typeof input.connection === 'string' ? ` on ${name(input.connection)}` : '';
  return `${doing}${collection}${on}`;
}
