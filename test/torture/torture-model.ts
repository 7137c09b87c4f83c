/**
 * What the torture test knows: what the editors asked and what the desk answered (the model), what the
 * platforms hold (the stand-ins' records), and what the desk shows at the end (`/status`). The checker
 * (`torture-checker.ts`) is a pure function of these.
 */

/** The torture rig's destinations are named after their platforms. */
export type Platform = 'telegram' | 'x';
export const PLATFORMS: readonly Platform[] = ['telegram', 'x'];

/** Editor actions the torture test performs through the real desk. */
export type ActionKind =
  | 'queue'
  | 'schedule'
  | 'reschedule'
  | 'now'
  | 'breaking'
  | 'embargo'
  | 'cancel'
  | 'skip'
  | 'retry'
  | 'edit'
  | 'mark-posted';

/** Actions that set when a publication goes out; their answer's `atMs` is a promise not to post earlier. */
export const SCHEDULING_ACTIONS: ReadonlySet<ActionKind> = new Set([
  'queue',
  'schedule',
  'reschedule',
  'now',
  'breaking',
  'embargo',
]);

/** Actions that close a publication; their acknowledgement is a promise not to post more. */
export const CLOSING_ACTIONS: ReadonlySet<ActionKind> = new Set(['cancel', 'skip']);

/** One part as the desk showed it. */
export interface PartSnapshot {
  readonly index: number;
  /** `sending` | `sent` | `unknown` | `failed` (or whatever the ledger says). */
  readonly state: string;
  readonly remoteId?: string;
}

/** One destination of a story as the desk showed it (a `DestinationPlan` reduced to what is checked). */
export interface DestinationSnapshot {
  readonly destination: Platform;
  readonly state: string;
  /** Planned (or actual) time, epoch ms. */
  readonly atMs?: number;
  readonly parts: readonly PartSnapshot[];
}

/** Part states that mean "live or in flight" in a desk answer: such a part may still land afterwards. */
export const LIVE_OR_IN_FLIGHT: ReadonlySet<string> = new Set(['sent', 'sending', 'unknown']);

/** An editor action and the desk's answer to it. */
export interface AckRecord {
  /** Index of the step in the run's schedule (or -1 for the settle phase). */
  readonly step: number;
  readonly action: ActionKind;
  /** Destinations the action was aimed at; empty means all of the story's. */
  readonly destinations: readonly Platform[];
  /** When the call was made and when its answer came back (epoch ms, the test process's clock). */
  readonly startedAt: number;
  readonly ackedAt: number;
  readonly ok: boolean;
  /** The refusal, or a one-line summary of what the answer said. */
  readonly answer: string;
  /** Each destination as the answer's view showed it (absent for refusals). */
  readonly view?: readonly DestinationSnapshot[];
  /** The action drafted the story: nothing of it can have been in flight before it was asked. */
  readonly createdStory?: boolean;
  /** For `embargo`: the embargo's end, epoch ms. */
  readonly embargoUntilMs?: number;
}

/** One version of a story's rendering: the texts of each part, canonicalised (see `canonicalText`). */
export interface StoryVersion {
  readonly rev: number;
  readonly parts: Readonly<Record<Platform, readonly string[]>>;
}

/** One story of the run. */
export interface StoryModel {
  readonly storyId: string;
  /** Its number in the run (every text carries it). */
  readonly n: number;
  /** Every rendering the desk acknowledged, oldest first (an accepted edit adds one). */
  readonly versions: StoryVersion[];
  readonly acks: AckRecord[];
}

/** One post as a platform holds it, with the moment the stand-in created it (test process clock). */
export interface ObservedPost {
  readonly platform: Platform;
  /** Telegram message id or tweet id. */
  readonly remoteId: string;
  readonly text: string;
  readonly atMs: number;
  /** X: the tweet it replies to. */
  readonly replyTo?: string;
  readonly deleted: boolean;
}

/** An alert as the editors' chat would get it. */
export interface ObservedAlert {
  readonly storyId: string;
  readonly destination: string;
  readonly kind: string;
  readonly part?: number;
}

/** A moment the settle phase found a publication waiting for an editor (needs attention or failed). */
export interface UnresolvedSighting {
  readonly storyId: string;
  readonly destination: Platform;
  readonly state: string;
}

/** Everything the checker reads. */
export interface TortureEvidence {
  readonly stories: readonly StoryModel[];
  readonly posts: readonly ObservedPost[];
  /** `/status` of every story at the end. */
  readonly finalStatus: ReadonlyMap<string, readonly DestinationSnapshot[]>;
  readonly alerts: readonly ObservedAlert[];
  readonly unresolvedSeen: readonly UnresolvedSighting[];
}

/** Kinds of violation, one per invariant. */
export type ViolationKind =
  | 'duplicate'
  | 'after-cancel'
  | 'before-embargo'
  | 'early'
  | 'orphan'
  | 'broken-chain'
  | 'mixed-versions'
  | 'lost'
  | 'stuck'
  | 'unsurfaced'
  | 'status-mismatch'
  | 'unmatched-post';

/** One broken invariant, precise enough to find it again (story, destination, part, remote ids, times). */
export interface Violation {
  readonly kind: ViolationKind;
  readonly storyId?: string;
  readonly destination?: Platform;
  readonly part?: number;
  readonly detail: string;
}

/** X rewrites what it returns (`&<>` escaped, links wrapped in t.co): compare texts with that undone. */
export function canonicalText(platform: Platform, text: string): string {
  if (platform === 'telegram') return text.normalize('NFC').trim();
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/https?:\/\/\S+/g, '<url>')
    .normalize('NFC')
    .trim();
}
