import { z } from 'zod';
import { parseRedisNodes, redisUrlProblem } from './redis-location.js';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const nodeList = optionalString.superRefine((v, ctx) => {
  const nodes = v === undefined ? [] : parseRedisNodes(v);
  if (typeof nodes === 'string') ctx.addIssue({ code: 'custom', message: nodes });
});

/**
 * The environment variables regwire reads (after `.env` is merged under the real environment).
 * Secrets are validated by shape only; their values never appear in an error message.
 */
export const envSchema = z.object({
  /** One Redis server (default `redis://127.0.0.1:6379` when no cluster or sentinels are set either). */
  REDIS_URL: optionalString.superRefine((v, ctx) => {
    const problem = v === undefined ? undefined : redisUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Redis Cluster: `host:port,host:port,…` (any of its nodes; the rest are discovered). */
  REDIS_CLUSTER_NODES: nodeList,
  /** Sentinels watching the primary named `REDIS_SENTINEL_NAME`: `host:port,host:port,…`. */
  REDIS_SENTINELS: nodeList,
  REDIS_SENTINEL_NAME: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_.-]{1,128}$/.test(v),
    'must be the name the sentinels monitor (letters, digits, _ . -)',
  ),
  /** Credentials and TLS of the data nodes with a cluster or sentinels (a REDIS_URL carries its own). */
  REDIS_USERNAME: optionalString,
  REDIS_PASSWORD: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  REDIS_TLS: z.enum(['on', 'off']).default('off'),
  /**
   * Replicas that must have each ledger write before the send it guards (`WAIT`); default 1 with a
   * cluster or sentinels, 0 with REDIS_URL.
   */
  REDIS_WAIT_REPLICAS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().int().min(0).max(5).optional(),
  ),
  REDIS_WAIT_TIMEOUT_MS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().int().min(1).max(10_000).default(250),
  ),
  REGWIRE_QUEUE_PREFIX: z
    .string()
    .default('regwire')
    .refine(
      (v) => /^[A-Za-z0-9_.-]{1,64}$/.test(v),
      'letters, digits, _ - . only, at most 64 (no { }: regwire puts the Redis Cluster hash tags in its keys itself)',
    ),
  TELEGRAM_BOT_TOKEN: optionalString.refine(
    (v) => v === undefined || /^\d{3,}:[A-Za-z0-9_-]{5,}$/.test(v),
    'must look like 123456:ABC-DEF… (the token @BotFather gave)',
  ),
  TELEGRAM_CHANNEL_ID: optionalString.refine(
    (v) => v === undefined || /^@[A-Za-z][A-Za-z0-9_]{3,}$|^-100\d{5,}$/.test(v),
    'must be @channelname or a numeric id starting with -100',
  ),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org/'),
  TELEGRAM_EDITORS_CHAT_ID: optionalString.refine(
    (v) => v === undefined || /^-?\d{1,20}$/.test(v),
    'must be a numeric chat id, e.g. -1001234567890',
  ),
  TELEGRAM_WEBHOOK_URL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.url({ protocol: /^https?$/ }).optional(),
  ),
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v),
    'must be 1-256 characters of A-Z a-z 0-9 _ -',
  ),
  TELEGRAM_WEBHOOK_PORT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().int().min(1).max(65535).default(8443),
  ),
  X_APP_KEY: optionalString,
  X_APP_SECRET: optionalString,
  X_ACCESS_TOKEN: optionalString,
  X_ACCESS_SECRET: optionalString,
  X_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.x.com'),
  EDITOR_IDS: z
    .string()
    .default('')
    .refine(
      (v) => v.trim() === '' || v.split(',').every((s) => /^\d{1,20}$/.test(s.trim())),
      'must be comma-separated numeric Telegram user ids, e.g. 1234567,7654321',
    )
    .transform((v) =>
      v.trim() === ''
        ? []
        : v
            .split(',')
            .map((s) => Number(s.trim()))
            .filter((n) => Number.isSafeInteger(n)),
    ),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  ADMIN_PASSWORD: optionalString.refine(
    (v) => v === undefined || v.length >= 8,
    'must be at least 8 characters (it protects the queue dashboard)',
  ),
  REGWIRE_SANDBOX: z.enum(['auto', 'on', 'off']).default('auto'),
  REGWIRE_FETCH_PRIVATE_ADDRESSES: z.enum(['auto', 'allow', 'block']).default('auto'),
  REGWIRE_CONFIG_DIR: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

/** Names of variables whose values must never be printed. */
export const SECRET_ENV_KEYS = [
  'TELEGRAM_BOT_TOKEN',
  'X_APP_KEY',
  'X_APP_SECRET',
  'X_ACCESS_TOKEN',
  'X_ACCESS_SECRET',
  'REDIS_URL',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'ADMIN_PASSWORD',
  'TELEGRAM_WEBHOOK_SECRET',
] as const;
