import { type ApprovalPolicy, approvalOf, approvalReason, authorOf, sameActor } from '../domain/approval.js';
import type { Actor } from '../domain/history.js';
import type { DeskResult } from '../ports/desk.js';
import type { PendingApproval } from '../ports/desk-amendments.js';
import type { StoryStore } from '../ports/story-store.js';

/**
 * The two-person rule over the story store: a story the policy names may not be scheduled (Post now,
 * Breaking, a time, the next slot; by an editor, the CLI, the page or a feed) until an editor other than
 * its author approved it. Approvals are history entries (`approved`), so they are in `/status`.
 */
export class ApprovalGate {
  constructor(
    private readonly store: StoryStore,
    private readonly policy: ApprovalPolicy | undefined,
  ) {}

  /** Why the story must wait for approval, or `undefined` when it may go out. */
  async holds(storyId: string): Promise<string | undefined> {
    if (!this.policy) return undefined;
    const record = await this.store.get(storyId);
    if (!record) return undefined;
    const history = await this.store.history(storyId);
    const reason = approvalReason(record.story, history, this.policy);
    if (!reason || approvalOf(history)) return undefined;
    const author = authorOf(history)?.name ?? 'its author';
    return `story ${storyId} needs a second editor's approval (${reason}): an editor other than ${author} sends /approve ${storyId}`;
  }

  /** Whether `actor` may approve the story: an editor, and not its author. */
  async mayApprove(storyId: string, actor: Actor): Promise<DeskResult<void>> {
    if (actor.kind !== 'editor') {
      return { ok: false, code: 'refused-state', error: 'only an editor can approve a story' };
    }
    const author = authorOf(await this.store.history(storyId));
    if (author && sameActor(author, actor)) {
      return {
        ok: false,
        code: 'refused-state',
        error: `${actor.name} wrote story ${storyId}: a second editor must approve it`,
      };
    }
    return { ok: true, value: undefined };
  }

  /** Of `storyIds`, those waiting for approval (not yet scheduled anywhere, none approved). */
  async pending(storyIds: readonly string[]): Promise<PendingApproval[]> {
    if (!this.policy) return [];
    const waiting: PendingApproval[] = [];
    for (const storyId of storyIds) {
      const record = await this.store.get(storyId);
      if (!record) continue;
      const history = await this.store.history(storyId);
      const reason = approvalReason(record.story, history, this.policy);
      if (!reason || approvalOf(history)) continue;
      const publications = await this.store.publications(storyId);
      if (!publications.some((p) => p.state === 'draft')) continue;
      waiting.push({ storyId, title: record.story.title, reason, author: authorOf(history)?.name ?? '?' });
    }
    return waiting;
  }
}
