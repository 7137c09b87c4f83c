import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger, secretsOf } from '../../src/util/logger.js';

function capture(secrets: readonly (string | undefined)[]) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', sink, secrets), lines };
}

describe('logger redaction', () => {
  it('scrubs the webhook secret and the Redis password taken from the config', () => {
    const config = loadConfig({
      env: {
        TELEGRAM_BOT_TOKEN: '123456:AAH-a-long-enough-token',
        TELEGRAM_CHANNEL_ID: '@regwatch',
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook',
        TELEGRAM_WEBHOOK_SECRET: 'hook-secret-42',
        REDIS_URL: 'redis://:r%40dis-pw@127.0.0.1:6379',
      },
    });
    const { logger, lines } = capture(secretsOf(config));
    logger.info({ config }, 'config loaded');
    logger.warn('telegram sent X-Telegram-Bot-Api-Secret-Token hook-secret-42; redis r@dis-pw / r%40dis-pw');
    const text = lines.join('\n');
    expect(text).not.toContain('hook-secret-42');
    expect(text).not.toContain('r@dis-pw');
    expect(text).not.toContain('r%40dis-pw');
    expect(text).not.toContain('AAH-a-long-enough-token');
  });

  it('scrubs a short secret (3-5 characters) as a whole token, not inside words', () => {
    const { logger, lines } = capture(['k9x']);
    logger.info(
      { key: 'k9x', url: 'redis://:k9x@10.0.0.1' },
      'key=k9x "k9x" k9xk9x ak9x k9x-2 breaking: k9x',
    );
    const line = lines[0] ?? '';
    // Kept: both in k9xk9x, ak9x, k9x-2.
    expect(line.match(/k9x/g)).toEqual(['k9x', 'k9x', 'k9x', 'k9x']);
    expect(line).toContain('"key":"[redacted]"');
    expect(line).toContain('redis://:[redacted]@10.0.0.1');
    expect(line).toContain('key=[redacted] \\"[redacted]\\"');
    expect(line).toContain('breaking: [redacted]');
  });

  it('scrubs a 1-2 character secret only as a whole value or a URL password, so words stay', () => {
    const { logger, lines } = capture(['ab', 'I']);
    logger.info(
      { secret: 'ab', who: 'I', url: 'redis://user:ab@redis.example' },
      'I queued a story about ab',
    );
    const line = lines[0] ?? '';
    expect(line).toContain('"secret":"[redacted]"');
    expect(line).toContain('"who":"[redacted]"');
    expect(line).toContain('redis://user:[redacted]@redis.example');
    expect(line).toContain('"msg":"I queued a story about ab"');
  });

  it('never treats an empty string as a secret, and keeps long secrets scrubbed anywhere', () => {
    const { logger, lines } = capture(['', undefined, 'longsecret']);
    logger.info('prefix-longsecret-suffix and plain words');
    expect(lines[0]).toContain('prefix-[redacted]-suffix and plain words');
  });

  it('does not take seconds on a long line full of a short secret', () => {
    const { logger, lines } = capture(['a', 'abc']);
    const started = performance.now();
    logger.info(`${':a'.repeat(100_000)} ://${'a'.repeat(100_000)} redis://u:a@h ${'abc '.repeat(50_000)}`);
    // A guard against blow-ups (seconds to minutes before), not a speed goal: wide, so load never decides.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(lines[0]).toContain(':[redacted]@');
  });

  it('scrubs a dashboard password set in the sandbox, but not the public default', () => {
    expect(secretsOf({ sandbox: true, web: { adminPassword: 'sandbox' } })).toEqual([]);
    expect(secretsOf({ sandbox: true, web: { adminPassword: 'operator-chosen' } })).toEqual([
      'operator-chosen',
    ]);
  });
});
