/**
 * What a failed platform call means for the retry decision. Mapped in one function per platform
 * (`telegram-errors.ts`, `x-errors.ts`); job processors act on the kind, never on message text.
 *
 * - `permanent`: the platform refused the content or target (validation, chat not found). Never retried.
 * - `auth`: credentials are wrong or revoked. Never retried until an operator fixes config.
 * - `rate-limited`: the platform said to wait; retry after {@link PublishError.retryAfterMs}.
 * - `transient`: the request certainly did not take effect (connection refused, 5xx). Retry with backoff.
 * - `unknown-outcome`: the request may have landed (timeout or reset after it was sent). Never blindly
 *   re-sent: reconcile first.
 */
export type PublishErrorKind = 'permanent' | 'auth' | 'rate-limited' | 'transient' | 'unknown-outcome';

export type Platform = 'telegram' | 'x';

export interface PublishErrorOptions {
  readonly kind: PublishErrorKind;
  readonly platform: Platform;
  /** The platform's own reason, safe to show an editor (never contains a token). */
  readonly reason: string;
  /** For `rate-limited`: how long to wait before the next call to this destination, in ms. */
  readonly retryAfterMs?: number;
  /** HTTP status or platform error code when there was one. */
  readonly status?: number;
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

  constructor(options: PublishErrorOptions) {
    super(`${options.platform} ${options.kind}: ${options.reason}`, { cause: options.cause });
    this.kind = options.kind;
    this.platform = options.platform;
    this.reason = options.reason;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }

  /** Whether sending the same request again is safe and may succeed. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limited';
  }
}
