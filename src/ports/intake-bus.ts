import type { XSpendReport } from './x-spend-report.js';

/**
 * What feed intake tells editors, on its own channel (alerts are for publications that went wrong):
 * - `draft`: a review-mode source drafted a story; show its preview with the usual buttons.
 * - `scheduled`: an auto-mode source scheduled a story at the next free slot (for information).
 * - `duplicate`: an item reported an event already queued; it was linked to `storyId`, not drafted.
 * - `source-failing`: a source failed `failures` times in a row (sent once until it recovers).
 * - `source-recovered`: a source that was reported failing answered again.
 * `relevance` is one line with the score and the words that decided it.
 * Beside intake's news, the same channel carries the editors' daily digest (`editors-digest`): what X
 * cost yesterday (`day`, a UTC day) and this month against the budget. Intake's news older than 12 hours
 * is not delivered (no stale flood after an outage); the digest still is, marked late, up to
 * {@link EDITORS_DIGEST_MAX_AGE_MS}.
 */
export type IntakeEvent =
  | {
      readonly kind: 'draft' | 'scheduled';
      readonly storyId: string;
      readonly title: string;
      readonly sourceId: string;
      readonly sourceName: string;
      readonly relevance: string;
      /** For `scheduled`: editor-readable plan, e.g. "telegram Sat 28 Nov 2026, 17:30 (Europe/Berlin)". */
      readonly plan?: string;
    }
  | {
      readonly kind: 'duplicate';
      /** The first story, which the duplicate was linked to. */
      readonly storyId: string;
      readonly title: string;
      readonly sourceId: string;
      readonly sourceName: string;
      readonly url?: string;
      /** Why it is the same story: same GUID, same URL, or similar title (with the similarity). */
      readonly reason: string;
    }
  | {
      readonly kind: 'editors-digest';
      /** The UTC day the digest reports on (YYYY-MM-DD): yesterday when it was made. */
      readonly day: string;
      /** When it was made (ISO 8601): the bot says it is late when it reaches editors long after. */
      readonly madeAt?: string;
      readonly spend: XSpendReport;
    }
  | {
      readonly kind: 'source-failing' | 'source-recovered';
      readonly sourceId: string;
      readonly sourceName: string;
      /** Consecutive failed polls. */
      readonly failures: number;
      /** One line for editors, with the last error. */
      readonly message: string;
    };

/** Carries feed-intake news from the polling worker (any process) to whoever tells editors (the bot). */
export interface IntakeBus {
  publish(event: IntakeEvent): Promise<void>;
  /**
   * Publishes `event` unless one under the same `onceKey` was published in the last `withinMs`; resolves
   * to false (nothing published) then. The check and the publishing are one step.
   */
  publishOnce(event: IntakeEvent, onceKey: string, withinMs: number): Promise<boolean>;
  /** Returns unsubscribe. A listener's promise, if any, settles once the event is handled (delivered). */
  subscribe(listener: (event: IntakeEvent) => void | Promise<void>): () => void;
}

/**
 * An editors' digest that reached no editor within this long (2 days: the bot was down that long) is dropped
 * with a log line: by then two newer digests say more.
 */
export const EDITORS_DIGEST_MAX_AGE_MS = 2 * 86_400_000;
