import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import type { z } from 'zod';
import { ConfigError } from '../errors/input-error.js';
import { renderOptionsSchema } from '../format/render-options.js';
import { resolveSources, sourcesFileSchema } from '../intake/sources-schema.js';
import type { Config, DestinationConfig, RedisConnection, TelegramSettings, XSettings } from './config.js';
import { type Env, envSchema } from './env-schema.js';
import { fileConfigSchema } from './file-schema.js';
import {
  isLoopbackHost,
  isLoopbackRedis,
  parseRedisNodes,
  type RedisNode,
  redisConnectionString,
} from './redis-location.js';

/** Where regwire looks for `regwire.json` and `format.json` unless `REGWIRE_CONFIG_DIR` says otherwise. */
export const DEFAULT_CONFIG_DIR =
  [
    // From src/config/ when run with tsx, from dist/src/config/ when built.
    new URL('../../config/', import.meta.url),
    new URL('../../../config/', import.meta.url),
  ]
    .map((u) => fileURLToPath(u))
    .find((dir) => existsSync(path.join(dir, 'regwire.json'))) ?? path.resolve('config');

/** Where {@link loadConfig} reads from: an environment (default `process.env` plus `.env`) and the config folder. */
export interface LoadConfigOptions {
  /** The environment to read; defaults to `process.env` merged over `.env` in the working directory. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Overrides `REGWIRE_CONFIG_DIR` and the default `config/` folder. */
  readonly configDir?: string;
}

