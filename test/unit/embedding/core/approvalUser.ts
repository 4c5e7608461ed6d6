/** The user at the embedding modals, for the key and send-gate suites: real approvals, answers from a script. */
import * as assert from 'node:assert/strict';
import { EmbeddingApprovals } from '../../../../src/embedding/core/approvals';
import type { ApprovalStore, Question } from '../../../../src/embedding/core/approvals';
import { EmbeddingError } from '../../../../src/embedding/core/types';

/** An approval store in memory, as globalState is in the editor (it may hold other entries too). */
export class MemoryApprovalStore implements ApprovalStore {
  readonly map = new Map<string, true>();
  has(id: string): boolean {
    return this.map.has(id);
  }
  add(id: string): Promise<void> {
    this.map.set(id, true);
    return Promise.resolve();
  }
  ids(): string[] {
    return [...this.map.keys()];
  }
  remove(id: string): Promise<void> {
    this.map.delete(id);
    return Promise.resolve();
  }
}

/** Answers each modal with `answer` (true = Allow), recording every question asked. */
export class User {
  readonly questions: Question[] = [];
  readonly store = new MemoryApprovalStore();
  readonly approvals: EmbeddingApprovals;
  constructor(public answer: (q: Question) => boolean) {
    this.approvals = new EmbeddingApprovals(this.store, (q) => (this.questions.push(q), Promise.resolve(this.answer(q))));
  }
  /** The messages asked, in order. */
  get asked(): string[] {
    return this.questions.map((q) => q.message);
  }
}

/** Rejects with an EmbeddingError of this code, whose one-line message matches. */
export const rejectsWith = (p: Promise<unknown>, code: EmbeddingError['code'], message: RegExp) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof EmbeddingError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
