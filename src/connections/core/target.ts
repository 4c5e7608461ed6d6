/** A collection on a connection: what commands that read or write records act on. No `vscode` here. */
import type { Collection } from '../../chroma/types';
import type { ConnectionConfig } from './connectionConfig';

export interface Target {
  connection: ConnectionConfig;
  collection: Collection;
}

/** A target given by a caller (another extension, a test): names of the connection and collection. */
export interface TargetArg {
  connection: string;
  collection: string;
  tenant?: string;
  database?: string;
}

export function isTargetArg(arg: unknown): arg is TargetArg {
  const a = arg as Partial<TargetArg> | null;
  return typeof a === 'object' && a !== null && typeof a.connection === 'string' && typeof a.collection === 'string';
}
