/**
 * Retrieval evaluation as a person uses it (issue 23): Generate Evaluation Set… typed into the palette and answered
 * by typing; a set run with "Test: Run All Tests", its cases shown passed in the Test Explorer. Any error
 * notification fails the test.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTES } from './support/data';
import { clickTest } from './support/hooks';
import type { ClickWindow } from './support/window';

const TARGET = { connection: 'acceptance', database: 'default_database', collection: NOTES };

interface TestRow {
  label: string;
  state: string;
  expanded?: boolean;
}

/** The Test Explorer's rows as drawn: label, and the state its icon shows (passed, failed, unset…). */
function testRows(win: ClickWindow): Promise<TestRow[]> {
  return win.page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.test-explorer .monaco-list-row')).map((el) => {
      const icon = el.querySelector('.computed-state');
      const state = /codicon-testing-(\w+)-icon/.exec(icon?.className ?? '')?.[1] ?? '';
      const expanded = el.getAttribute('aria-expanded');
      return { label: (el.querySelector('.label-name, .label')?.textContent ?? '').trim(), state, expanded: expanded === null ? undefined : expanded === 'true' };
    }),
  );
}

describe('click: retrieval evaluation', () => {
  it(
    'Generate Evaluation Set… typed into the palette writes a set of notes\' records, answered by typing',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        await win.runCommand('Chroma: Generate Evaluation Set');
        await win.pickCollection(TARGET);
        await win.waitForQuickInput('the size box', (q) => /how many cases/.test(q.title) && q.value === '50');
        await win.type('4');
        await win.press('Enter');
        await win.waitForQuickInput('the file name box', (q) => /file name/.test(q.title) && q.value === 'notes.chroma-eval.json');
        await win.press('Enter');
        const toast = await win.waitForToast('the notification of the written set', /^Wrote \d+ cases to notes\.chroma-eval\.json/, 60_000);
        const count = Number(/^Wrote (\d+) cases/.exec(toast)?.[1]);
        const set = JSON.parse(readFileSync(join(s.folder, 'notes.chroma-eval.json'), 'utf8')) as { target: { connection: string; collection: string }; cases: Array<{ query: string; expect: { ids: string[] } }> };
        assert.deepEqual([set.target.connection, set.target.collection], ['acceptance', NOTES]);
        assert.equal(set.cases.length, count);
        assert.ok(count >= 1 && count <= 4, toast);
        const notes = await s.client.getCollection(NOTES);
        for (const c of set.cases) {
          const got = await s.client.get(notes, { ids: c.expect.ids, include: ['documents'] });
          assert.ok(got.documents?.[0]?.includes(c.query), `"${c.query}" is text of ${c.expect.ids[0]}`);
        }
      },
    ),
  );

  it(
    'Test: Run All Tests runs a set against notes; the Test Explorer shows its cases passed',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const cases = [0, 1, 2].map((i) => ({ name: `note ${i}`, query: { record: `note-${i}`, excludeSelf: false }, expect: { ids: [`note-${i}`] } }));
        const set = { target: { connection: 'acceptance', collection: NOTES, k: 1 }, cases };
        writeFileSync(join(s.folder, 'records.chroma-eval.json'), JSON.stringify(set, null, 2));
        await win.openFile('records.chroma-eval.json');
        await win.runCommand('View: Show Testing');
        await win.waitFor('the set in the Test Explorer', async () => (await testRows(win)).find((r) => r.label === 'records.chroma-eval.json'), 60_000);
        await win.runCommand('Test: Run All Tests');
        const file = await win.waitFor('the set passed', async () => (await testRows(win)).find((r) => r.label === 'records.chroma-eval.json' && r.state === 'passed'), 60_000);
        if (file.expanded === false) {
          await win.page.locator('.test-explorer .monaco-list-row', { hasText: 'records.chroma-eval.json' }).first().click();
          await win.press('ArrowRight');
        }
        const rows = await win.waitFor('the three cases passed', async () => {
          const all = (await testRows(win)).filter((r) => r.label.startsWith('note '));
          return all.length === 3 && all.every((r) => r.state === 'passed') ? all : undefined;
        });
        assert.deepEqual(rows.map((r) => r.label), ['note 0', 'note 1', 'note 2']);
      },
    ),
  );

  it(
    'the gutter run icon of one case runs that case only; a failing case shows failed',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const cases = [
          { name: 'note 0', query: { record: 'note-0', excludeSelf: false }, expect: { ids: ['note-0'] } },
          { name: 'note 1 wrong', query: { record: 'note-1', excludeSelf: false }, expect: { ids: ['note-4'] } },
        ];
        writeFileSync(join(s.folder, 'gutter.chroma-eval.json'), JSON.stringify({ target: { connection: 'acceptance', collection: NOTES, k: 1 }, cases }, null, 2));
        await win.openFile('gutter.chroma-eval.json');
        // one run icon per case, drawn in the glyph margin at the case's first line
        const glyphs = win.page.locator('.monaco-editor .testing-run-glyph');
        await win.waitFor('the two run icons in the gutter', async () => (await glyphs.count()) === 2, 60_000);
        const tops = await glyphs.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
        const second = tops.indexOf(Math.max(...tops));
        await glyphs.nth(second).click();
        await win.runCommand('View: Show Testing');
        const file = await win.waitFor('the set failed', async () => (await testRows(win)).find((r) => r.label === 'gutter.chroma-eval.json' && r.state === 'failed'), 60_000);
        if (file.expanded === false) {
          await win.page.locator('.test-explorer .monaco-list-row', { hasText: 'gutter.chroma-eval.json' }).first().click();
          await win.press('ArrowRight');
        }
        const rows = await win.waitFor('both cases listed', async () => {
          const all = (await testRows(win)).filter((r) => r.label.startsWith('note '));
          return all.length === 2 ? all : undefined;
        });
        assert.deepEqual(rows.map((r) => [r.label, r.state]), [['note 0', 'unset'], ['note 1 wrong', 'failed']]);
        // the failure shown at the case: clicked, its message peeks open; its link shows the hits in the Results view
        await win.page.getByText('expected note-4 (rank', { exact: false }).first().click();
        const link = win.page.getByRole('link', { name: 'Open these hits in the Chroma Results view' });
        await link.first().waitFor({ timeout: 30_000 });
        await link.first().click();
        const shown = await win.waitFor('the case\'s hits in the Results view', async () => (await win.resultRows()).find((r) => /^1\. note-[02-4]/.test(r)), 60_000);
        s.logLine(`results view: ${shown}`);
      },
    ),
  );
});
