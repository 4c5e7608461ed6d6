// The demo's workspace folder: a note to add to a collection, and an evaluation set over chroma-facts that the Test
// Explorer lists and runs (its cases pass with the sample data, but one: a question in other words than the fact's,
// which the demo vectors, a bag of words, cannot match; Chroma's default model may). Files a person already has
// there are kept.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const EVAL_SET_FILE = 'facts.chroma-eval.json';

/** The evaluation set, over chroma-facts of the demo connection `connection` (its name in chroma.connections). */
export function factsEvalSet(connection) {
  const c = (name, query, ids) => ({ name, query, expect: { ids } });
  return {
    name: 'chroma-facts retrieval',
    description: 'Does a question about Chroma find the fact that answers it in the top 3?',
    target: { connection, collection: 'chroma-facts', k: 3 },
    minRecall: 1,
    cases: [
      c('turning telemetry off', 'how do I turn off telemetry?', ['fact-0012']),
      c('filtering by metadata', 'filter results by metadata', ['fact-0004']),
      c('the default model', 'what is the default embedding model?', ['fact-0010']),
      c('matching document text', 'search document text', ['fact-0005']),
      c('re-adding a file', 'how do I avoid duplicate records when I add a file again?', ['fact-0016']),
      c('telemetry, in other words', 'keep usage statistics private', ['fact-0011']),
    ],
  };
}

/** The set as a person writes one: a case a line, so that each case's result shows beside its line. */
function formatSet(set) {
  const oneLine = (value) => JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\[ (.*?) \]/g, '[$1]');
  const head = Object.entries(set).filter(([key]) => key !== 'cases').map(([key, value]) => `  ${JSON.stringify(key)}: ${oneLine(value)},`);
  const cases = set.cases.map((c, i) => `    ${oneLine(c)}${i < set.cases.length - 1 ? ',' : ''}`);
  return ['{', ...head, '  "cases": [', ...cases, '  ]', '}', ''].join('\n');
}

/** Writes what the workspace lacks of notes.md and facts.chroma-eval.json; the set names the demo's connection. */
export function seedWorkspace(workspace, { connection }) {
  const notes = join(workspace, 'notes.md');
  if (!existsSync(notes)) {
    writeFileSync(notes, '# Notes\n\nChroma stores embeddings next to documents and metadata.\n');
  }
  const evalSet = join(workspace, EVAL_SET_FILE);
  if (!existsSync(evalSet)) {
    writeFileSync(evalSet, formatSet(factsEvalSet(connection)));
    return;
  }
  // A demo on another port than before has another connection name: the set follows it (and keeps its edits).
  const text = readFileSync(evalSet, 'utf8');
  const renamed = text.replace(/"connection": "demo \(localhost:\d+\)"/g, `"connection": ${JSON.stringify(connection)}`);
  if (renamed !== text) writeFileSync(evalSet, renamed);
}
