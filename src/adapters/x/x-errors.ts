import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { PublishError, type PublishRefusal } from '../../errors/publish-error.js';

/** Used when a 429 carries no reset header: X's per-user windows are 15 minutes. */
const FALLBACK_RATE_WAIT_MS = 15 * 60 * 1000;
/** Reset times have one-second resolution; never ask for an immediate retry into the same window. */
const MIN_RATE_WAIT_MS = 1000;

/** Failures where the connection was never established, so the request cannot have reached X. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** X problem types that mean the credentials or app permissions are wrong, not the content. */
const AUTH_PROBLEM_TYPES = [
  'oauth1-permissions',
  'client-forbidden',
  'unsupported-authentication',
  'not-authorized-for-resource',
];

// X v2 says these only in prose (`detail`), with no code of their own; the texts are X's documented ones.
const REFUSALS: readonly { readonly pattern: RegExp; readonly refusal: PublishRefusal }[] = [
  { pattern: /duplicate content/i, refusal: 'duplicate' },
  { pattern: /reply to a (Tweet|Post) that is deleted or not visible/i, refusal: 'reply-target-gone' },
  { pattern: /Reply to this conversation is not allowed/i, refusal: 'reply-restricted' },
  { pattern: /maximum of one cashtag/i, refusal: 'cashtag-limit' },
  { pattern: /media_ids: there must be a maximum of \d+ items/i, refusal: 'too-many-media' },
];

/**
 * Whether X refused because the account cannot pay (see `test/contract/fixtures/x/`): 402 with title
 * `CreditsDepleted` or a `…/problems/credits` (`…/credits-depleted`) type when the prepaid credits are used
 * up; 403 `SpendCapReached` at the billing cycle's spending limit. X documents neither body.
 */
function unpaidRefusal(err: ApiResponseError): 'credits-depleted' | 'spend-cap' | undefined {
  const data = (err.data ?? {}) as { title?: unknown; type?: unknown };
  const title = typeof data.title === 'string' ? data.title : '';
  const type = typeof data.type === 'string' ? data.type : '';
  if (/SpendCap/i.test(title)) return 'spend-cap';
  if (err.code === 402 || /CreditsDepleted/i.test(title) || /\/problems\/credits/.test(type)) {
    return 'credits-depleted';
  }
  return undefined;
}

/** Options of {@link toPublishError}. */
export interface XErrorContext {
  /**
   * The call creates something (a post): a 5xx or a broken-off response may come after X acted, so it
   * is an unknown outcome rather than a safe retry. Default false (reads, media uploads).
   */
  readonly creates?: boolean;
}

/**
 * Maps anything twitter-api-v2 throws to a {@link PublishError} carrying the retry decision:
 * 429 → `rate-limited` (wait until the exhausted window resets; the later one when both are), out of
 * credits (402) or at the spending limit (403 `SpendCapReached`) → `rate-limited` with that refusal and no
 * wait of X's (the caller chooses when to try again), 401 and
 * permission problems → `auth`, other 4xx (duplicate, too long, reply target gone) → `permanent` with X's
 * reason (and the {@link PublishRefusal} where X said which), connection failures before the request was
 * written → `transient`, 5xx → `transient` for reads but `unknown-outcome` for a call that creates a post
 * (X's front end answers 503 after the post was made often enough), and timeouts or resets after the
 * request may have been written → `unknown-outcome`. Reasons come from X's response or the socket error,
 * never from the request, so they hold no keys or tokens.
 *
 * @param now Current time in epoch ms, to turn reset timestamps into a wait. Default `Date.now()`.
 */
