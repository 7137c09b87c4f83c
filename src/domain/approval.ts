import type { Actor, HistoryEntry } from './history.js';
import type { Story } from './story.js';

/**
 * When a story needs a second editor's approval before anything schedules or publishes it
 * (`approval` in `config/regwire.json`): every story, stories a feed in `auto` mode took in, or stories
 * whose title or body match a market-moving pattern (whole words, any case).
 */
export interface ApprovalPolicy {
  readonly all: boolean;
  readonly autoIntake: boolean;
  readonly marketMoving: boolean;
  readonly patterns: readonly string[];
}

/** The history action that records an approval. */
export const APPROVED_ACTION = 'approved';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The story's author: whoever stored it first (an editor, the CLI, the web page, or a feed). */
export function authorOf(history: readonly HistoryEntry[]): Actor | undefined {
  return history[0]?.actor;
}

/** Whether `a` and `b` are the same person (editors by Telegram id, others by name). */
export function sameActor(a: Actor, b: Actor): boolean {
  if (a.kind === 'editor' && b.kind === 'editor' && a.id !== undefined && b.id !== undefined)
    return a.id === b.id;
  return a.kind === b.kind && a.name === b.name;
}

/** Why the story needs approval under `policy`, or `undefined` when it does not. */
export function approvalReason(
  story: Story,
  history: readonly HistoryEntry[],
  policy: ApprovalPolicy,
): string | undefined {
  if (policy.all) return 'every story needs a second editor';
  if (policy.autoIntake && authorOf(history)?.kind === 'system') return 'taken in by a feed';
  if (!policy.marketMoving) return undefined;
  const text = `${story.title}\n${story.body}`;
  const hit = policy.patterns.find((p) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(p)}(?![\\p{L}\\p{N}])`, 'iu').test(text),
  );
  return hit === undefined ? undefined : `market-moving ("${hit}")`;
}

/**
 * The approval that counts: an editor's `approved` entry, by someone other than the author. A story
 * edited after it was approved needs approving again.
 */
export function approvalOf(history: readonly HistoryEntry[]): HistoryEntry | undefined {
  const author = authorOf(history);
  let approval: HistoryEntry | undefined;
  for (const entry of history) {
    if (
      entry.action === APPROVED_ACTION &&
      entry.actor.kind === 'editor' &&
      (!author || !sameActor(entry.actor, author))
    ) {
      approval = entry;
    } else if (entry.action.startsWith('edited')) {
      approval = undefined;
    }
  }
  return approval;
}

/** Whether any rule of the policy is on (else nothing ever waits, and nothing needs checking). */
export function anyApprovalRule(policy: ApprovalPolicy): boolean {
  return policy.all || policy.autoIntake || policy.marketMoving;
}
