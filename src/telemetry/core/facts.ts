/** What Chroma documents about its anonymized telemetry, as the Markdown page the extension shows. No `vscode`. */

export { TELEMETRY_SETTING_LINE } from './settingLine';

export function telemetryFactsMarkdown(): string {
  return `# Chroma's anonymized telemetry

**Telemetry is a setting of the Chroma server.** Clients (Python over HTTP, JavaScript, Go, or this extension) cannot
turn it on or off: whether a server sends anonymized usage data is decided where the server runs.

**This extension sends no telemetry at all.** It talks only to the Chroma servers you connect it to.

## How to turn it off

### \`chroma run\`

Set the environment variable before starting the server:

\`\`\`sh
ANONYMIZED_TELEMETRY=False chroma run --path ./chroma-data
\`\`\`

### docker-compose

\`\`\`yaml
services:
  chroma:
    image: chromadb/chroma:latest
    ports:
      - "8000:8000"
    environment:
      - ANONYMIZED_TELEMETRY=False
    volumes:
      - ./chroma-data:/data
\`\`\`

Or keep the variable in a \`.env\` file beside \`docker-compose.yml\` and pass it to the service
(\`env_file: .env\`, or \`environment: [ANONYMIZED_TELEMETRY=\${ANONYMIZED_TELEMETRY}]\`):

\`\`\`sh
ANONYMIZED_TELEMETRY=False
\`\`\`

The command **Chroma: Add Chroma Service to docker-compose** writes such a service (or fixes an existing one), and
compose and \`.env\` files show a CodeLens that says whether telemetry is off, with a one-click fix.

### Python, in-process

\`\`\`python
import chromadb
from chromadb.config import Settings

client = chromadb.Client(Settings(anonymized_telemetry=False))
persistent = chromadb.PersistentClient(path="./chroma-data", settings=Settings(anonymized_telemetry=False))
\`\`\`

## What Chroma collects

- the Chroma version and details of the environment it runs in;
- which embedding functions are used;
- collection commands (add, update, query, get, delete);
- anonymized collection UUIDs and item counts.

## What Chroma does not collect

Usernames, hostnames, file names, environment variables, document content or embeddings, or any other personal
information.

The data is stored in PostHog. No API endpoint reports whether a given server has telemetry on: check how it is
started (its environment, compose file or \`.env\`).
`;
}
