import { type Logger as PinoLogger, pino } from 'pino';

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
  '*.*.adminPassword',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

/** Shortest secret worth scrubbing: shorter values would censor ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Creates the process logger: one JSON line per event on stdout (or `destination`). Every value in
 * `secrets` is replaced by `[redacted]` in each line before it is written, wherever it appears.
 */
export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  const options = {
    level,
    base: { app: 'regwire' },
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(known.length > 0 ? { hooks: { streamWrite: (line: string) => scrub(line, known) } } : {}),
  };
  return destination ? pino(options, destination as never) : pino(options);
}

function scrub(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    // JSON-escaped form too: a secret with a quote or backslash is written escaped.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('[redacted]');
  }
  return out;
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
  readonly redisUrl?: string;
  readonly sandbox?: boolean;
}): string[] {
  const out: string[] = [];
  if (config.telegram) out.push(config.telegram.token);
  if (config.x) out.push(config.x.appKey, config.x.appSecret, config.x.accessToken, config.x.accessSecret);
  // The sandbox's default dashboard password is public (documented), not a secret to scrub.
  if (config.web?.adminPassword && !config.sandbox) out.push(config.web.adminPassword);
  const redisPassword = config.redisUrl ? /\/\/[^:/@]*:([^@/]+)@/.exec(config.redisUrl)?.[1] : undefined;
  if (redisPassword) out.push(decodeURIComponent(redisPassword));
  return out;
}

/** A logger that drops everything, for tests and the CLI's quiet paths. */
export const silentLogger: Logger = pino({ level: 'silent' });
