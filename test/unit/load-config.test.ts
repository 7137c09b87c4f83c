import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import {
  isLoopbackHost,
  isLoopbackRedis,
  parseRedisConnectionString,
} from '../../src/config/redis-location.js';
import { ConfigError } from '../../src/errors/input-error.js';
import { sandboxWarning } from '../../src/sandbox/sandbox-warning.js';
import { secretsOf } from '../../src/util/logger.js';

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
        REGWIRE_QUEUE_PREFIX: 'regwire-staging',
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
    expect(config.queuePrefix).toBe('regwire-staging');
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

  describe('the sandbox and the Redis it runs on', () => {
    const remote = { REDIS_URL: 'redis://:prod-redis-password@redis.internal.example:6379/0' };

    it('chooses the sandbox by itself only on a Redis on this machine', () => {
      for (const REDIS_URL of [
        'redis://127.0.0.1:6379',
        'redis://127.8.9.10',
        'redis://localhost:6380/2',
        'rediss://LOCALHOST.',
        'redis://[::1]:6379',
        'redis://[0:0:0:0:0:0:0:1]',
        'redis://[::ffff:127.0.0.1]',
        '/var/run/redis/redis.sock',
      ]) {
        const config = loadConfig({ env: { REDIS_URL } });
        expect(config.sandbox, REDIS_URL).toBe(true);
        expect(config.redisOnLoopback, REDIS_URL).toBe(true);
        expect(sandboxWarning(config)).toBeUndefined();
      }
    });

    it('refuses auto with no credentials on any other Redis, in one line naming what is missing', () => {
      for (const REDIS_URL of [
        remote.REDIS_URL,
        'redis://10.0.0.5',
        'redis://[::2]',
        'redis://128.0.0.1',
        'redis://localhost.example.com',
      ]) {
        const problems = problemsOf({ REDIS_URL });
        expect(problems, REDIS_URL).toHaveLength(1);
        expect(problems[0]).toMatch(
          /^env REGWIRE_SANDBOX: no platform credentials are set \(TELEGRAM_BOT_TOKEN/,
        );
        expect(problems[0]).toContain('REGWIRE_SANDBOX=on');
        expect(problems[0]).not.toContain('\n');
      }
      expect(problemsOf(remote).join('\n')).not.toContain('prod-redis-password');
    });

    it('lets credentials, REGWIRE_SANDBOX=off and =on through, =on with a warning', () => {
      const telegram = { TELEGRAM_BOT_TOKEN: SECRET, TELEGRAM_CHANNEL_ID: '@regwatch' };
      expect(loadConfig({ env: { ...remote, ...telegram } }).sandbox).toBe(false);
      expect(loadConfig({ env: { ...remote, REGWIRE_SANDBOX: 'off' } }).sandbox).toBe(false);
      const forced = loadConfig({ env: { ...remote, REGWIRE_SANDBOX: 'on' } });
      expect(forced.sandbox).toBe(true);
      expect(forced.redisOnLoopback).toBe(false);
      expect(sandboxWarning(forced)).toMatch(/^SANDBOX on a Redis that is not on this machine/);
      // Half-set credentials are reported as such, not as a sandbox problem.
      expect(problemsOf({ ...remote, X_APP_KEY: 'k' }).join('\n')).not.toContain('REGWIRE_SANDBOX');
    });

    it('gives the public dashboard password only to a sandbox on loopback, Redis and web server both', () => {
      expect(loadConfig({ env: {} }).web.adminPassword).toBe('sandbox');
      expect(loadConfig({ env: { HOST: '::1' } }).web.adminPassword).toBe('sandbox');
      expect(loadConfig({ env: { HOST: '0.0.0.0' } }).web.adminPassword).toBeUndefined();
      expect(loadConfig({ env: { ...remote, REGWIRE_SANDBOX: 'on' } }).web.adminPassword).toBeUndefined();
      expect(
        loadConfig({ env: { ...remote, REGWIRE_SANDBOX: 'on', ADMIN_PASSWORD: 'a-real-password' } }).web
          .adminPassword,
      ).toBe('a-real-password');
    });

    it('tells loopback hosts without DNS', () => {
      expect(
        ['127.0.0.1', '[::1]', '::1', 'localhost', 'LocalHost', '[::ffff:7f00:1]'].map(isLoopbackHost),
      ).toEqual([true, true, true, true, true, true]);
      expect(
        ['0.0.0.0', '::', '10.0.0.1', 'example.com', '[::ffff:7f:1]', 'fe80::1%eth0', ''].map(isLoopbackHost),
      ).toEqual([false, false, false, false, false, false, false]);
      expect(isLoopbackRedis('not a url')).toBe(false);
    });
  });

  it('refuses a Redis URL ioredis cannot read, naming REDIS_URL and never printing the password', () => {
    for (const REDIS_URL of ['redis://:pa%ss@redis.example:6379', 'redis://us%er:pw@127.0.0.1']) {
      const problems = problemsOf({ REDIS_URL });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^env REDIS_URL: the (password|user name) has a % that does not start/);
      expect(problems[0]).not.toMatch(/pa%ss|us%er/);
    }
    expect(problemsOf({ REDIS_URL: 'redis://a b' })[0]).toMatch(/^env REDIS_URL: is not a valid URL/);
    // Percent-encoded passwords stay readable.
    expect(loadConfig({ env: { REDIS_URL: 'redis://:pa%25ss@127.0.0.1' } }).redisUrl).toBe(
      'redis://:pa%25ss@127.0.0.1',
    );
  });

  describe('where Redis is', () => {
    const cluster = { REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,[fd00::3]:7002' };

    it('is one server by default, and a REDIS_URL with TLS and a user name as given', () => {
      expect(loadConfig({ env: {} }).redis).toEqual({ kind: 'url', url: 'redis://127.0.0.1:6379' });
      const url = 'rediss://desk:s3cret@redis.example.com:6380/1';
      const config = loadConfig({ env: { REDIS_URL: url, REGWIRE_SANDBOX: 'on' } });
      expect(config.redis).toEqual({ kind: 'url', url });
      expect(config.redisUrl).toBe(url);
    });

    it('reads a cluster from REDIS_CLUSTER_NODES, with credentials and TLS for its nodes', () => {
      const config = loadConfig({
        env: {
          ...cluster,
          REDIS_USERNAME: 'desk',
          REDIS_PASSWORD: 'p@ss:word',
          REDIS_TLS: 'on',
          REGWIRE_SANDBOX: 'on',
        },
      });
      expect(config.redis).toEqual({
        kind: 'cluster',
        nodes: [
          { host: '10.0.0.1', port: 7000 },
          { host: '10.0.0.2', port: 7001 },
          { host: 'fd00::3', port: 7002 },
        ],
        auth: { username: 'desk', password: 'p@ss:word', tls: true },
      });
      expect(config.redisOnLoopback).toBe(false);
      // One string the CLI and logs can carry; it reads back to the same connection.
      expect(config.redisUrl).toBe(
        'redis-cluster://desk:p%40ss%3Aword@10.0.0.1:7000,10.0.0.2:7001,[fd00::3]:7002?tls=1',
      );
      expect(parseRedisConnectionString(config.redisUrl)).toEqual(config.redis);
    });

    it('reads Sentinel from REDIS_SENTINELS and REDIS_SENTINEL_NAME', () => {
      const config = loadConfig({
        env: {
          REDIS_SENTINELS: '127.0.0.1:26379,localhost:26380',
          REDIS_SENTINEL_NAME: 'regwire',
          REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
        },
      });
      expect(config.redis).toEqual({
        kind: 'sentinel',
        sentinels: [
          { host: '127.0.0.1', port: 26379 },
          { host: 'localhost', port: 26380 },
        ],
        name: 'regwire',
        auth: { tls: false },
        sentinelPassword: 'sentinel-secret',
      });
      // Every sentinel on this machine: the sandbox may choose itself.
      expect(config.redisOnLoopback).toBe(true);
      expect(config.sandbox).toBe(true);
      const { sentinelPassword: _, ...carried } = config.redis as Extract<
        typeof config.redis,
        { kind: 'sentinel' }
      >;
      expect(parseRedisConnectionString(config.redisUrl)).toEqual(carried);
    });

    it('waits for a replica after ledger writes with a cluster or sentinels, not with one server, unless told', () => {
      expect(loadConfig({ env: {} }).redisReplicaWait).toEqual({
        replicas: 0,
        timeoutMs: 250,
        onlyWithReplicas: true,
      });
      const sandbox = { REGWIRE_SANDBOX: 'on' };
      expect(loadConfig({ env: { ...cluster, ...sandbox } }).redisReplicaWait).toEqual({
        replicas: 1,
        timeoutMs: 250,
        onlyWithReplicas: true,
      });
      const told = { ...cluster, ...sandbox, REDIS_WAIT_REPLICAS: '0', REDIS_WAIT_TIMEOUT_MS: '50' };
      expect(loadConfig({ env: told }).redisReplicaWait).toEqual({
        replicas: 0,
        timeoutMs: 50,
        onlyWithReplicas: false,
      });
      expect(problemsOf({ REDIS_WAIT_TIMEOUT_MS: '0' })[0]).toMatch(/^env REDIS_WAIT_TIMEOUT_MS:/);
    });

    it('refuses more than one way to reach Redis, in one line naming them', () => {
      const problems = problemsOf({
        REDIS_URL: 'redis://127.0.0.1',
        ...cluster,
        REDIS_SENTINELS: '127.0.0.1:26379',
      });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^env REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS: set only one of/);
    });

    it.each([
      [{ REDIS_CLUSTER_NODES: '10.0.0.1' }, /^env REDIS_CLUSTER_NODES: "10.0.0.1" is not host:port/],
      [
        { REDIS_CLUSTER_NODES: '10.0.0.1:99999' },
        /^env REDIS_CLUSTER_NODES: "10.0.0.1:99999" is not host:port/,
      ],
      [{ REDIS_CLUSTER_NODES: 'fd00::1:7000' }, /write IPv6 addresses in brackets/],
      [{ REDIS_SENTINELS: '10.0.0.1:26379' }, /^env REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/],
      [{ REDIS_SENTINEL_NAME: 'regwire' }, /^env REDIS_SENTINEL_NAME: only with REDIS_SENTINELS/],
      [
        { REDIS_PASSWORD: 'x' },
        /^env REDIS_PASSWORD: only with REDIS_CLUSTER_NODES or REDIS_SENTINELS; a REDIS_URL carries its own/,
      ],
      [{ REDIS_TLS: 'on' }, /^env REDIS_TLS: only with .*rediss:\/\//],
      [{ REDIS_TLS: 'yes', ...cluster }, /^env REDIS_TLS:/],
      [
        { ...cluster, REDIS_SENTINEL_PASSWORD: 'x' },
        /^env REDIS_SENTINEL_PASSWORD: only with REDIS_SENTINELS/,
      ],
      [{ REGWIRE_QUEUE_PREFIX: '{regwire}' }, /^env REGWIRE_QUEUE_PREFIX: .*hash tags/],
    ])('refuses %o', (env, problem) => {
      expect(problemsOf({ REGWIRE_SANDBOX: 'on', ...env }).join('\n')).toMatch(problem);
    });

    it('never prints a cluster or sentinel password, and the logs scrub them', () => {
      const env = { ...cluster, REDIS_PASSWORD: 'cluster-secret-pw', REDIS_SENTINEL_PASSWORD: 'x' };
      expect(problemsOf(env).join('\n')).not.toContain('cluster-secret-pw');
      const config = loadConfig({
        env: { ...cluster, REDIS_PASSWORD: 'cluster secret/pw', REGWIRE_SANDBOX: 'on' },
      });
      expect(secretsOf(config)).toEqual(
        expect.arrayContaining(['cluster secret/pw', 'cluster%20secret%2Fpw']),
      );
      const sentinel = loadConfig({
        env: {
          REDIS_SENTINELS: '127.0.0.1:26379',
          REDIS_SENTINEL_NAME: 'm',
          REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
        },
      });
      expect(secretsOf(sentinel)).toContain('sentinel-pw');
    });

    it('refuses a cluster or sentinels elsewhere for an automatic sandbox, as it does a remote REDIS_URL', () => {
      expect(problemsOf(cluster).join('\n')).toMatch(/^env REGWIRE_SANDBOX: .*Redis is not on this machine/m);
    });
  });
});