export function toPublishError(
  err: unknown,
  now: number = Date.now(),
  context: XErrorContext = {},
): PublishError {
  if (err instanceof PublishError) return err;

  if (err instanceof ApiResponseError) {
    const status = err.code;
    const reason = responseReason(err);
    if (status === 429) {
      return new PublishError({
        kind: 'rate-limited',
        platform: 'x',
        reason,
        status,
        retryAfterMs: rateLimitWaitMs(err, now),
        cause: err,
      });
    }
    const unpaid = unpaidRefusal(err);
    if (unpaid) {
      // Nothing was done and nothing will be until someone pays: not a failure of the post, a pause of
      // the account (the run decides how long to wait before it tries again).
      return new PublishError({
        kind: 'rate-limited',
        platform: 'x',
        reason,
        status,
        refusal: unpaid,
        cause: err,
      });
    }
    if (status === 401 || isAuthProblem(err)) {
      return new PublishError({ kind: 'auth', platform: 'x', reason, status, cause: err });
    }
    if (status >= 500) {
      const kind = context.creates ? 'unknown-outcome' : 'transient';
      return new PublishError({ kind, platform: 'x', reason, status, cause: err });
    }
    const refusal = REFUSALS.find((r) => r.pattern.test(reason))?.refusal;
    return new PublishError({
      kind: 'permanent',
      platform: 'x',
      reason,
      status,
      ...(refusal ? { refusal } : {}),
      cause: err,
    });
  }

  if (err instanceof ApiPartialResponseError) {
    const status = err.response?.statusCode;
    // A body broken off mid-way: for a read, a 5xx means nothing happened; a create may have landed.
    const kind = status !== undefined && status >= 500 && !context.creates ? 'transient' : 'unknown-outcome';
    return new PublishError({
      kind,
      platform: 'x',
      reason: `response interrupted (HTTP ${status ?? '?'})`,
      ...(status !== undefined ? { status } : {}),
      cause: err,
    });
  }

  if (err instanceof ApiRequestError) {
    // ApiRequestError#requestError reads the wrong field in 1.29.1; the socket error lives in _options.error.
    const socketError = (err as unknown as { _options?: { error?: unknown } })._options?.error;
    return fromSocketError(socketError ?? err, err);
  }

  return fromSocketError(err, err);
}

function fromSocketError(socketError: unknown, cause: unknown): PublishError {
  const { code, syscall, message, name } = (socketError ?? {}) as {
    code?: unknown;
    syscall?: unknown;
    message?: unknown;
    name?: unknown;
  };
  const codeText = typeof code === 'string' ? code : undefined;
  const messageText = typeof message === 'string' ? message : 'unknown error';
  const reason = codeText ? `${codeText}: ${messageText}` : messageText;
  const notSent = (codeText !== undefined && NOT_SENT_CODES.has(codeText)) || syscall === 'connect';
  if (notSent) return new PublishError({ kind: 'transient', platform: 'x', reason, cause });
  // Timeouts, resets, hang-ups and aborts after the request was handed to the socket: X may have acted.
  const detail = name === 'AbortError' ? `aborted: ${reason}` : reason;
  return new PublishError({ kind: 'unknown-outcome', platform: 'x', reason: detail, cause });
}

function responseReason(err: ApiResponseError): string {
  const data = err.data ?? {};
  const messages = (data.errors ?? [])
    .map((e) => ('message' in e && typeof e.message === 'string' ? e.message : undefined))
    .filter((m): m is string => Boolean(m));
  if (messages.length > 0) return messages.join('; ');
  return data.detail ?? data.title ?? data.error ?? `HTTP ${err.code}`;
}

function isAuthProblem(err: ApiResponseError): boolean {
  const type = err.data?.type;
  return typeof type === 'string' && AUTH_PROBLEM_TYPES.some((t) => type.endsWith(t));
}

function rateLimitWaitMs(err: ApiResponseError, now: number): number {
  type Limit = { limit: number; remaining: number; reset: number };
  const usable = (l: Limit | undefined): l is Limit => l !== undefined && Number.isFinite(l.reset);
  const window = err.rateLimit;
  const exhausted = [window, window?.userDay, window?.day].filter(usable).filter((l) => l.remaining <= 0);
  // Nothing reported as exhausted: the 15-minute window is the one X counts every request against.
  const candidates = exhausted.length > 0 ? exhausted : [window].filter(usable);
  if (candidates.length === 0) return FALLBACK_RATE_WAIT_MS;
  const resetMs = Math.max(...candidates.map((l) => l.reset * 1000));
  return Math.max(MIN_RATE_WAIT_MS, resetMs - now);
}
