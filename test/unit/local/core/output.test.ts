import * as assert from 'node:assert/strict';
import { LineRing, diagnose } from '../../../../src/local/core/output';

describe('local server output (pure)', () => {
  it('keeps the last lines, joins lines split across chunks, drops colour codes', () => {
    const ring = new LineRing(3);
    assert.deepEqual(ring.push('\x1b[38;5;069m(((\x1b[0m logo\nSaving data to: /x\r\nConnect'), ['((( logo', 'Saving data to: /x']);
    assert.deepEqual(ring.push(' to Chroma\nListening on 127.0.0.1:1\n'), ['Connect to Chroma', 'Listening on 127.0.0.1:1']);
    assert.deepEqual(ring.last(), ['Saving data to: /x', 'Connect to Chroma', 'Listening on 127.0.0.1:1']);
    ring.push('partial');
    assert.deepEqual(ring.flush(), ['partial']);
    assert.equal(ring.lastLine(), 'partial');
  });

  it('tells the failures chroma run prints (lines as the real servers print them)', () => {
    assert.deepEqual(diagnose(['Address 127.0.0.1:18201 is not available']), {
      kind: 'port-in-use',
      reason: 'the port is in use by another program (127.0.0.1:18201)',
    });
    assert.deepEqual(
      diagnose([
        "Error: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /x/chromadb-js-bindings.linux-x64-gnu.node)",
        "  code: 'ERR_DLOPEN_FAILED'",
      ]),
      { kind: 'binding', reason: "the Chroma binding could not load: this system's glibc is older than it needs (GLIBC_2.38 not found)" },
    );
    assert.deepEqual(diagnose(["Error: Cannot find module 'chromadb-js-bindings-linux-x64-gnu'"]), {
      kind: 'binding',
      reason: 'the Chroma binding for this system (chromadb-js-bindings-linux-x64-gnu) is not installed',
    });
    assert.deepEqual(diagnose(['Error: Unsupported Windows architecture: x64. Only ARM64 is supported.']), {
      kind: 'unsupported-platform',
      reason: 'the npm Chroma CLI does not run on this system',
    });
    assert.equal(diagnose(['error returned from database: (code: 5) database is locked'])?.kind, 'folder-locked');
    assert.equal(diagnose(['Listening on 127.0.0.1:8000']), undefined);
  });
});
