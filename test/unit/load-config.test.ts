import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors/input-error.js';

const SECRET = '987654:AAH-very-secret-token-value';

function problemsOf(env: Record<string, string>, configDir?: string): string[] {
  try {
    loadConfig({ env, ...(configDir ? { configDir } : {}) });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

function tempConfigDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('loadConfig', () => {
  it('starts in sandbox mode with both destinations when no credentials are set', () => {
    const config = loadConfig({ env: {} });
    expect(config.sandbox).toBe(true);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.queuePrefix).toBe('regwire');
    expect(config.web).toEqual({ host: '127.0.0.1', port: 8080, adminPassword: 'sandbox' });
    expect(config.destinations.map((d) => d.id)).toEqual(['telegram', 'x']);
  });

  it('publishes only to configured platforms outside the sandbox', () => {
    const config = loadConfig({
      env: {
        TELEGRAM_BOT_TOKEN: SECRET,
        TELEGRAM_CHANNEL_ID: '@regwatch',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9/bot-api',
      },
    });
    expect(config.sandbox).toBe(false);
    expect(config.destinations.map((d) => d.id)).toEqual(['telegram']);
    expect(config.telegram).toEqual({
      token: SECRET,
      channelId: '@regwatch',
      apiRoot: 'http://127.0.0.1:9/bot-api/',
    });
    expect(config.x).toBeUndefined();
  });

  it('fetches links into private networks only in the sandbox, unless told otherwise', () => {
    const telegram = { TELEGRAM_BOT_TOKEN: SECRET, TELEGRAM_CHANNEL_ID: '@regwatch' };
    expect(loadConfig({ env: {} }).fetchPrivateAddresses).toBe(true);
    expect(loadConfig({ env: telegram }).fetchPrivateAddresses).toBe(false);
    expect(
      loadConfig({ env: { ...telegram, REGWIRE_FETCH_PRIVATE_ADDRESSES: 'allow' } }).fetchPrivateAddresses,
    ).toBe(true);
    expect(loadConfig({ env: { REGWIRE_FETCH_PRIVATE_ADDRESSES: 'block' } }).fetchPrivateAddresses).toBe(
      false,
    );
    expect(() => loadConfig({ env: { REGWIRE_FETCH_PRIVATE_ADDRESSES: 'yes' } })).toThrow(
      /REGWIRE_FETCH_PRIVATE_ADDRESSES/,
    );
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      env: {
        REDIS_URL: 'redis://10.1.2.3:6380/2',
        REGWIRE_QUEUE_PREFIX: '{regwire}',
        X_APP_KEY: 'k',
        X_APP_SECRET: 's',
        X_ACCESS_TOKEN: 't',
        X_ACCESS_SECRET: 'a',
        X_API_ROOT: 'http://127.0.0.1:7777/',
        EDITOR_IDS: '12345, 678',
        PORT: '9090',
      },
    });
    expect(config.redisUrl).toBe('redis://10.1.2.3:6380/2');
    expect(config.queuePrefix).toBe('{regwire}');
    expect(config.x?.apiRoot).toBe('http://127.0.0.1:7777');
    expect(config.editorIds).toEqual([12345, 678]);
    expect(config.web.port).toBe(9090);
    expect(config.destinations.map((d) => d.id)).toEqual(['x']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'env PORT:'],
    [{ PORT: '70000' }, 'env PORT:'],
    [{ REDIS_URL: 'http://localhost' }, 'env REDIS_URL: must start with redis://'],
    [
      { TELEGRAM_BOT_TOKEN: 'nonsense', TELEGRAM_CHANNEL_ID: '@regwatch' },
      'env TELEGRAM_BOT_TOKEN: must look like',
    ],
    [
      { TELEGRAM_BOT_TOKEN: SECRET, TELEGRAM_CHANNEL_ID: 'regwatch' },
      'env TELEGRAM_CHANNEL_ID: must be @channelname',
    ],
    [{ TELEGRAM_BOT_TOKEN: SECRET }, 'env TELEGRAM_CHANNEL_ID: required'],
    [{ TELEGRAM_CHANNEL_ID: '@regwatch' }, 'env TELEGRAM_BOT_TOKEN: required'],
    [{ X_APP_KEY: 'k' }, 'env X_APP_SECRET: required'],
    [{ EDITOR_IDS: '12,abc' }, 'env EDITOR_IDS: must be comma-separated'],
    [{ TELEGRAM_API_ROOT: 'ftp://x' }, 'env TELEGRAM_API_ROOT:'],
    [{ REGWIRE_SANDBOX: 'maybe' }, 'env REGWIRE_SANDBOX:'],
    [{ REGWIRE_QUEUE_PREFIX: 'a b' }, 'env REGWIRE_QUEUE_PREFIX:'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook' }, 'env TELEGRAM_WEBHOOK_SECRET: required'],
    [
      { TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook', TELEGRAM_WEBHOOK_SECRET: 'has space' },
      'env TELEGRAM_WEBHOOK_SECRET:',
    ],
    [{ TELEGRAM_EDITORS_CHAT_ID: 'editors' }, 'env TELEGRAM_EDITORS_CHAT_ID:'],
    [{ ADMIN_PASSWORD: 'short' }, 'env ADMIN_PASSWORD: must be at least 8'],
  ])('refuses %o naming the key', (env, expected) => {
    const problems = problemsOf(env);
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });

  it('accepts .env.example as it is (empty values mean unset): the sandbox', () => {
    const example = dotenv.parse(readFileSync(new URL('../../.env.example', import.meta.url)));
    const config = loadConfig({ env: example });
    expect(config.sandbox).toBe(true);
    expect(config.bot.webhook).toBeUndefined();
    expect(config.web.port).toBe(8080);
  });

  it('never prints a secret value in its errors', () => {
    const problems = problemsOf({
      TELEGRAM_BOT_TOKEN: `${SECRET} with spaces`,
      X_APP_KEY: 'x-secret-app-key',
    });
    const text = problems.join('\n');
    expect(text).toContain('TELEGRAM_BOT_TOKEN');
    expect(text).not.toContain('very-secret');
    expect(text).not.toContain('x-secret-app-key');
  });

  it('names the file and key of a bad config file', () => {
    const dir = tempConfigDir({ 'regwire.json': JSON.stringify({ delivery: { attempts: 0 } }) });
    expect(problemsOf({}, dir)).toContainEqual(expect.stringMatching(/^regwire\.json delivery\.attempts: /));
    const broken = tempConfigDir({ 'regwire.json': '{ nope' });
    expect(problemsOf({}, broken)[0]).toMatch(/^regwire\.json: not valid JSON/);
    const unknown = tempConfigDir({ 'regwire.json': JSON.stringify({ destinatons: {} }) });
    expect(problemsOf({}, unknown)[0]).toMatch(/^regwire\.json \(root\): Unrecognized key.*destinatons/);
  });

  it('reads the shutdown grace (10 s unless set) and refuses a negative one', () => {
    expect(loadConfig({ env: {} }).delivery.shutdownGraceMs).toBe(10_000);
    const dir = tempConfigDir({ 'regwire.json': JSON.stringify({ delivery: { shutdownGraceMs: 25_000 } }) });
    expect(loadConfig({ env: {}, configDir: dir }).delivery.shutdownGraceMs).toBe(25_000);
    const bad = tempConfigDir({ 'regwire.json': JSON.stringify({ delivery: { shutdownGraceMs: -1 } }) });
    expect(problemsOf({}, bad)).toContainEqual(
      expect.stringMatching(/^regwire\.json delivery\.shutdownGraceMs: /),
    );
  });

  it('leaves disabled destinations out', () => {
    const dir = tempConfigDir({
      'regwire.json': JSON.stringify({
        destinations: { telegram: { platform: 'telegram', enabled: false }, x: { platform: 'x' } },
      }),
    });
    expect(loadConfig({ env: {}, configDir: dir }).destinations.map((d) => d.id)).toEqual(['x']);
  });
});
