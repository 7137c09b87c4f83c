import type { Amendment } from '../domain/amendment.js';
import type { PublicationState } from '../domain/publication.js';

/** Where one amendment stands on one destination, for `/corrections` and `/status`. */
export interface AmendmentProgress {
  readonly destination: string;
  readonly state: PublicationState | 'none';
  /** Each step's remote id once done: `edited:<id>`, `deleted:<id>`, or the id of what it posted. */
  readonly done: readonly (string | undefined)[];
}

/** A correction or retraction with its progress on each destination. */
export interface AmendmentView {
  readonly storyId: string;
  readonly title: string;
  readonly amendment: Amendment;
  readonly progress: readonly AmendmentProgress[];
}

/**
 * A correction as an editor asks for it: `note` is the line the followers read ("Corrected HH:MM UTC:
 * <note>", "Correction: <note>"); `story`, when given, is the corrected story (the same input as a new
 * story: a story file's contents, or title and body) whose channel post replaces the published one.
 */
export interface CorrectionRequest {
  readonly note: string;
  readonly story?: unknown;
}

/** A story waiting for a second editor's approval (the two-person rule), for `/pending`. */
export interface PendingApproval {
  readonly storyId: string;
  readonly title: string;
  /** Why it needs approval, e.g. `market-moving ("ETF")`. */
  readonly reason: string;
  /** Who stored it: they cannot approve it. */
  readonly author: string;
}

/**
 * What a correction or retraction does to one channel post, for its preview: `edit`, the post becomes
 * `after` (a correction); `delete`, it is deleted (sent less than 48 hours ago; should Telegram refuse,
 * it becomes `after`, the notice); `notice`, too old to delete: it is edited into `after`.
 */
export interface ChannelChange {
  readonly destination: string;
  readonly messageId: number;
  readonly action: 'edit' | 'delete' | 'notice';
  /** The post's text now. */
  readonly before: string;
  readonly after: string;
  /** ISO time the post was sent, when the ledger knows it. */
  readonly sentAt?: string;
}

/** A proposed correction or retraction (nothing sent yet) and what it would do to each channel post. */
export interface AmendmentPreview {
  readonly view: AmendmentView;
  readonly channel: readonly ChannelChange[];
}
