import { TelegramError } from 'telegraf';
import { PublishError } from '../../errors/publish-error.js';

// `bot<id>:<secret>` in URLs, and a bare `<id>:<secret>` token anywhere.
const TOKEN_PATTERN = /(bot)?\d{3,}:[A-Za-z0-9_-]{6,}/g;

/** Replaces anything shaped like a bot token with `[REDACTED]`. */
export function scrubToken(text: string): string {
  return text.replace(TOKEN_PATTERN, (_match, prefix: string | undefined) => `${prefix ?? ''}[REDACTED]`);
}

// Failures while connecting: the request never reached Telegram, so resending is safe.
const BEFORE_SENDING_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(err: unknown): string | undefined {
  const candidate = err as { code?: unknown; errno?: unknown; cause?: { code?: unknown } } | null;
  for (const value of [candidate?.code, candidate?.errno, candidate?.cause?.code]) {
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function scrubbedCause(err: unknown): unknown {
  if (err instanceof Error) err.message = scrubToken(err.message);
  return err;
}

/**
 * Maps anything a telegraf call throws to a {@link PublishError} with the retry decision:
 *
 * - `429` → `rate-limited`, `retryAfterMs` = `parameters.retry_after` × 1000 (1 s when absent).
 * - `401` → `auth` (token revoked or wrong).
 * - `403` (bot kicked, not a member or not an admin of the channel, blocked) → `auth`: the bot's
 *   credentials work but its rights to this chat do not; only an operator can fix that, and the same
 *   story will post fine once they do, so it is not `permanent` (which would drop the post for good).
 * - other `4xx` (chat not found, entities refused, text too long) → `permanent`, the description as reason.
 * - `5xx` → `unknown-outcome`: every call mapped here creates a message, and a front end answers 502/503/504
 *   after Telegram acted often enough; Telegram has no way to look the message up, so an editor decides.
 * - connection refused, DNS, TLS before the request was written → `transient`.
 * - timeouts, aborts, resets, hang-ups and anything unknown → `unknown-outcome`: the message may have been
 *   posted, so it must be reconciled, never blindly resent.
 *
 * Token-shaped text is scrubbed from the reason, the message and the cause's message.
 */
export function toPublishError(err: unknown): PublishError {
  if (err instanceof PublishError) return err;
  if (err instanceof TelegramError) {
    const status = err.code;
    const reason = scrubToken(err.description);
    const base = { platform: 'telegram' as const, reason, status, cause: scrubbedCause(err) };
    if (status === 429) {
      const retryAfter = err.parameters?.retry_after;
      const retryAfterMs = typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : 1000;
      return new PublishError({ ...base, kind: 'rate-limited', retryAfterMs });
    }
    if (status === 401 || status === 403) return new PublishError({ ...base, kind: 'auth' });
    if (status >= 500) {
      return new PublishError({
        ...base,
        kind: 'unknown-outcome',
        reason: `HTTP ${status} (${reason}); the message may have been posted`,
      });
    }
    if (status >= 400) return new PublishError({ ...base, kind: 'permanent' });
    return new PublishError({ ...base, kind: 'unknown-outcome' });
  }

  const message = scrubToken(err instanceof Error ? err.message : String(err));
  const cause = scrubbedCause(err);
  const code = errorCode(err);
  if (code !== undefined && BEFORE_SENDING_CODES.has(code)) {
    return new PublishError({
      platform: 'telegram',
      kind: 'transient',
      reason: `connection failed (${code})`,
      cause,
    });
  }
  const name = err instanceof Error ? err.name : '';
  const timedOut = name === 'AbortError' || name === 'TimeoutError' || code === 'ETIMEDOUT';
  const reason = timedOut
    ? 'no response in time; the message may have been posted'
    : `connection lost after sending${code ? ` (${code})` : ''}; the message may have been posted: ${message}`;
  return new PublishError({ platform: 'telegram', kind: 'unknown-outcome', reason, cause });
}
