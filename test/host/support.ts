/** Helpers for the extension-host suites: the extension under test and its manifest. */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'chroma-explorer.chroma-explorer';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) {
    throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  }
  await ext.activate();
  return ext;
}

export interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
  };
}

export function manifest(ext: vscode.Extension<unknown>): Manifest {
  return ext.packageJSON as Manifest;
}
