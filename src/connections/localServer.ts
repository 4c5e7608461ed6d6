import * as vscode from 'vscode';
import { clientModule } from '../chroma/lazyClient';
import { LOCAL_URL } from './core/connectionConfig';
import type { ConnectionStore } from './store';

export const LOCAL_SERVER_CONTEXT = 'chroma.localServerAnswering';

/**
 * With no connections configured, looks once for a Chroma server on localhost:8000 and sets a context key, so
 * the view's welcome offers it in one click. Checks again whenever the list becomes empty.
 */
export function watchLocalServer(store: ConnectionStore): vscode.Disposable {
  let running = false;
  const check = async () => {
    if (running || store.list().length > 0) {
      await vscode.commands.executeCommand('setContext', LOCAL_SERVER_CONTEXT, false);
      return;
    }
    running = true;
    try {
      await new (clientModule().ChromaClient)({ url: LOCAL_URL, timeoutMs: 1500, retries: 0 }).heartbeat();
      await vscode.commands.executeCommand('setContext', LOCAL_SERVER_CONTEXT, true);
    } catch {
      await vscode.commands.executeCommand('setContext', LOCAL_SERVER_CONTEXT, false);
    } finally {
      running = false;
    }
  };
  // after activation: reading the settings and a heartbeat are no part of it
  const first = setTimeout(() => void check(), 0);
  const subscription = store.onDidChange(() => void check());
  return { dispose: () => (clearTimeout(first), subscription.dispose()) };
}
