/** Errors of export, import and copy: one-line messages a person can act on. No `vscode` here. */

export type TransferErrorCode =
  /** The file is not one of ours (or from a newer version). */
  | 'not-an-export'
  /** A record line cannot be read. */
  | 'bad-line'
  /** A resume found a file of another collection or selection. */
  | 'other-export'
  /** The collection changed since a partial export was written: it cannot be resumed safely. */
  | 'changed'
  /** Embeddings of one dimension into a collection of another. */
  | 'dimension'
  /** Records without embeddings and no function to embed them. */
  | 'needs-embedding'
  /** Source and target are the same collection. */
  | 'same-collection'
  /** The run failed partway; the message says what was done before. */
  | 'failed';

export class TransferError extends Error {
  constructor(
    readonly code: TransferErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/** Whether a failure came from the user cancelling: once the run's signal is aborted, whatever failed is the cancel. */
export function cancelledBy(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
