import * as vscode from 'vscode';
import type { Target } from '../connections/core/target';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import type { EmbeddingService } from './service';

/** Choose Embedding Function… (for collections that store none) and the default model's download. */
export function registerEmbeddingCommands(
  log: Logger,
  embeddings: EmbeddingService,
  target: (arg: unknown, title: string) => Promise<Target | undefined>,
): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.chooseEmbeddingFunction, async (arg?: unknown) => {
      const t = await target(arg, 'Choose the embedding function of a collection');
      return t ? embeddings.choose(t.connection, t.collection) : undefined;
    }),
    registerCommand(log, Commands.downloadDefaultModel, () => embeddings.downloadDefaultModel()),
    registerCommand(log, Commands.forgetKeyApprovals, async () => {
      const count = embeddings.approvalCount();
      if (count === 0) {
        void vscode.window.showInformationMessage('No embedding key approvals are remembered.');
        return 0;
      }
      const answer = await vscode.window.showWarningMessage(
        `Forget ${count} embedding key approval${count === 1 ? '' : 's'}?`,
        { modal: true, detail: 'Collections that send a key to a host other than its provider, or read a variable under another name, will ask again.' },
        'Forget',
      );
      if (answer !== 'Forget') {
        return 0;
      }
      const forgotten = await embeddings.forgetApprovals();
      log.info(`forgot ${forgotten} key approval(s)`);
      return forgotten;
    }),
  ];
}
