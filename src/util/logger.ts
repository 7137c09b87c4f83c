import { type Logger as PinoLogger, pino } from 'pino';

/** The structured logger every component takes. */
export type Logger = PinoLogger;

// Paths pino censors wherever they appear in a logged object.
const REDACT = [
  'token',
  '*.token',
  'appSecret',
  '*.appSecret',
  'accessSecret',
  '*.accessSecret',
  'accessToken',
  '*.accessToken',
  'appKey',
  '*.appKey',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

/** Creates the process logger: one JSON line per event on stdout (or `destination`). */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { app: 'regwire' }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination as never) : pino(options);
}

/** A logger that drops everything, for tests and the CLI's quiet paths. */
export const silentLogger: Logger = pino({ level: 'silent' });
