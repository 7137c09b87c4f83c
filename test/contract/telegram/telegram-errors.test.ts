import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { scrubToken, toPublishError } from '../../../src/adapters/telegram/index.js';

const RAW = 'request to https://api.telegram.org/bot123456789:AAE-secret_Value42/sendMessage failed';

function networkError(code: string, message = `${RAW}, reason: ${code}`): Error {
  return Object.assign(new Error(message), { name: 'FetchError', code, errno: code, type: 'system' });
}

describe('toPublishError: telegraf errors to retry decisions', () => {
  it.each([502, 503, 504, 500])('%i → unknown-outcome: the message may have been posted', (status) => {
    const error = toPublishError(new TelegramError({ error_code: status, description: 'Bad Gateway' }));
    expect(error).toMatchObject({ kind: 'unknown-outcome', status, platform: 'telegram' });
    expect(error.reason).toContain('may have been posted');
    expect(error.retryable).toBe(false);
  });

  it.each([
    [
      { error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
      'rate-limited',
    ],
    [{ error_code: 401, description: 'Unauthorized' }, 'auth'],
    [{ error_code: 403, description: 'Forbidden: bot was kicked from the channel chat' }, 'auth'],
    [{ error_code: 403, description: 'Forbidden: bot is not a member of the channel chat' }, 'auth'],
    [{ error_code: 400, description: 'Bad Request: chat not found' }, 'permanent'],
  ] as const)('%o → %s', (response, kind) => {
    const error = toPublishError(new TelegramError({ ...response }));
    expect(error).toMatchObject({
      kind,
      status: response.error_code,
      reason: response.description,
      platform: 'telegram',
    });
    if (kind === 'rate-limited') expect(error.retryAfterMs).toBe(3_000);
  });

  it.each([
    ['ECONNREFUSED', 'transient'],
    ['ENOTFOUND', 'transient'],
    ['ECONNRESET', 'unknown-outcome'],
    ['ETIMEDOUT', 'unknown-outcome'],
    ['EPIPE', 'unknown-outcome'],
  ])('network %s → %s, without the token', (code, kind) => {
    const error = toPublishError(networkError(code));
    expect(error.kind).toBe(kind);
    expect(`${error.message} ${error.reason} ${String(error.cause)}`).not.toContain('AAE-secret_Value42');
  });

  it('an abort or an unknown failure is an unknown outcome', () => {
    expect(
      toPublishError(Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' })).kind,
    ).toBe('unknown-outcome');
    expect(toPublishError('weird').kind).toBe('unknown-outcome');
  });

  it('scrubs bot tokens from any text', () => {
    expect(scrubToken(RAW)).toBe('request to https://api.telegram.org/bot[REDACTED]/sendMessage failed');
    expect(scrubToken('token 123456:sandbox-token leaked')).toBe('token [REDACTED] leaked');
  });
});
