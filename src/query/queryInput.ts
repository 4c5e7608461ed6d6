/**
 * The box a query is typed (or a vector pasted) into. Enter runs it as it stands, so the common path is one step;
 * buttons in its title bar add a filter, change the number of results and turn embeddings on in the results. Each
 * button's step comes back to the box with what was typed kept.
 */
import * as vscode from 'vscode';
import type { Filter } from '../filter/core/filter';
import { describeFilter } from '../filter/core/describe';
import { MAX_N_RESULTS } from './core/specInput';
import { inputStep, untilSettled } from '../platform/quickInput';
import { displayLine } from '../util/text';

export interface QueryOptions {
  nResults: number;
  filter: Filter;
  includeEmbeddings: boolean;
}

export interface QueryBox {
  title: string;
  /** What Enter does, e.g. "Text to search for". */
  prompt: string;
  placeholder?: string;
  value?: string;
  validate?: (value: string) => string | undefined;
  /** Asks for a filter (undefined: the user cancelled and the filter stays). */
  askFilter: (current: Filter) => Promise<Filter | undefined>;
}

const hasFilter = (f: Filter) => f.where !== undefined || f.whereDocument !== undefined;

/** "10 results · filter: where {...} · with embeddings", for the box's prompt. */
export function describeOptions(o: QueryOptions): string {
  const parts = [`${o.nResults} result${o.nResults === 1 ? '' : 's'}`];
  parts.push(hasFilter(o.filter) ? `filter: ${displayLine(describeFilter(o.filter), 120)}` : 'no filter');
  if (o.includeEmbeddings) {
    parts.push('with embeddings');
  }
  return parts.join(' · ');
}

/** A whole number of results within the limits, or what is wrong. */
export function nResultsProblem(v: string): string | undefined {
  const n = Number(v.trim());
  return /^\d+$/.test(v.trim()) && n >= 1 && n <= MAX_N_RESULTS ? undefined : `A whole number from 1 to ${MAX_N_RESULTS}.`;
}

type Outcome = { kind: 'accept'; value: string } | { kind: 'cancel' } | { kind: 'filter' | 'count'; value: string };

/**
 * Shows the box until the user runs the query (Enter) or cancels (Escape). Resolves to the value and the options
 * as the user left them, or undefined.
 */
export async function askQuery(box: QueryBox, initial: QueryOptions): Promise<{ value: string; options: QueryOptions } | undefined> {
  const options: QueryOptions = { ...initial, filter: { ...initial.filter } };
  let value = box.value ?? '';
  for (;;) {
    const outcome = await showOnce(box, value, options);
    if (outcome.kind === 'cancel') {
      return undefined;
    }
    value = outcome.value;
    if (outcome.kind === 'accept') {
      return { value, options };
    }
    if (outcome.kind === 'filter') {
      const filter = await box.askFilter(options.filter);
      if (filter) {
        options.filter = filter;
      }
    } else {
      const n = await inputStep(
        { title: `${box.title}: number of results` },
        { prompt: `How many nearest records to show (n_results, 1–${MAX_N_RESULTS})`, value: String(options.nResults), validate: nResultsProblem },
      );
      if (typeof n === 'string') {
        options.nResults = Number(n.trim());
      }
    }
  }
}

function showOnce(box: QueryBox, value: string, options: QueryOptions): Promise<Outcome> {
  const input = vscode.window.createInputBox();
  input.title = box.title;
  input.value = value;
  input.placeholder = box.placeholder;
  input.ignoreFocusOut = true;
  const filterButton: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon(hasFilter(options.filter) ? 'filter-filled' : 'filter'),
    tooltip: hasFilter(options.filter) ? 'Change the filter…' : 'Filter by metadata or document text…',
  };
  const countButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('list-ordered'), tooltip: `Number of results (${options.nResults})…` };
  const embeddingsButton = (): vscode.QuickInputButton => ({
    iconPath: new vscode.ThemeIcon(options.includeEmbeddings ? 'check' : 'symbol-array'),
    tooltip: options.includeEmbeddings ? 'Embeddings are included in the results: leave them out' : 'Include embeddings in the results',
  });
  const refresh = () => {
    input.prompt = `${box.prompt} — Enter runs it · ${describeOptions(options)}`;
    input.buttons = [filterButton, countButton, embeddingsButton()];
  };
  refresh();
  return untilSettled<Outcome>(input, { kind: 'cancel' }, (finish) => [
    input.onDidChangeValue((v) => {
      input.validationMessage = v.trim() ? box.validate?.(v) : undefined;
    }),
    input.onDidAccept(() => {
      const v = input.value;
      if (!v.trim()) {
        input.validationMessage = 'Type something to search for, or press Escape.';
        return;
      }
      const problem = box.validate?.(v);
      if (problem) {
        input.validationMessage = problem;
        return;
      }
      finish({ kind: 'accept', value: v });
    }),
    input.onDidTriggerButton((b) => {
      if (b === filterButton) {
        finish({ kind: 'filter', value: input.value });
      } else if (b === countButton) {
        finish({ kind: 'count', value: input.value });
      } else {
        options.includeEmbeddings = !options.includeEmbeddings;
        refresh();
      }
    }),
  ]);
}
