/**
 * The extension-host suite's entry point: VS Code (desktop through @vscode/test-electron, or code-server's web
 * workbench here) loads this module in its extension host and awaits run(). Resolves when every test passed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import SummaryReporter from '../support/summaryReporter';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, forbidOnly: true, timeout: 120_000, reporter: SummaryReporter, reporterOptions: { label: 'host' } });
  const grep = process.env.CHROMA_EXPLORER_HOST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) {
    mocha.addFile(join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) {
          reject(new Error(`${failures} extension-host test(s) failed.`));
        } else {
          resolve();
        }
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
