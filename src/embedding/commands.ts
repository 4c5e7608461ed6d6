import * as vscode from 'vscode';
import type { Target } from '../connections/core/target';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import { approvalTotal, describeApprovals } from './core/approvals';
import type { EmbeddingService } from './service';

/** Choose Embedding Function… (for collections that store none), the default model's download, and Forget Embedding Approvals…. */
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
    registerCommand(log, Commands.forgetEmbeddingApprovals, async () => {
      const remembered = embeddings.approvalCount();
      const count = approvalTotal(remembered);
      if (count === 0) {
        void vscode.window.showInformationMessage('No embedding approvals are remembered.');
        return 0;
      }
      const answer = await vscode.window.showWarningMessage(
        `Forget ${count} embedding approval${count === 1 ? '' : 's'}?`,
        {
          modal: true,
          detail: `${describeApprovals(remembered)}. Collections that send your documents or a key to a host other than the provider's, or read a variable under another name, will ask again.`,
        },
        'Forget',
      );
      if (answer !== 'Forget') {
        return 0;
      }
      const forgotten = await embeddings.forgetApprovals();
      const total = approvalTotal(forgotten);
      log.info(`forgot ${total} embedding approval(s): ${describeApprovals(forgotten)}`);
      void vscode.window.showInformationMessage(`Forgot ${total} embedding approval${total === 1 ? '' : 's'} (${describeApprovals(forgotten)}): the next use asks again.`);
      return total;
    }),
  ];
}
