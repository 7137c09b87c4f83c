/**
 * What a failed platform call means for the retry decision. Mapped in one function per platform
 * (`telegram-errors.ts`, `x-errors.ts`); job processors act on the kind, never on message text.
 *
 * - `permanent`: the platform refused the content or target (validation, chat not found). Never retried.
 * - `auth`: credentials are wrong or revoked. Never retried until an operator fixes config.
 * - `rate-limited`: the platform said to wait; retry after {@link PublishError.retryAfterMs}.
 * - `transient`: the request certainly did not take effect (connection refused before it was written, or a
 *   5xx to a call that creates nothing). Retry with backoff.
 * - `unknown-outcome`: the request may have landed (a timeout, reset or 5xx after it was written: front
 *   ends answer 502/503/504 after the platform acted). Never blindly re-sent: reconcile first.
 */
export type PublishErrorKind = 'permanent' | 'auth' | 'rate-limited' | 'transient' | 'unknown-outcome';

export type Platform = 'telegram' | 'x';

/**
 * A refusal that says more than "no", for the job to act on:
 * - `duplicate`: X refused the post as a duplicate of one the account made: proof an earlier attempt
 *   posted it, so the part is reconciled, never resent.
 * - `reply-target-gone`: the post it had to reply to was deleted or is not visible: the thread cannot go
 *   on as a reply chain; an editor chooses (continue from another post, stop, or a new thread).
 * - `too-old-to-delete`: Telegram refused to delete a bot's message sent 48 hours ago or more; it can
 *   still be edited (a retraction edits it into a notice instead).
 * - `reply-restricted`: the post it had to reply to does not allow this reply (X's reply rules): the thread
 *   stops there; an editor chooses, as for `reply-target-gone`.
 * - `credits-depleted`: the account's prepaid credits are used up (X: 402 `CreditsDepleted`). Nothing was
 *   posted; every call is refused until someone tops up. Kind `rate-limited`: this destination waits.
 * - `spend-cap`: the account reached its spending limit for the billing cycle (X: 403 `SpendCapReached`);
 *   refused until the limit is raised or the cycle ends. Kind `rate-limited`, as above.
 * - `cashtag-limit`: the post has more than one $cashtag (X allows one).
 * - `too-many-media`: the post carries more images than X takes (4).
 */
export type PublishRefusal =
  | 'duplicate'
  | 'reply-target-gone'
  | 'too-old-to-delete'
  | 'reply-restricted'
  | 'credits-depleted'
  | 'spend-cap'
  | 'cashtag-limit'
  | 'too-many-media';

/** Refusals that mean the account cannot pay for calls: the destination waits until it can. */
export const UNPAID_REFUSALS: ReadonlySet<PublishRefusal> = new Set(['credits-depleted', 'spend-cap']);

/** What a {@link PublishError} is made of: the retry decision, the platform and its own reason. */
export interface PublishErrorOptions {
  readonly kind: PublishErrorKind;
  readonly platform: Platform;
  /** The platform's own reason, safe to show an editor (never contains a token). */
  readonly reason: string;
  /** For `rate-limited`: how long to wait before the next call to this destination, in ms. */
  readonly retryAfterMs?: number;
  /** HTTP status or platform error code when there was one. */
  readonly status?: number;
  /**
   * What the refusal means, when the platform said (see {@link PublishRefusal}): on `permanent`, and on
   * `rate-limited` for an account out of credits or at its spending limit.
   */
  readonly refusal?: PublishRefusal;
  readonly cause?: unknown;
}

/** A platform call that failed, carrying the retry decision. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly kind: PublishErrorKind;
  readonly platform: Platform;
  readonly reason: string;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly refusal: PublishRefusal | undefined;

  constructor(options: PublishErrorOptions) {
    super(`${options.platform} ${options.kind}: ${options.reason}`, { cause: options.cause });
    this.kind = options.kind;
    this.platform = options.platform;
    this.reason = options.reason;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.refusal = options.refusal;
  }

  /** Whether sending the same request again is safe and may succeed. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limited';
  }
}
