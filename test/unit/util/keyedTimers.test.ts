import * as assert from 'node:assert/strict';
import { KeyedTimers } from '../../../src/util/keyedTimers';

describe('KeyedTimers', () => {
  it('scheduling a key again replaces its timer; other keys and cancelled ones keep their own course', async () => {
    const timers = new KeyedTimers();
    const ran: string[] = [];
    let done!: () => void;
    const last = new Promise<void>((resolve) => (done = resolve));
    timers.schedule('a', 0, () => ran.push('a1'));
    timers.schedule('b', 0, () => ran.push('b'));
    timers.schedule('c', 0, () => ran.push('c'));
    timers.cancel('c');
    timers.schedule('a', 0, () => ran.push('a2'));
    // timers of one delay fire in the order they were set: had a1 or c not been dropped, they would have run by now
    timers.schedule('end', 0, () => done());
    await last;
    assert.deepEqual(ran, ['b', 'a2']);
  });

  it('clear drops every pending timer', async () => {
    const timers = new KeyedTimers();
    const ran: string[] = [];
    timers.schedule('a', 0, () => ran.push('a'));
    timers.schedule('b', 0, () => ran.push('b'));
    timers.clear();
    await new Promise<void>((resolve) => timers.schedule('after', 0, resolve));
    assert.deepEqual(ran, []);
  });
});
