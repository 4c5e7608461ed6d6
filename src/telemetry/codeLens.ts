import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { chromaServices } from '../telemetry/compose';
import type { TelemetryState } from '../telemetry/compose';
import { envTelemetry } from '../telemetry/envFile';

export const TELEMETRY_LENS_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/{docker-compose,compose}*.{yml,yaml}' },
  { pattern: '**/.env' },
  { pattern: '**/.env.*' },
];

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
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const text = doc.getText();
    const isEnv = /(^|[\\/])\.env(\.[^\\/]*)?$/.test(doc.uri.path);
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
      for (const s of chromaServices(text)) {
        lens(s.line, s.telemetry, [doc.uri, s.name]);
      }
    }
    return lenses;
  }
}
