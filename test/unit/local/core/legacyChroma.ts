/**
 * Stands in for `chroma run` of Python chromadb 0.5.15 (API v1 only; it cannot run here): listens on --port and
 * replays that server's answers (FastAPI's 404 body for /api/v2/*, its v1 heartbeat).
 */
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1]);
createServer((req, res) => {
  const ok = req.url === '/api/v1/heartbeat';
  res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(ok ? { 'nanosecond heartbeat': 1732000000000000000 } : { detail: 'Not Found' }));
}).listen(port, '127.0.0.1', () => console.log(`INFO:     Uvicorn running on http://127.0.0.1:${port} (Press CTRL+C to quit)`));
