import type { Actor, HistoryEntry } from '../domain/history.js';
import type { PartRecord, PublicationState } from '../domain/publication.js';
import type { Rendered } from '../domain/rendered.js';
import type { Story } from '../domain/story.js';
import type { XLinkPolicy } from '../domain/x-link-policy.js';
import type { XPreflightProblem } from '../format/x-preflight.js';
import type { Alert } from './alert-bus.js';
import type {
  AmendmentPreview,
  AmendmentView,
  CorrectionRequest,
  PendingApproval,
} from './desk-amendments.js';
import type { IntakeEvent } from './intake-bus.js';
import type { XSpendReport } from './x-spend-report.js';

/** A story's X thread under one link policy ({@link Desk.xLinkChoices}). */
export interface XLinkChoice {
  readonly link: XLinkPolicy;
  /** The policy the story goes out with (its own choice, else `format.x.linkPlacement`). */
  readonly current: boolean;
  readonly x: Rendered['x'];
}

/** When a story should go out on a destination. */
export type WhenRequest =
  | { readonly mode: 'next-slot' }
  | { readonly mode: 'now' }
  | { readonly mode: 'breaking' }
  | { readonly mode: 'at'; readonly atMs: number };

/** Where one destination's publication stands, for previews, /list and /status. */
export interface DestinationPlan {
  readonly destination: string;
  readonly platform: 'telegram' | 'x';
  readonly state: PublicationState | 'draft';
  /** Planned (or actual) time, epoch ms; undefined for a draft not yet scheduled. */
  readonly atMs?: number;
  /** Editor-readable explanation, e.g. "next free slot: Sat 28 Nov 2026, 17:30 (Europe/Berlin)". */
  readonly reason?: string;
  /** Set when a limit or the embargo pushed it later than asked. */
  readonly moved?: string;
  /** Epoch ms before which nothing of it may go out (the story's embargo), when there is one. */
  readonly embargoUntilMs?: number;
  /** ISO 8601 time its state last changed. The desk always sets it; a view built by hand may not. */
  readonly updatedAt?: string;
  readonly parts: readonly PartRecord[];
  /** Public links of what was published, where the platform has them. */
  readonly links: readonly string[];
}

/** A story with exactly what will be sent and where it stands. */
export interface StoryView {
  readonly story: Story;
  readonly rendered: Rendered;
  /** ISO 8601 time the story was first stored. The desk always sets it; a view built by hand may not. */
  readonly queuedAt?: string;
  readonly destinations: readonly DestinationPlan[];
  readonly history: readonly HistoryEntry[];
  /** Set while the story is live (`/live`): its channel post pinned since `since` (ISO), by amendment `id`. */
  readonly live?: { readonly id: string; readonly since: string };
  /** The story's own choice for its Telegram posts ({@link Desk.setPostFlags}); absent when it made none. */
  readonly post?: { readonly silent?: boolean; readonly protectContent?: boolean };
  /** Preview of the plan for a draft: when each destination would publish with `next-slot`. */
  readonly wouldPublish?: readonly {
    readonly destination: string;
    readonly atMs: number;
    readonly reason: string;
  }[];
}

/** How {@link Desk.draftStory} stores a story. */
export interface DraftStoryOptions {
  /** What the story's history says was done (its first entry's `action`). Default `drafted`. */
  readonly action?: string;
  /**
   * The same story (same id) stored already but never scheduled on any destination (a queue stopped
   * between its writes): take it up again, its missing drafts written, instead of refusing it as a
   * duplicate. A story scheduled anywhere is still refused.
   */
  readonly resumeUnscheduled?: boolean;
}

/** One upcoming publication, for /list. */
export interface UpcomingItem {
  readonly storyId: string;
  readonly title: string;
  readonly destination: string;
  readonly atMs: number;
}

/**
 * Why the desk refused, for code to act on (the text is for people and may change):
 * - `invalid-input`: what was typed or sent is not usable (a bad story, id, time or link);
 * - `not-found`: no such story, or not planned on that destination;
 * - `duplicate`: the story is already queued (its id in `existingId`);
 * - `refused-state`: the story's state does not allow it now (published, going out, not waiting…);
 * - `nothing-to-do`: nothing matched (no failed publication to retry, no story for the digest);
 * - `not-configured`: regwire has no destination for it;
 * - `needs-approval`: the two-person rule holds the story until a second editor approves it.
 */
export type DeskRefusalCode =
  | 'invalid-input'
  | 'not-found'
  | 'duplicate'
  | 'refused-state'
  | 'nothing-to-do'
  | 'not-configured'
  | 'needs-approval';

/** A refusal: `error` is one line for the editor, `code` says what kind it is. */
export interface DeskRefusal {
  readonly ok: false;
  readonly code: DeskRefusalCode;
  readonly error: string;
  /** For `duplicate`: the story already queued. */
  readonly existingId?: string;
}

