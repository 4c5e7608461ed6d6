/**
 * The evaluation benchmark, on one real Chroma server, in one run.
 *
 * 1. A 1,000-case set (text queries, each expecting a record id or a chunk of a file) through runSet, against the
 *    same 1,000 queries sent raw: plain `fetch` of the collection once, then /query in the runner's batches (100
 *    embeddings per request, n_results 50, metadatas and distances), the texts embedded per batch by the same
 *    function in both. After an uncounted warm-up, rounds alternate which goes first; medians over the rounds.
 *    Goal: ours/raw ≤ 1.1.
 * 2. The reports of that run: the JSON report (built and formatted), the JUnit XML and the Markdown report with
 *    changes against a previous report and a history of 50 runs. Goal: ≤ 200 ms for all three.
 * Absolute times depend on the machine: read the ratios. The last line is `ratio …`.
 */
import { ChromaClient } from '../src/chroma';
import type { Collection } from '../src/chroma';
import { changedCases } from '../src/eval/core/changes';
import { runSet } from '../src/eval/core/evaluate';
import type { SetRun } from '../src/eval/core/evaluate';
import { appendHistory, historyEntry } from '../src/eval/core/history';
import type { HistoryEntry } from '../src/eval/core/history';
import { parseEvalSet } from '../src/eval/core/parse';
import { formatJsonReport, toJsonReport } from '../src/eval/core/reportJson';
import { junitReport } from '../src/eval/core/reportJunit';
import { markdownReport } from '../src/eval/core/reportMarkdown';
import { DEFAULT_BATCH, MIN_DEPTH } from '../src/eval/core/runner';
import type { EvalSet } from '../src/eval/core/types';
import { formatSet } from '../src/eval/core/writeSet';
import type { SetFile } from '../src/eval/core/writeSet';
import { ChromaServer, describeServer, serverKindFromEnv } from '../test/support/chromaServer';
import { demoEmbedding } from '../test/support/sampleData';
import { check, median, ms } from './support';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 5_000);
const CASES = Number(process.env.BENCH_CASES ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DIM = 384;
const FILES = Array.from({ length: 50 }, (_, i) => `docs/file-${i}.md`);

const docOf = (i: number) => `Chunk ${i} of ${FILES[i % FILES.length]}: topic${i % 97} term${i % 89} word${i % 83} about chroma embeddings and metadata.`;
const embed = (texts: string[]) => texts.map((t) => demoEmbedding(t, DIM));

/** The set: case i queries part of record (i·7 mod RECORDS)'s text; odd cases expect its id, even ones its lines. */
function setFile(collection: string): SetFile {
  const cases = Array.from({ length: CASES }, (_, i) => {
    const r = (i * 7) % RECORDS;
    const query = docOf(r).split(' ').slice(3, 9).join(' ');
    const chunk = r % 20;
    return i % 2 ? { query, expect: { ids: [`doc-${r}`] } } : { query, expect: { sources: [{ source: FILES[r % FILES.length], startLine: chunk * 10 + 3, endLine: chunk * 10 + 5 }] } };
  });
  return { name: 'bench', target: { connection: 'bench', collection, k: 10 }, cases };
}

/** CPU time of this process (user + system), in ms: what the client side costs, whatever the server's load. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

async function ours(client: ChromaClient, set: EvalSet): Promise<{ ms: number; cpu: number; run: SetRun }> {
  const t = performance.now();
  const c = process.cpuUsage();
  const run = await runSet(set, { connect: () => Promise.resolve({ client, embedderFor: () => Promise.resolve((texts: string[]) => Promise.resolve(embed(texts))) }) });
  return { ms: performance.now() - t, cpu: cpuMs(c), run };
}

/** The same queries, raw: the collection by name once, then one /query per batch of the runner's size. */
async function raw(url: string, col: Collection, texts: readonly string[]): Promise<{ ms: number; cpu: number; hits: number }> {
  const t = performance.now();
  const c = process.cpuUsage();
  const db = `${url}/api/v2/tenants/${col.tenant}/databases/${col.database}`;
  const got = (await (await fetch(`${db}/collections/${encodeURIComponent(col.name)}`)).json()) as Collection;
  let hits = 0;
  for (let i = 0; i < texts.length; i += DEFAULT_BATCH) {
    const res = await fetch(`${db}/collections/${got.id}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query_embeddings: embed(texts.slice(i, i + DEFAULT_BATCH)), n_results: MIN_DEPTH, include: ['metadatas', 'distances'] }),
    });
    const body = (await res.json()) as { ids: string[][] };
    check(res.ok, `raw query: ${res.status}`);
    hits += body.ids.reduce((n, row) => n + row.length, 0);
  }
  return { ms: performance.now() - t, cpu: cpuMs(c), hits };
}

function reportTimes(run: SetRun): { json: number; junit: number; markdown: number; bytes: number } {
  const history: HistoryEntry[] = Array.from({ length: 50 }, (_, i) => historyEntry({ ...run, startedAt: i }));
  const previous = toJsonReport(run, { set: 'bench' });
  previous.targets[0].cases.forEach((c, i) => (c.recall = i % 3 ? c.recall : 0));
  const times = { json: [] as number[], junit: [] as number[], markdown: [] as number[] };
  let bytes = 0;
  for (let i = 0; i < 13; i++) {
    let t = performance.now();
    const report = toJsonReport(run, { set: 'bench', file: 'evals/bench.chroma-eval.jsonl' });
    const json = formatJsonReport(report);
    const tj = performance.now() - t;
    t = performance.now();
    const xml = junitReport(run, 'bench');
    const tx = performance.now() - t;
    t = performance.now();
    const md = markdownReport({ title: 'bench', run, changes: changedCases(previous, report), history: appendHistory(history, historyEntry(run)), hitsLink: (_t, r) => `command:x?${r.caseId}` });
    const tm = performance.now() - t;
    if (i >= 3) {
      times.json.push(tj);
      times.junit.push(tx);
      times.markdown.push(tm);
      bytes = json.length + xml.length + md.length;
    }
  }
  return { json: median(times.json), junit: median(times.junit), markdown: median(times.markdown), bytes };
}

/** The collection of RECORDS chunks and the CASES-case set over it, parsed from its .jsonl text; prints the header. */
async function seed(client: ChromaClient, kind: ReturnType<typeof serverKindFromEnv>): Promise<{ col: Collection; set: EvalSet }> {
  const col = await client.createCollection({ name: 'bench-eval' });
  const docs = Array.from({ length: RECORDS }, (_, i) => docOf(i));
  await client.add(col, {
    ids: docs.map((_, i) => `doc-${i}`),
    embeddings: embed(docs),
    documents: docs,
    metadatas: docs.map((_, i) => ({ source: FILES[i % FILES.length], startLine: (i % 20) * 10 + 1, endLine: (i % 20) * 10 + 9, chunk: i % 20 })),
  });
  const text = formatSet(setFile(col.name), 'jsonl');
  const t = performance.now();
  const parsed = parseEvalSet(text, 'jsonl');
  const parseMs = performance.now() - t;
  check(parsed.problems.length === 0 && parsed.set?.cases.length === CASES, 'the set parses');
  console.log(`${describeServer(kind)}, ${RECORDS} records × ${DIM}-d, ${CASES} cases (${DEFAULT_BATCH} per request, n_results ${MIN_DEPTH}), ${ROUNDS} rounds`);
  console.log(`  parse the .jsonl set (${(text.length / 1024).toFixed(0)} KiB)  ${ms(parseMs)}`);
  return { col, set: parsed.set as EvalSet };
}

interface Rounds {
  times: { ours: number[]; raw: number[] };
  cpu: { ours: number[]; raw: number[] };
  /** Ours's run of the last round. */
  run: SetRun;
}

/** Part 1: an uncounted run of each, then ROUNDS rounds alternating which goes first; prints a line per round. */
async function setRounds(url: string, client: ChromaClient, col: Collection, set: EvalSet): Promise<Rounds> {
  const texts = set.cases.map((c) => (c.query.kind === 'text' ? c.query.text : ''));
  await ours(client, set);
  await raw(url, col, texts);
  const times = { ours: [] as number[], raw: [] as number[] };
  const cpu = { ours: [] as number[], raw: [] as number[] };
  let last: SetRun | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? ['raw', 'ours'] : ['ours', 'raw'];
    for (const way of order) {
      if (way === 'ours') {
        const o = await ours(client, set);
        times.ours.push(o.ms);
        cpu.ours.push(o.cpu);
        last = o.run;
      } else {
        const w = await raw(url, col, texts);
        check(w.hits === CASES * MIN_DEPTH, `raw hits ${w.hits}`);
        times.raw.push(w.ms);
        cpu.raw.push(w.cpu);
      }
    }
    console.log(`  round ${r + 1}: ours ${times.ours[r].toFixed(0)} ms (CPU ${cpu.ours[r].toFixed(0)} ms), raw ${times.raw[r].toFixed(0)} ms (CPU ${cpu.raw[r].toFixed(0)} ms)`);
  }
  return { times, cpu, run: last as SetRun };
}

async function main(): Promise<void> {
  const kind = serverKindFromEnv();
  const server = await ChromaServer.start({ kind });
  try {
    const url = server.url;
    const client = new ChromaClient({ url, timeoutMs: 300_000 });
    const { col, set } = await seed(client, kind);
    const { times, cpu, run } = await setRounds(url, client, col, set);
    const counts = run.runs[0].metrics.counts;
    check(counts.cases === CASES && counts.errors === 0, `ours ran every case (${JSON.stringify(counts)})`);
    console.log(`  metrics: recall@10 ${run.runs[0].metrics.values?.recall.toFixed(3)}, ${counts.passed} of ${counts.cases} passed`);
    const o = median(times.ours);
    const w = median(times.raw);
    console.log(`\nmedian of the rounds (wall clock; this process's CPU):`);
    console.log(`  ours (runSet)   ${ms(o)}  ${ms(median(cpu.ours))}\n  raw (fetch)     ${ms(w)}  ${ms(median(cpu.raw))}`);

    const rep = reportTimes(run);
    const reports = rep.json + rep.junit + rep.markdown;
    console.log(`\nreports of the ${CASES}-case run (median of 10, ${(rep.bytes / 1024).toFixed(0)} KiB in all):`);
    console.log(`  JSON report     ${ms(rep.json)}\n  JUnit XML       ${ms(rep.junit)}\n  Markdown        ${ms(rep.markdown)}   (changes against a previous report, 50 runs of history)`);
    console.log(`ratio ours/raw=${(o / w).toFixed(2)} (goal ≤ 1.1) reports=${reports.toFixed(1)} ms (goal ≤ 200) on ${describeServer(kind)}`);
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
