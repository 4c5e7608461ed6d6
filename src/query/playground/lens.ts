/** "Run Query" above each query of a playground file, and "Run All" at the top of a list: the hits go to the results view. */
import * as vscode from 'vscode';
import { Commands } from '../../platform/commandIds';
import { displayLine } from '../../util/text';
import type { QuerySpec } from '../core/spec';
import { MAX_SPECS } from '../core/specInput';
import type { PlaygroundCatalog } from './catalog';

function describe(spec: QuerySpec): string {
  const input =
    spec.input.kind === 'text'
      ? `"${displayLine(spec.input.text, 60)}"`
      : spec.input.kind === 'vector'
        ? `a ${spec.input.vector.length}-dimensional vector`
        : `records like "${displayLine(spec.input.recordId, 60)}"`;
  const filtered = spec.where || spec.whereDocument ? ', filtered' : '';
  return `${spec.nResults} nearest to ${input} in ${displayLine(spec.collection, 80)} (${displayLine(spec.connection, 60)}, ${spec.tenant}/${spec.database})${filtered}`;
}

export class PlaygroundLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly catalog: PlaygroundCatalog,
    onConnectionsChanged: vscode.Event<void>,
  ) {
    // a connection added or renamed makes queries runnable (or not) without an edit to the file
    this.subscription = onConnectionsChanged(() => this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const file = await this.catalog.read(doc.getText());
    const lineAt = (offset: number) => doc.lineAt(doc.positionAt(offset).line).range;
    const lenses: vscode.CodeLens[] = [];
    const specs = file.queries.flatMap((q) => (q.spec ? [q.spec] : []));
    if (file.isList && specs.length > 0) {
      const some = specs.slice(0, MAX_SPECS);
      const title =
        some.length === file.queries.length ? `$(run-all) Run All (${some.length})` : `$(run-all) Run ${some.length} of ${file.queries.length}`;
      const left = file.queries.length - some.length;
      lenses.push(
        new vscode.CodeLens(lineAt(0), {
          title,
          tooltip: left > 0 ? `Runs ${some.length} queries; ${left} ${specs.length > MAX_SPECS ? `are beyond the first ${MAX_SPECS} or ` : ''}have problems.` : 'Runs every query of the file.',
          command: Commands.runQuerySpec,
          arguments: [some],
        }),
      );
    }
    for (const q of file.queries) {
      const range = lineAt(q.span.start);
      lenses.push(
        q.spec
          ? new vscode.CodeLens(range, { title: '$(play) Run Query', tooltip: describe(q.spec), command: Commands.runQuerySpec, arguments: [q.spec] })
          : new vscode.CodeLens(range, {
              title: `$(error) ${q.errors === 1 ? '1 problem' : `${q.errors} problems`} to fix before this query can run`,
              tooltip: 'Show the problems',
              command: 'workbench.actions.view.problems',
            }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