/** Result of an action that can be refused. */
export type DeskResult<T> = { readonly ok: true; readonly value: T } | DeskRefusal;

/**
 * The editors' desk: every use case the bot, the CLI and the web page offer. Implemented over the
 * story store and the BullMQ queues in `src/app/desk-service.ts`. Every method validates its input and
 * answers with a {@link DeskResult} rather than throwing for anything a person could have typed.
 */
export interface Desk {
  /** Destination ids regwire publishes to. */
  destinations(): readonly string[];
  /** The editors' time zone (the first destination's), for reading and showing times. */
  timeZone(): string;

  /**
   * Validates, cleans and renders a story and stores it as a draft (nothing scheduled). A story already
   * known (same id or canonical URL) is refused with its id.
   */
  createDraft(input: unknown, actor: Actor): Promise<DeskResult<StoryView>>;
  /**
   * Stores a story already read, validated and cleaned (a story file read with `storyFromFile`, which
   * names the file in its errors) as a draft on every destination, rendered by the desk; nothing is
   * scheduled. Its embargo, when it has one, holds on every destination. Refused like
   * {@link Desk.createDraft} when the story is already known, and when its id is not a story id.
   */
  draftStory(story: Story, actor: Actor, options?: DraftStoryOptions): Promise<DeskResult<StoryView>>;
  /** The story with its rendering, plan and each destination's parts; error for an unknown id. */
  view(storyId: string): Promise<DeskResult<StoryView>>;
  /**
   * Adds a line to the story's history for something that happened to it outside the desk's own use
   * cases (e.g. feed intake linking a duplicate report to it). Refused for an unknown story.
   */
  note(storyId: string, actor: Actor, action: string): Promise<DeskResult<void>>;
  /** Schedules (or moves) a draft or scheduled story on all or some destinations. */
  schedule(
    storyId: string,
    when: WhenRequest,
    actor: Actor,
    destinations?: readonly string[],
  ): Promise<DeskResult<StoryView>>;
  /** Replaces title and/or body of a story nothing of which is published yet; re-renders it. */
  edit(
    storyId: string,
    changes: { title?: string; body?: string },
    actor: Actor,
  ): Promise<DeskResult<StoryView>>;
  /**
   * Sets (or with `null` lifts) the story's embargo on every destination not yet going out: nothing of it
   * is published before `untilMs` (epoch ms), whatever starts it (the schedule, Post now, Breaking,
   * Retry). A scheduled time inside the embargo moves to its end.
   */
  embargo(storyId: string, untilMs: number | null, actor: Actor): Promise<DeskResult<StoryView>>;
  /**
   * Cancels what has not been published; a draft is discarded. A publication under way stops before its
   * next part (checked atomically with the worker's lease); the answer says what is already out.
   */
  cancel(storyId: string, actor: Actor, destinations?: readonly string[]): Promise<DeskResult<StoryView>>;
  /** Publishes again what failed or needs attention, resuming at the first part not sent. */
  retry(storyId: string, actor: Actor, destinations?: readonly string[]): Promise<DeskResult<StoryView>>;
  /**
   * Records an editor's word that the part waiting for a decision (outcome unknown, or refused, e.g. as a
   * duplicate) is posted, and lets the publication go on with the next part. `remoteRef` is the post's
   * link or id as the platform shows it: required on X when a later tweet must reply to it (the desk
   * refuses without it), optional on Telegram.
   */
  markPosted(
    storyId: string,
    destination: string,
    actor: Actor,
    remoteRef?: string,
  ): Promise<DeskResult<StoryView>>;
  /**
   * X only: the rest of a thread stopped mid-way (refused, its parent deleted, unknown) goes out as a new
   * thread: the first unsent tweet replies to nothing and the rest reply to it.
   */
  newThread(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>>;
  /**
   * Stops a publication on one destination, whatever its state short of published: a running one stops
   * before its next part. The answer says which parts are already out (they stay).
   */
  skip(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>>;
  /** Upcoming publications, soonest first. */
  upcoming(options: {
    destination?: string;
    offset: number;
    limit: number;
  }): Promise<readonly UpcomingItem[]>;
  /**
   * The daily digest (in the editors' time zone): `preview` renders what was published since the last
   * scheduled run, `send` publishes exactly that now (an editor's "Send digest now"), `scheduled`
   * publishes the window that just ended (the daily run). An error when there is nothing to send.
   */
  digest(
    action: 'preview' | 'send' | 'scheduled',
    actor: Actor,
  ): Promise<DeskResult<{ readonly rendered: Rendered; readonly storyIds: readonly string[] }>>;
  /**
   * What X has cost (`/spend`): each X destination's spend today and this month (UTC), the month's forecast
   * at the current pace and the budget; with `storyId`, also what that story cost (`/status`). Reports
   * nothing when the desk does not count spend.
   */
  xSpend(storyId?: string): Promise<XSpendReport>;
  /**
   * Sets where the story's link goes on X (`/link`), re-rendering its thread; refused, like an edit, once
   * anything of it is sent, in flight or unresolved.
   */
  setXLink(storyId: string, link: XLinkPolicy, actor: Actor): Promise<DeskResult<StoryView>>;
  /**
   * The story's own choice for its Telegram posts (`/quiet`, `/protect`): `silent` goes without a sound
   * (`disable_notification`), `protectContent` cannot be forwarded or saved (`protect_content`); a flag
   * left out keeps its value. Resolves to the story's flags. Refused once its channel post is out or
   * going out (Telegram cannot change either afterwards).
   */
  setPostFlags(
    storyId: string,
    flags: { readonly silent?: boolean; readonly protectContent?: boolean },
    actor: Actor,
  ): Promise<DeskResult<{ readonly silent?: boolean; readonly protectContent?: boolean }>>;
  /**
   * The story's X thread under each link policy, in the order editors see them (`last`, `first`, `reply`,
   * `none`), the one it goes out with marked `current`: what the preview prices. Pure (no Redis).
   */
  xLinkChoices(story: Story): readonly XLinkChoice[];
  /**
   * What X would refuse (or mangle) in the rendered thread before anything is sent: more than one $cashtag
   * in a post, a post X does not take at the account's limit, a link X does not recognise, too many images,
   * a post with the same text as one regwire sent to X within the last day (from its own ledgers; X is
   * not read). Empty when there is nothing.
   */
  xPreflight(rendered: Rendered): Promise<readonly XPreflightProblem[]>;
  /**
   * A story X's budget held (nothing of it out on `destination`): drops its link on X (link policy `none`,
   * as `/link <id> none`) and sends it on with the budget checked again; held again, with a new alert,
   * when it still does not fit.
   */
  postWithoutLink(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>>;
  /**
   * Subscribes to alerts (failures, unknown outcomes, stories moved by a cap). Returns unsubscribe. An
   * alert counts as handled once the listener's promise settles: one whose handling was cut short (the
   * process died) comes again.
   */
  onAlert(listener: (alert: Alert) => void | Promise<void>): () => void;
  /**
   * Subscribes to feed-intake news (drafts to review, auto-scheduled stories, duplicates linked, failing
   * sources). Returns unsubscribe. Optional: a desk without feed intake need not offer it.
   */
  onIntake?(listener: (event: IntakeEvent) => void | Promise<void>): () => void;

  /**
   * Corrects a published story: the channel post is edited in place (with a "Corrected HH:MM UTC" line)
   * and a "Correction:" reply goes under the thread's first tweet, each exactly once, as jobs of their own.
   */
  correct(storyId: string, correction: CorrectionRequest, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /**
   * Retracts a published story: the channel post is deleted while Telegram allows it (48 hours), else
   * edited into a retraction notice; the thread's tweets are deleted. The answer says which.
   */
  retract(storyId: string, reason: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /**
   * A correction ({@link correct}) or retraction ({@link retract}) kept as a preview: what each channel
   * post becomes and what X gets; nothing is sent until {@link confirmAmendment}.
   */
  proposeAmendment(
    storyId: string,
    request:
      | { readonly kind: 'correction'; readonly correction: CorrectionRequest }
      | { readonly kind: 'retraction'; readonly reason: string },
    actor: Actor,
  ): Promise<DeskResult<AmendmentPreview>>;
  /** Sends a proposed correction or retraction, exactly once; refused once confirmed or cancelled. */
  confirmAmendment(storyId: string, amendmentId: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /** Drops a proposed correction or retraction unsent. */
  cancelAmendment(storyId: string, amendmentId: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /** Corrections and retractions of the most recent stories, newest first. */
  corrections(limit?: number): Promise<readonly AmendmentView[]>;
  /**
   * The second editor's approval of a story the two-person rule holds (see `approval` in
   * `config/regwire.json`): refused for its author. Until then Post now, Breaking and every schedule
   * are refused for it.
   */
  approve(storyId: string, actor: Actor): Promise<DeskResult<StoryView>>;
  /** Stories waiting for a second editor's approval, newest first. */
  pending(limit?: number): Promise<readonly PendingApproval[]>;

  /**
   * Formats a development of a published story (`/update`) and keeps it as a preview; nothing is sent
   * until {@link sendUpdate}. Refused for a story not published yet, a retracted one, or while an
   * earlier update is still going out on X.
   */
  proposeUpdate(storyId: string, text: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /**
   * Sends a previewed update, each destination exactly once as a job of its own: on Telegram a reply to
   * the channel post, on X a reply to the thread's last tweet (after an earlier update, its last tweet).
   */
  sendUpdate(storyId: string, updateId: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /** Drops a previewed update unsent. */
  discardUpdate(storyId: string, updateId: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /** Marks a published story live and pins its channel post; refused when it is live already. */
  live(storyId: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
  /** Ends a story's live state and unpins its channel post; refused when it is not live. */
  close(storyId: string, actor: Actor): Promise<DeskResult<AmendmentView>>;
}
