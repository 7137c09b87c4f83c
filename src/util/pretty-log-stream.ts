import { PinoPretty } from 'pino-pretty';

/**
 * A stream that prints each JSON log line as one readable line (`12:04:31 INFO: message` and its fields
 * indented below), for a person at a terminal; give it to `createLogger` as its destination. The
 * logger's redaction runs before the line reaches it, so a secret is scrubbed in pretty output too.
 * Written synchronously: the last lines before `process.exit` are not lost.
 */
export function prettyLogStream(
  options: {
    /** Where the lines go; default stdout. */
    readonly destination?: NodeJS.WritableStream;
    /** ANSI colours; default when the destination is a colour terminal. */
    readonly colorize?: boolean;
  } = {},
): NodeJS.WritableStream {
  return PinoPretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app',
    singleLine: false,
    ...(options.destination ? { destination: options.destination } : {}),
    ...(options.colorize !== undefined ? { colorize: options.colorize } : {}),
  });
}
