/**
 * Stands in for an extension host: starts a server through the core (argv: folder, command JSON, watchdog kind),
 * prints "ready <pid>", and waits to be killed. The orphan tests SIGKILL it.
 */
import { ChromaProcess } from '../../../../src/local/core/serverProcess';
import type { WatchdogKind } from '../../../../src/local/core/watchdog';

const [folder, command, watchdog] = process.argv.slice(2);
void ChromaProcess.start({ folder, command: JSON.parse(command), watchdog: watchdog as WatchdogKind }).then(
  (proc) => console.log(`ready ${proc.pid}`),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
setInterval(() => undefined, 1000);
