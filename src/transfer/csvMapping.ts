/**
 * Mapping a CSV file's columns to records, in one wizard with Back: the id column (or ids from row numbers), the
 * document column, an optional embedding column, then the metadata columns (all others, preselected). Columns whose
 * names say what they hold (id, text, embedding, …) are preselected.
 */
import { SKIP, pickManyStep, pickStep, runSteps } from '../platform/quickInput';
import { escapeIcons } from '../util/text';
import type { CsvMapping } from './core/csv';

const guess = (columns: readonly string[], names: RegExp) => columns.find((c) => names.test(c.trim()));

/** Asks how columns map to records; undefined when the user cancels. */
export async function askCsvMapping(columns: readonly string[], label: string): Promise<CsvMapping | undefined> {
  const title = `Import ${label}: columns`;
  const column = (c: string) => ({ label: escapeIcons(c) || ' ', column: c as string | undefined });
  const answers: { id?: string; document?: string; embedding?: string; metadata: string[] } = { metadata: [] };
  const taken = () => [answers.id, answers.document, answers.embedding].filter((c): c is string => c !== undefined);
  const ok = await runSteps([
    async () => {
      const none = { label: '$(symbol-number) Make ids from row numbers', description: `${label.replace(/\.[^.]*$/, '')}-1, -2, …`, column: undefined };
      const items = [none, ...columns.map(column)];
      const likely = guess(columns, /^_?ids?$|^key$|^uuid$/i);
      const pick = await pickStep({ title, step: 1, totalSteps: 4 }, { items, placeholder: 'Which column holds the record ids?', active: items.find((i) => i.column === likely) ?? none });
      if (pick && typeof pick === 'object') {
        answers.id = pick.column;
      }
      return pick;
    },
    async () => {
      const none = { label: '$(circle-slash) No documents', description: 'records carry only metadata and an embedding column', column: undefined };
      const items = [...columns.filter((c) => c !== answers.id).map(column), none];
      const likely = guess(columns, /^(documents?|text|content|body|chunk|page_content)$/i);
      const pick = await pickStep({ title, step: 2, totalSteps: 4 }, { items, placeholder: 'Which column holds the documents (the text that is embedded)?', active: items.find((i) => i.column === likely) ?? items[0] });
      if (pick && typeof pick === 'object') {
        answers.document = pick.column;
      }
      return pick;
    },
    async () => {
      const rest = columns.filter((c) => c !== answers.id && c !== answers.document);
      if (rest.length === 0 && answers.document !== undefined) {
        answers.embedding = undefined;
        return SKIP;
      }
      const none = { label: "$(sparkle) No embeddings: embed the documents with the collection's function", column: undefined };
      const items = [...(answers.document !== undefined ? [none] : []), ...rest.map(column)];
      const likely = guess(rest, /^(embeddings?|vectors?)$/i);
      const pick = await pickStep(
        { title, step: 3, totalSteps: 4 },
        { items, placeholder: 'Which column holds embeddings (JSON arrays or base64 float32)?', active: items.find((i) => i.column === likely) ?? items[0] },
      );
      if (pick && typeof pick === 'object') {
        answers.embedding = pick.column;
      }
      return pick;
    },
    async () => {
      const rest = columns.filter((c) => !taken().includes(c));
      if (rest.length === 0) {
        answers.metadata = [];
        return SKIP;
      }
      const items = rest.map((c) => ({ ...column(c), picked: true }));
      const picked = await pickManyStep({ title, back: true }, { items, placeholder: 'Which columns become metadata? (numbers and true/false keep their type)' });
      if (picked && typeof picked === 'object') {
        answers.metadata = picked.map((p) => p.column!);
      }
      return picked;
    },
  ]);
  return ok ? { id: answers.id, document: answers.document, embedding: answers.embedding, metadata: answers.metadata } : undefined;
}

/** A collection name made from a file name: Chroma's rules ([a-zA-Z0-9._-], 3–512, alphanumeric ends). */
export function collectionNameFrom(file: string): string {
  const base = file.replace(/\.[^.]*$/, '').replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').slice(0, 200).replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '');
  return base.length >= 3 ? base : `${base || 'csv'}-import`;
}
