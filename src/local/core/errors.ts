/** The one error type of the local-server core: a user-facing one-line message, a kind to branch on, and the output that explains it. */
export type LocalErrorKind =
  /** The Chroma binding could not load (a glibc too old, a missing platform package). */
  | 'binding'
  /** The port was taken between choosing it and the server binding it. */
  | 'port-in-use'
  /** SQLite said the database is locked: another process holds the folder. */
  | 'folder-locked'
  /** The server did not answer its heartbeat in time. */
  | 'timeout'
  /** The server exited before it answered. */
  | 'exited'
  /** The command could not be run at all (ENOENT, EACCES). */
  | 'spawn'
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** This platform has no Chroma for the installer or the CLI. */
  | 'unsupported-platform'
  /** The npm registry or a download failed. */
  | 'install'
  /** A data folder could not be read, made or copied. */
  | 'folder'
  /** The server command setting could not be used. */
  | 'setting';

export class LocalServerError extends Error {
  constructor(
    message: string,
    readonly kind: LocalErrorKind,
    /** The server's last lines of output, oldest first, when there were any. */
    readonly lastLines: readonly string[] = [],
  ) {
    super(message);
    this.name = 'LocalServerError';
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
