/**
 * Mocha's spec reporter plus a plain closing line that CI reads as the run's count, `LABEL: N passed, N failed[,
 * N skipped]` (one word before the colon, as CI counts it), right after a line naming the Chroma server(s) the
 * run started (`CHROMA_EXPLORER_SERVER`), e.g. `unit ran on Chroma newest (chromadb 3.5.0, binding 1.3.4)`, so
 * the runs of the plain suite on each server can be told apart. Used by the plain suites and the host suite alike.
 * A suite that retries (the click suite, `retries` in .mocharc.click.json) says each retry as it happens, with the
 * first try's error, and lists the tests that passed only on a retry before the count: a flake stays in sight.
 */
import Mocha from 'mocha';
import { ChromaServer, describeServer } from './chromaServer';

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const label = String((options.reporterOptions as { label?: string } | undefined)?.label ?? 'tests');
    const retried = new Map<string, string>();
    const failed = new Set<string>();
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Test) => failed.add(test.fullTitle()));
    runner.on(Mocha.Runner.constants.EVENT_TEST_RETRY, (test: Mocha.Test, err: unknown) => {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      retried.set(test.fullTitle(), why);
      console.log(`      ↻ tried again after: ${why}`);
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      const passedOnRetry = [...retried].filter(([title]) => !failed.has(title));
      if (passedOnRetry.length > 0) {
        console.log(`${label}: ${passedOnRetry.length} passed only when tried again:`);
        passedOnRetry.forEach(([title, why]) => console.log(`  - ${title} (first try: ${why})`));
      }
      if (s) {
        const servers = [...ChromaServer.started].map((kind) => describeServer(kind)).join(' and ');
        const counts = `${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`;
        if (servers) {
          console.log(`${label} ran on ${servers}`);
        }
        console.log(`${label}: ${counts}`);
      }
    });
  }
}

export = SummaryReporter;
