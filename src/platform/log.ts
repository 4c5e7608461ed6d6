/**
 * The extension's one log channel; its level follows VS Code's "Developer: Set Log Level…". Each component logs
 * through its own tagged logger (`log.for('ingest')`), so every line says where it comes from.
 */
import * as vscode from 'vscode';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Log extends Logger, vscode.Disposable {
  /** A logger whose lines start with `[component]`. */
  for(component: string): Logger;
  show(): void;
}

export function createLog(): Log {
  const channel = vscode.window.createOutputChannel('Chroma Explorer', { log: true });
  const tagged = (prefix: string): Logger => ({
    trace: (m) => channel.trace(prefix + m),
    debug: (m) => channel.debug(prefix + m),
    info: (m) => channel.info(prefix + m),
    warn: (m) => channel.warn(prefix + m),
    error: (m) => channel.error(prefix + m),
  });
  return {
    ...tagged(''),
    for: (component) => tagged(`[${component}] `),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
