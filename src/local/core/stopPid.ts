/** Stops a process that is not our child (another window's server) by its PID: SIGINT, SIGTERM half-way, SIGKILL after the grace. */
import { pidAlive } from './procfs';

export async function stopPid(pid: number, graceMs = 5000): Promise<boolean> {
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  };
  send('SIGINT');
  const start = Date.now();
  let termSent = false;
  while (pidAlive(pid)) {
    const elapsed = Date.now() - start;
    if (elapsed > graceMs) {
      send('SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
      return !pidAlive(pid);
    }
    if (!termSent && elapsed > graceMs / 2) {
      termSent = true;
      send('SIGTERM');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
