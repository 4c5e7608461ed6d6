/**
 * Loads the second bundle (src/features.ts → dist/features.js) on first use. At activation every declared command
 * that the main bundle did not register gets a stub; the first stub run loads the bundle, which registers the real
 * commands in the same tick as the stubs go (so a clicked item never meets a missing command), then runs the real
 * one with the same arguments.
 */
import * as vscode from 'vscode';
import type { Features } from './features';
import type { Logger } from './platform/log';
import { registeredCommandIds } from './platform/registerCommand';
import { notificationText } from './util/text';

/** Requires the bundle (which may fail) and answers its activation, run once the stubs are gone. */
type Load = () => () => { features: Features; disposables: vscode.Disposable[] };

export class LazyFeatures implements vscode.Disposable {
  private loaded: Features | undefined;
  private stubs: vscode.Disposable[] = [];
  private owned: vscode.Disposable[] = [];
  private readonly lazy: string[];

  /** `declared`: every command id; those registered through registerCommand by now are the main bundle's. */
  constructor(
    private readonly log: Logger,
    declared: readonly string[],
    private readonly load: Load,
  ) {
    const main = registeredCommandIds();
    this.lazy = declared.filter((id) => !main.has(id));
    this.stubs = this.lazy.map((id) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        if (!this.tryLoad()) {
          return undefined;
        }
        return vscode.commands.executeCommand(id, ...args);
      }),
    );
  }

  /** The commands that load the bundle on first use. */
  get commandIds(): readonly string[] {
    return this.lazy;
  }

  /** The features if loaded, without loading them. */
  get current(): Features | undefined {
    return this.loaded;
  }

  /** The features, loading them now if need be. Throws when the bundle cannot be loaded. */
  get(): Features {
    if (this.loaded) {
      return this.loaded;
    }
    const started = Date.now();
    const activate = this.load();
    // Same tick: the stubs go and the real commands take their ids.
    this.stubs.forEach((d) => d.dispose());
    this.stubs = [];
    const { features, disposables } = activate();
    this.owned = disposables;
    this.loaded = features;
    const missing = this.lazy.filter((id) => !registeredCommandIds().has(id));
    if (missing.length > 0) {
      this.log.error(`loaded features do not register ${missing.join(', ')}`);
    }
    this.log.info(`features loaded in ${Date.now() - started} ms`);
    return features;
  }

  /** Loads the features, showing why when they cannot be: undefined then. */
  tryLoad(): Features | undefined {
    try {
      return this.get();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.log.error(`could not load the features bundle: ${why}`);
      void vscode.window.showErrorMessage(
        notificationText(`Chroma Explorer could not load its query and data commands (${why.slice(0, 200)}). Reinstall the extension, then reload the window.`),
      );
      return undefined;
    }
  }

  dispose(): void {
    this.stubs.forEach((d) => d.dispose());
    this.owned.forEach((d) => d.dispose());
  }
}
