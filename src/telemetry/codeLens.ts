import * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import type { TelemetryState } from './core/compose';
import { envTelemetry } from './core/envFile';
import { COMPOSE_GLOB, ENV_GLOBS, isEnvFile } from './core/files';

export const TELEMETRY_LENS_SELECTOR: vscode.DocumentSelector = [COMPOSE_GLOB, ...ENV_GLOBS].map((pattern) => ({ pattern }));

function title(state: TelemetryState): string {
  switch (state) {
    case 'off':
      return '$(pass) Chroma telemetry: off';
    case 'on':
      return '$(warning) Chroma telemetry: on. Turn it off';
    case 'unset':
      return '$(warning) Chroma telemetry: on (default). Turn it off';
    case 'from-env':
      return '$(info) Chroma telemetry: from ANONYMIZED_TELEMETRY in the environment or .env';
  }
}

/** In compose and .env files that configure Chroma: is its telemetry off? One click turns it off. */
export class TelemetryCodeLens implements vscode.CodeLensProvider {
  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const text = doc.getText();
    const isEnv = isEnvFile(doc.uri.path);
    const lenses: vscode.CodeLens[] = [];
    const lens = (line: number, state: TelemetryState, args: unknown[]) => {
      const range = doc.lineAt(Math.min(line, doc.lineCount - 1)).range;
      const fixable = state === 'on' || state === 'unset';
      lenses.push(
        new vscode.CodeLens(range, {
          title: title(state),
          tooltip: "Chroma's anonymized telemetry is configured on the server; this sets ANONYMIZED_TELEMETRY=False.",
          command: fixable ? Commands.turnOffTelemetry : Commands.showTelemetry,
          arguments: fixable ? args : [],
        }),
      );
    };
    if (isEnv) {
      const env = envTelemetry(text);
      if (env) {
        lens(env.line, env.state, [doc.uri]);
      }
    } else {
      // the yaml library loads with the first compose file shown, never at activation
      const { chromaServices } = await import('./core/compose.js');
      for (const s of chromaServices(text)) {
        lens(s.line, s.telemetry, [doc.uri, s.name]);
      }
    }
    return lenses;
  }
}
