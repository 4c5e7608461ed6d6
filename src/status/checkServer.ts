import * as vscode from 'vscode';
import { ChromaClient, probeServer } from '../chroma';
import type { ServerProbe } from '../chroma';
import { connectionUrlProblem, LOCAL_URL } from '../connections/core/connectionConfig';
import type { Logger } from '../platform/log';
import { notificationText } from '../util/text';
import { checkSummary } from './core/serverText';

/**
 * "Check Server…": asks for a URL (or takes one as argument), then shows what is known of the server, latency,
 * collections, batch limit and capabilities. Returns the probe, so other commands and tests can run it.
 */
export async function checkServer(log: Logger, url?: string): Promise<ServerProbe | undefined> {
  const target =
    url ??
    (await vscode.window.showInputBox({
      title: 'Check a Chroma server',
      prompt: 'The server URL',
      value: LOCAL_URL,
      ignoreFocusOut: true,
      validateInput: connectionUrlProblem,
    }));
  if (!target) {
    return undefined;
  }
  // a URL passed by another command or a test gets the same checks as a typed one (credentials are refused)
  const problem = connectionUrlProblem(target);
  if (problem) {
    throw new Error(problem);
  }
  const client = new ChromaClient({ url: target, timeoutMs: 10_000, retries: 0 });
  const probe = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Checking Chroma at ${client.transport.host}` },
    () => probeServer(client),
  );
  const summary = checkSummary(client.transport.host, probe);
  log.info(`${summary}`);
  void vscode.window.showInformationMessage(notificationText(summary));
  return probe;
}
