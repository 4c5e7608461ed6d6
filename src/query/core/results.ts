/** A query's results as a Markdown page: rank, id, distance, document start and metadata. No `vscode` here. */
import type { Collection, Metadata } from '../../chroma/types';
import { jsonBlock, numberText, preview, VIEW_LIMITS, where } from '../../explorer/core/recordView';
import { codeLine, hasOwnKeys, markdownLine } from '../../util/text';

/** A query's results as Markdown: rank, id, distance, document start and metadata. */
export function formatQueryResults(
  collection: Collection,
  queryText: string,
  functionName: string,
  result: { ids: string[][]; distances: (number | null)[][] | null; documents: (string | null)[][] | null; metadatas: (Metadata | null)[][] | null },
): string {
  const lines = [
    `# Query: ${markdownLine(queryText, 100)}`,
    '',
    `Collection ${codeLine(collection.name, VIEW_LIMITS.name)} in ${where(collection)}, embedded with ${codeLine(functionName, VIEW_LIMITS.name)}, ${result.ids[0]?.length ?? 0} nearest records.`,
    '',
  ];
  (result.ids[0] ?? []).forEach((id, i) => {
    const distance = result.distances?.[0]?.[i];
    lines.push(`## ${i + 1}. ${codeLine(id, VIEW_LIMITS.name)}${distance === null || distance === undefined ? '' : ` · distance ${numberText(distance, 4)}`}`, '');
    lines.push(markdownLine(preview(result.documents?.[0]?.[i], 400), 400) || '_no document_', '');
    const m = result.metadatas?.[0]?.[i];
    if (hasOwnKeys(m)) {
      lines.push(jsonBlock(m, VIEW_LIMITS.smallJson, 0), '');
    }
  });
  return lines.join('\n');
}
