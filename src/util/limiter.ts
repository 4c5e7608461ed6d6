/** Runs async jobs with at most `concurrency` in flight; the rest wait in order. No `vscode` here. */
export class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  /** The most jobs ever in flight at once (for tests and benchmarks). */
  peak = 0;

  constructor(readonly concurrency: number) {}

  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.active++;
        this.peak = Math.max(this.peak, this.active);
        job()
          .then(resolve, reject)
          .finally(() => {
            this.active--;
            this.queue.shift()?.();
          });
      };
      if (this.active < this.concurrency) {
        start();
      } else {
        this.queue.push(start);
      }
    });
  }

  get pending(): number {
    return this.queue.length;
  }
}
