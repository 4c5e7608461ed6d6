/**
 * Stands in for a second VS Code window: a LocalServers on a shared global storage (argv: storage dir, folder,
 * command JSON) that opens the folder, prints `ready <server JSON>` and then `status <state>` on every change.
 */
import { LocalServers } from '../../../../src/local/core/localServers';

const [storageDir, folder, command] = process.argv.slice(2);
const servers = new LocalServers({ storageDir, attachedPollMs: 100 });
servers.onDidChange((e) => console.log(`status ${e.status.state}`));
void servers.start(folder, { command: JSON.parse(command) }).then(
  (server) => console.log(`ready ${JSON.stringify(server)}`),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
setInterval(() => undefined, 1000);
