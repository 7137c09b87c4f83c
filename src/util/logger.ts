import { type Logger as PinoLogger, pino } from 'pino';
import type { RedisConnection } from '../config/config.js';

/** The structured logger every component takes. */
export type Logger = PinoLogger;

// Paths pino censors wherever they appear in a logged object (a first line of defence; the value scrub
// below catches secrets at any depth and inside messages).
const REDACT = [
  'token',
  '*.token',
  '*.*.token',
  'appSecret',
  '*.appSecret',
  '*.*.appSecret',
  'accessSecret',
  '*.accessSecret',
  '*.*.accessSecret',
  'accessToken',
  '*.accessToken',
  '*.*.accessToken',
  'appKey',
  '*.appKey',
  '*.*.appKey',
  'password',
  '*.password',
  'secretToken',
  '*.secretToken',
  '*.*.secretToken',
  '*.*.adminPassword',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

/** Secrets this long or longer are scrubbed wherever they appear, even inside a longer word. */
const ANYWHERE_MIN_LENGTH = 6;
/** Secrets this long up to {@link ANYWHERE_MIN_LENGTH} are scrubbed as whole tokens. */
const TOKEN_MIN_LENGTH = 3;

/**
 * Creates the process logger: one JSON line per event on stdout (or `destination`). Every non-empty value
 * in `secrets` is replaced by `[redacted]` in each line before it is written, by its length:
 * - 6 characters or more: wherever it appears, even inside a longer word.
 * - 3 to 5: as a whole token, where no letter, digit, `_` or `-` touches it (`:abc@`, `"abc"`, `key=abc`);
 *   scrubbing such a value inside words would make ordinary words vanish, and a word equal to the secret
 *   is redacted (the price of a short secret).
 * - 1 or 2: only where it stands alone as a whole JSON string value (`"ab"`) or as the password of a URL
 *   (`://user:ab@`): in running text such a value is an ordinary word ("a", "I", "ok", "42") that cannot be
 *   told from the secret, and a secret that short can be guessed in a few thousand tries anyway.
 * The empty string is never a secret.
 */
export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const scrubbers = [...new Set(secrets)]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    // Longest first: a secret containing a shorter one is scrubbed whole.
    .sort((a, b) => b.length - a.length)
    .map(scrubberFor);
  const options = {
    level,
    base: { app: 'regwire' },
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(scrubbers.length > 0
      ? { hooks: { streamWrite: (line: string) => scrubbers.reduce((out, scrub) => scrub(out), line) } }
      : {}),
  };
  return destination ? pino(options, destination as never) : pino(options);
}

const REDACTED = '[redacted]';

function scrubberFor(secret: string): (line: string) => string {
  // The JSON-escaped form too: a secret with a quote or backslash is written escaped.
  const forms = [...new Set([secret, JSON.stringify(secret).slice(1, -1)])];
  if (secret.length >= ANYWHERE_MIN_LENGTH) {
    return (line) =>
      forms.reduce((out, form) => (out.includes(form) ? out.split(form).join(REDACTED) : out), line);
  }
  const secretForms = `(?:${forms.map(escapeRegExp).join('|')})`;
  const pattern =
    secret.length >= TOKEN_MIN_LENGTH
      ? new RegExp(String.raw`(?<![\w-])${secretForms}(?![\w-])`, 'g')
      : // A whole JSON string value, or a URL's password (the user name bounded: lookbehinds run at every offset).
        new RegExp(
          String.raw`(?<=(?<!\\)")${secretForms}(?=")|(?<=:\/\/[^\/\s"@:]{0,64}:)${secretForms}(?=@)`,
          'g',
        );
  return (line) => (forms.some((form) => line.includes(form)) ? line.replace(pattern, REDACTED) : line);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The secret values of a config, for {@link createLogger}. */
export function secretsOf(config: {
  readonly telegram?: { readonly token: string } | undefined;
  readonly x?:
    | {
        readonly appKey: string;
        readonly appSecret: string;
        readonly accessToken: string;
        readonly accessSecret: string;
      }
    | undefined;
  readonly web?: { readonly adminPassword?: string | undefined };
  readonly bot?: { readonly webhook?: { readonly secretToken: string } | undefined };
  readonly redisUrl?: string;
  /** A cluster's or Sentinel's passwords (a REDIS_URL's is read from `redisUrl`). */
  readonly redis?: RedisConnection;
  readonly sandbox?: boolean;
}): string[] {
  const out: string[] = [];
  if (config.telegram) out.push(config.telegram.token);
  if (config.x) out.push(config.x.appKey, config.x.appSecret, config.x.accessToken, config.x.accessSecret);
  if (config.bot?.webhook) out.push(config.bot.webhook.secretToken);
  // The sandbox's default dashboard password is public (documented), not a secret to scrub; one set with
  // ADMIN_PASSWORD is, sandbox or not.
  const admin = config.web?.adminPassword;
  if (admin && !(config.sandbox && admin === 'sandbox')) out.push(admin);
  const redisPassword = config.redisUrl ? /\/\/[^:/@]*:([^@/]+)@/.exec(config.redisUrl)?.[1] : undefined;
  if (redisPassword) out.push(redisPassword, decodedOrAsIs(redisPassword));
  const redis = config.redis;
  if (redis && redis.kind !== 'url') {
    if (redis.auth.password) out.push(redis.auth.password, encodeURIComponent(redis.auth.password));
    if (redis.kind === 'sentinel' && redis.sentinelPassword) out.push(redis.sentinelPassword);
  }
  return [...new Set(out)];
}

// The config loader refuses a malformed percent-encoding; this must not crash start-up if one gets here.
function decodedOrAsIs(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A logger that drops everything, for tests and the CLI's quiet paths. */
export const silentLogger: Logger = pino({ level: 'silent' });
