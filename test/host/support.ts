/** Helpers for the extension-host suites: the extension under test, its API and its manifest. */
import { mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { defaultCacheDir, isModelCached } from '../../src/embedding/core/modelStore';
import { PROJECT_ROOT } from '../support/chromaServer';
import type { ChromaExplorerApi } from '../../src/extension';
import { QuickInputDriver } from './quickInputDriver';

export const EXTENSION_ID = 'chroma-explorer.chroma-explorer';

export async function activateExtension(): Promise<vscode.Extension<ChromaExplorerApi>> {
  const ext = vscode.extensions.getExtension<ChromaExplorerApi>(EXTENSION_ID);
  if (!ext) {
    throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  }
  await ext.activate();
  return ext;
}

export async function activateApi(): Promise<ChromaExplorerApi> {
  return (await activateExtension()).exports;
}

export async function clearConnections(): Promise<void> {
  const api = await activateApi();
  for (const c of api.store.list()) {
    await api.store.remove(c.name);
  }
}

export interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
  };
}

export function manifest(ext: vscode.Extension<unknown>): Manifest {
  return ext.packageJSON as Manifest;
}

export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** For a describe whose tests add connections and answer quick inputs: a fresh driver and no connections per test. */
export function useQuickInputs(): { readonly driver: QuickInputDriver } {
  let driver: QuickInputDriver | undefined;
  beforeEach(async () => {
    await clearConnections();
    driver = new QuickInputDriver();
  });
  afterEach(async () => {
    driver?.dispose();
    await clearConnections();
  });
  return {
    get driver(): QuickInputDriver {
      if (!driver) {
        throw new Error('no quick-input driver outside a test');
      }
      return driver;
    },
  };
}

/** Records the messages the extension shows (error, warning, information), while the real ones still show. */
/** Errors and information messages shown from now on; warnings too when asked (answerModals also replaces them). */
export function captureMessages(opts: { warnings?: boolean } = {}): { errors: string[]; infos: string[]; warnings: string[]; dispose(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const { showErrorMessage, showInformationMessage, showWarningMessage } = vscode.window;
  const out = {
    errors: [] as string[],
    infos: [] as string[],
    warnings: [] as string[],
    dispose: () => {
      w.showErrorMessage = showErrorMessage;
      w.showInformationMessage = showInformationMessage;
      if (opts.warnings) {
        w.showWarningMessage = showWarningMessage;
      }
    },
  };
  w.showErrorMessage = (message: string, ...rest: unknown[]) => {
    out.errors.push(message);
    return (showErrorMessage as (...a: unknown[]) => Thenable<unknown>).call(vscode.window, message, ...rest);
  };
  w.showInformationMessage = (message: string, ...rest: unknown[]) => {
    out.infos.push(message);
    return (showInformationMessage as (...a: unknown[]) => Thenable<unknown>).call(vscode.window, message, ...rest);
  };
  if (opts.warnings) {
    w.showWarningMessage = (message: string, ...rest: unknown[]) => {
      out.warnings.push(message);
      return (showWarningMessage as (...a: unknown[]) => Thenable<unknown>).call(vscode.window, message, ...rest);
    };
  }
  return out;
}

/**
 * Puts the tiny test model where Chroma caches all-MiniLM-L6-v2, in the scratch HOME the runners give the
 * extension host, so the extension's default embedding function runs offline on it.
 */
export async function installTinyModel(): Promise<void> {
  if (!homedir().startsWith(tmpdir())) {
    throw new Error(`expected a scratch HOME from the test runner, got ${homedir()}`);
  }
  if (!isModelCached(defaultCacheDir())) {
    mkdirSync(defaultCacheDir(), { recursive: true });
    const tar = await import('tar');
    await tar.x({ file: join(PROJECT_ROOT, 'test', 'fixtures', 'tiny-model', 'onnx.tar.gz'), cwd: defaultCacheDir() });
  }
}

/**
 * Answers the extension's next modal warnings with `answer` (undefined = the user cancelled), recording what was
 * asked. A modal dialog blocks the window and cannot be clicked from the extension host.
 */
export function answerModals(answer: string | undefined): { asked: string[]; dispose(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = vscode.window.showWarningMessage;
  const out = {
    asked: [] as string[],
    dispose: () => {
      w.showWarningMessage = original;
    },
  };
  w.showWarningMessage = (message: string, options?: vscode.MessageOptions) => {
    out.asked.push(`${message} modal=${String(options?.modal)} detail=${options?.detail ?? ''}`);
    return Promise.resolve(answer);
  };
  return out;
}
