/**
 * Mocha's spec reporter plus one plain closing line, `LABEL: N passed, N failed[, N skipped]`, that CI reads as
 * the run's count. Used by the plain suites and the extension-host suite alike.
 */
import Mocha from 'mocha';

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const label = String((options.reporterOptions as { label?: string } | undefined)?.label ?? 'tests');
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (s) {
        console.log(`${label}: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
      }
    });
  }
}

export = SummaryReporter;
