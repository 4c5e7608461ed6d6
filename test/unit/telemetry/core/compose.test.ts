import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { addChromaService, chromaServices, turnOffTelemetry } from '../../../../src/telemetry/core/compose';
import { envTelemetry, turnOffInEnv } from '../../../../src/telemetry/core/envFile';
import { telemetryFactsMarkdown } from '../../../../src/telemetry/core/facts';

const USER_FILE = `# My stack — do not reorder
services:
  web: # the front end
    image: nginx:1.27
    ports:
      - "80:80"
  db:
    image: postgres:16 # pinned
volumes:
  pgdata: {}
`;

describe('compose and .env telemetry (pure)', () => {
  it('adds a Chroma service, keeping the other services, the comments and the order', () => {
    const edit = addChromaService(USER_FILE);
    assert.equal(edit.action, 'added');
    assert.equal(edit.service, 'chroma');
    assert.match(edit.text, /# My stack — do not reorder/);
    assert.match(edit.text, /# the front end/);
    assert.match(edit.text, /# pinned/);
    const doc = parse(edit.text) as { services: Record<string, Record<string, unknown>>; volumes: unknown };
    assert.deepEqual(Object.keys(doc.services), ['web', 'db', 'chroma']);
    assert.deepEqual(doc.services.chroma, {
      image: 'chromadb/chroma:latest',
      ports: ['8000:8000'],
      environment: ['ANONYMIZED_TELEMETRY=False'],
      volumes: ['./chroma-data:/data'],
    });
    assert.deepEqual(doc.services.web.ports, ['80:80']);
    assert.deepEqual(doc.volumes, { pgdata: {} });
    assert.deepEqual(chromaServices(edit.text).map((s) => [s.name, s.telemetry]), [['chroma', 'off']]);
  });

  it('writes a new file when there is none, and never a second Chroma service', () => {
    const fresh = addChromaService(undefined);
    assert.equal(fresh.action, 'added');
    assert.equal(addChromaService(fresh.text).action, 'unchanged');
  });

  it('fixes an existing Chroma service in the form it uses (list or map)', () => {
    const list = 'services:\n  vectors:\n    image: chromadb/chroma:1.0.0\n    environment:\n      - IS_PERSISTENT=TRUE\n      - ANONYMIZED_TELEMETRY=True # default\n';
    assert.deepEqual(chromaServices(list).map((s) => [s.name, s.telemetry, s.line]), [['vectors', 'on', 1]]);
    const fixed = addChromaService(list);
    assert.equal(fixed.action, 'fixed');
    assert.deepEqual((parse(fixed.text) as { services: { vectors: { environment: string[] } } }).services.vectors.environment, [
      'IS_PERSISTENT=TRUE',
      'ANONYMIZED_TELEMETRY=False',
    ]);
    const map = 'services:\n  chroma:\n    image: chromadb/chroma\n    environment:\n      IS_PERSISTENT: "TRUE"\n';
    assert.equal(chromaServices(map)[0].telemetry, 'unset');
    const fixedMap = turnOffTelemetry(map, 'chroma');
    assert.deepEqual((parse(fixedMap) as { services: { chroma: { environment: unknown } } }).services.chroma.environment, {
      IS_PERSISTENT: 'TRUE',
      ANONYMIZED_TELEMETRY: 'False',
    });
    const fromEnv = 'services:\n  chroma:\n    image: chromadb/chroma\n    environment:\n      - ANONYMIZED_TELEMETRY=${ANONYMIZED_TELEMETRY}\n';
    assert.equal(chromaServices(fromEnv)[0].telemetry, 'from-env');
  });

  it('refuses to edit a file that is not valid YAML, saying so', () => {
    assert.throws(() => addChromaService('services: [unclosed'), /not valid YAML/);
    assert.deepEqual(chromaServices('services: [unclosed'), []);
  });

  it('.env: finds the variable, and fixes or appends it', () => {
    assert.equal(envTelemetry('FOO=1\n'), undefined);
    assert.deepEqual(envTelemetry('CHROMA_SERVER_HOST=0.0.0.0\n'), { state: 'unset', line: 0 });
    assert.deepEqual(envTelemetry('A=1\nANONYMIZED_TELEMETRY="false"\n'), { state: 'off', line: 1 });
    assert.deepEqual(envTelemetry('export ANONYMIZED_TELEMETRY=True'), { state: 'on', line: 0 });
    assert.equal(turnOffInEnv('CHROMA_X=1\nANONYMIZED_TELEMETRY=True\n'), 'CHROMA_X=1\nANONYMIZED_TELEMETRY=False\n');
    assert.equal(turnOffInEnv('CHROMA_X=1'), 'CHROMA_X=1\nANONYMIZED_TELEMETRY=False\n');
    assert.equal(turnOffInEnv('A=1\r\n'), 'A=1\r\nANONYMIZED_TELEMETRY=False\r\n');
  });

  it('the telemetry page says what Chroma documents', () => {
    const md = telemetryFactsMarkdown();
    for (const fact of [
      /setting of the Chroma server/,
      /This extension sends no telemetry at all/,
      /ANONYMIZED_TELEMETRY=False chroma run/,
      /\.\/chroma-data:\/data/,
      /\.env/,
      /Settings\(anonymized_telemetry=False\)/,
      /PersistentClient\(path=/,
      /embedding functions/,
      /anonymized collection UUIDs and item counts/,
      /Usernames, hostnames, file names, environment variables, document content or embeddings/,
      /PostHog/,
    ]) {
      assert.match(md, fact);
    }
  });
});
