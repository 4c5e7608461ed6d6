/** Processes seen through Linux's /proc, for tests that check a server on a folder is gone. */
import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of the processes (other than this one) whose command line names `folder`: a chroma server on it, or its watchdog. */
export function processesOf(folder: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (/^\d+$/.test(name) && Number(name) !== process.pid) {
      try {
        if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(folder)) {
          out.push(Number(name));
        }
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}