/**
 * Reads and validates the whole configuration. Throws {@link ConfigError} listing every problem,
 * each naming its key; secret values are never included.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const rawEnv = options.env ?? readProcessEnv();
  const problems: string[] = [];

  const envResult = envSchema.safeParse(rawEnv);
  if (!envResult.success) problems.push(...describeIssues(envResult.error, 'env '));
  const env = envResult.success ? envResult.data : undefined;

  const configDir = path.resolve(options.configDir ?? env?.REGWIRE_CONFIG_DIR ?? DEFAULT_CONFIG_DIR);
  const fileConfig = parseJsonFile(configDir, 'regwire.json', fileConfigSchema, problems);
  const format = parseJsonFile(configDir, 'format.json', renderOptionsSchema, problems);
  const sourcesFile = parseJsonFile(configDir, 'sources.json', sourcesFileSchema, problems);

  let telegram: TelegramSettings | undefined;
  let x: XSettings | undefined;
  if (env) {
    telegram = telegramSettings(env, problems);
    x = xSettings(env, problems);
  }
  if (env?.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
    problems.push(
      'env TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL (Telegram sends it back on every update)',
    );
  }
  const redis = env ? redisConnection(env, problems) : undefined;
  const redisOnLoopback = redis ? isLoopbackConnection(redis) : false;
  if (redis && env?.REGWIRE_SANDBOX === 'auto' && !anyCredential(env) && !redisOnLoopback) {
    // The sandbox drains the queues into in-process stand-ins and marks those stories published: on a
    // shared Redis that is production data. Only on this machine's own Redis may it be chosen silently.
    problems.push(
      'env REGWIRE_SANDBOX: no platform credentials are set (TELEGRAM_BOT_TOKEN + TELEGRAM_CHANNEL_ID, or X_APP_KEY + X_APP_SECRET + X_ACCESS_TOKEN + X_ACCESS_SECRET), and Redis is not on this machine, so the sandbox is not started on it; set the credentials, or REGWIRE_SANDBOX=on to run the sandbox against that Redis anyway',
    );
  }
  if (problems.length > 0 || !env || !redis || !fileConfig || !format || !sourcesFile)
    throw new ConfigError(problems);

  const sandbox = env.REGWIRE_SANDBOX === 'on' || (env.REGWIRE_SANDBOX === 'auto' && !telegram && !x);
  // The sandbox's password is public (in the README): only for a sandbox nobody else can reach or share.
  const sandboxPassword = sandbox && redisOnLoopback && isLoopbackHost(env.HOST) ? 'sandbox' : undefined;
  const destinations: DestinationConfig[] = Object.entries(fileConfig.destinations)
    .map(([id, d]) => ({ id, platform: d.platform, enabled: d.enabled, schedule: d.schedule, post: d.post }))
    .filter((d) => d.enabled && (sandbox || (d.platform === 'telegram' ? telegram : x) !== undefined));

  return {
    redis,
    redisUrl: redisConnectionString(redis),
    redisReplicaWait: {
      replicas: env.REDIS_WAIT_REPLICAS ?? (redis.kind === 'url' ? 0 : 1),
      timeoutMs: env.REDIS_WAIT_TIMEOUT_MS,
      onlyWithReplicas: env.REDIS_WAIT_REPLICAS === undefined,
    },
    redisOnLoopback,
    queuePrefix: env.REGWIRE_QUEUE_PREFIX,
    sandbox,
    web: {
      host: env.HOST,
      port: env.PORT,
      adminPassword: env.ADMIN_PASSWORD ?? sandboxPassword,
    },
    telegram: sandbox ? undefined : telegram,
    x: sandbox ? undefined : x,
    editorIds: env.EDITOR_IDS,
    bot: {
      editorsChatId:
        env.TELEGRAM_EDITORS_CHAT_ID === undefined ? undefined : Number(env.TELEGRAM_EDITORS_CHAT_ID),
      webhook:
        env.TELEGRAM_WEBHOOK_URL && env.TELEGRAM_WEBHOOK_SECRET
          ? {
              url: env.TELEGRAM_WEBHOOK_URL,
              secretToken: env.TELEGRAM_WEBHOOK_SECRET,
              port: env.TELEGRAM_WEBHOOK_PORT,
            }
          : undefined,
    },
    logLevel: env.LOG_LEVEL,
    delivery: fileConfig.delivery,
    digest: fileConfig.digest,
    approval: fileConfig.approval,
    amendments: fileConfig.amendments,
    xBilling: fileConfig.x,
    destinations,
    format,
    sources: resolveSources(sourcesFile),
    fetchPrivateAddresses:
      env.REGWIRE_FETCH_PRIVATE_ADDRESSES === 'allow' ||
      (env.REGWIRE_FETCH_PRIVATE_ADDRESSES === 'auto' && sandbox),
    configDir,
  };
}

function readProcessEnv(): Record<string, string | undefined> {
  const fromFile: Record<string, string> = {};
  const envFile = path.resolve('.env');
  if (existsSync(envFile)) Object.assign(fromFile, dotenv.parse(readFileSync(envFile)));
  // The real environment wins over .env, as dotenv does by default.
  return { ...fromFile, ...process.env };
}

function telegramSettings(env: Env, problems: string[]): TelegramSettings | undefined {
  const token = env.TELEGRAM_BOT_TOKEN;
  const channelId = env.TELEGRAM_CHANNEL_ID;
  if (!token && !channelId) return undefined;
  if (!token) {
    problems.push('env TELEGRAM_BOT_TOKEN: required when TELEGRAM_CHANNEL_ID is set');
    return undefined;
  }
  if (!channelId) {
    problems.push('env TELEGRAM_CHANNEL_ID: required when TELEGRAM_BOT_TOKEN is set (@channelname or -100…)');
    return undefined;
  }
  const apiRoot = env.TELEGRAM_API_ROOT.endsWith('/') ? env.TELEGRAM_API_ROOT : `${env.TELEGRAM_API_ROOT}/`;
  return { token, channelId, apiRoot };
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Exactly one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS (default: REDIS_URL's default). */
function redisConnection(env: Env, problems: string[]): RedisConnection | undefined {
  const given = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter(
    (k) => env[k] !== undefined,
  );
  if (given.length > 1) {
    problems.push(
      `env ${given.join(', ')}: set only one of REDIS_URL (one server), REDIS_CLUSTER_NODES (Redis Cluster) or REDIS_SENTINELS (with REDIS_SENTINEL_NAME)`,
    );
    return undefined;
  }
  const separate = (['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_SENTINEL_PASSWORD'] as const).filter(
    (k) => env[k] !== undefined,
  );
  const kind = given[0] ?? 'REDIS_URL';
  if (kind === 'REDIS_URL') {
    for (const k of separate) {
      problems.push(
        `env ${k}: only with REDIS_CLUSTER_NODES or REDIS_SENTINELS; a REDIS_URL carries its own (redis://user:password@host)`,
      );
    }
    if (env.REDIS_TLS === 'on')
      problems.push(
        'env REDIS_TLS: only with REDIS_CLUSTER_NODES or REDIS_SENTINELS; for one server use rediss://',
      );
    if (env.REDIS_SENTINEL_NAME !== undefined)
      problems.push('env REDIS_SENTINEL_NAME: only with REDIS_SENTINELS');
    return separate.length > 0 || env.REDIS_TLS === 'on' || env.REDIS_SENTINEL_NAME !== undefined
      ? undefined
      : { kind: 'url', url: env.REDIS_URL ?? DEFAULT_REDIS_URL };
  }
  const auth = {
    tls: env.REDIS_TLS === 'on',
    ...(env.REDIS_USERNAME !== undefined ? { username: env.REDIS_USERNAME } : {}),
    ...(env.REDIS_PASSWORD !== undefined ? { password: env.REDIS_PASSWORD } : {}),
  };
  const nodes = parseRedisNodes(env[kind] ?? '');
  // The schema already reported a malformed list.
  if (typeof nodes === 'string') return undefined;
  if (kind === 'REDIS_CLUSTER_NODES') {
    if (env.REDIS_SENTINEL_NAME !== undefined)
      problems.push('env REDIS_SENTINEL_NAME: only with REDIS_SENTINELS');
    if (env.REDIS_SENTINEL_PASSWORD !== undefined)
      problems.push('env REDIS_SENTINEL_PASSWORD: only with REDIS_SENTINELS');
    return { kind: 'cluster', nodes, auth };
  }
  if (env.REDIS_SENTINEL_NAME === undefined) {
    problems.push('env REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the name the sentinels monitor)');
    return undefined;
  }
  return {
    kind: 'sentinel',
    sentinels: nodes,
    name: env.REDIS_SENTINEL_NAME,
    auth,
    ...(env.REDIS_SENTINEL_PASSWORD !== undefined ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
  };
}

function isLoopbackConnection(redis: RedisConnection): boolean {
  if (redis.kind === 'url') return isLoopbackRedis(redis.url);
  const nodes: readonly RedisNode[] = redis.kind === 'cluster' ? redis.nodes : redis.sentinels;
  return nodes.every((n) => isLoopbackHost(n.host));
}

const X_KEYS = ['X_APP_KEY', 'X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'] as const;

// Any platform credential at all, complete or not (an incomplete one is reported on its own).
function anyCredential(env: Env): boolean {
  return (
    env.TELEGRAM_BOT_TOKEN !== undefined ||
    env.TELEGRAM_CHANNEL_ID !== undefined ||
    X_KEYS.some((k) => env[k] !== undefined)
  );
}

function xSettings(env: Env, problems: string[]): XSettings | undefined {
  const present = X_KEYS.filter((k) => env[k] !== undefined);
  if (present.length === 0) return undefined;
  const missing = X_KEYS.filter((k) => env[k] === undefined);
  if (missing.length > 0) {
    for (const k of missing)
      problems.push(`env ${k}: required when any X credential is set (${present.join(', ')})`);
    return undefined;
  }
  return {
    appKey: env.X_APP_KEY ?? '',
    appSecret: env.X_APP_SECRET ?? '',
    accessToken: env.X_ACCESS_TOKEN ?? '',
    accessSecret: env.X_ACCESS_SECRET ?? '',
    apiRoot: env.X_API_ROOT.replace(/\/+$/, ''),
  };
}

function parseJsonFile<S extends z.ZodType>(
  dir: string,
  name: string,
  schema: S,
  problems: string[],
): z.infer<S> | undefined {
  const file = path.join(dir, name);
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${name}: not valid JSON (${(err as Error).message})`);
      return undefined;
    }
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    problems.push(...describeIssues(result.error, `${name} `));
    return undefined;
  }
  return result.data;
}

/** One line per issue, naming the key path; zod messages describe the rule, never the value. */
function describeIssues(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${prefix}${key}: ${issue.message}`;
  });
}
