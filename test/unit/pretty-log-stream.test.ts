import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import { prettyLogStream } from '../../src/util/pretty-log-stream.js';

function prettyCapture(secrets: readonly string[]) {
  let text = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  const logger = createLogger('info', prettyLogStream({ destination: sink, colorize: false }), secrets);
  return { logger, text: () => text };
}

describe('pretty log lines (npm start at a terminal)', () => {
  it('prints a readable line with the level and message, fields below, not JSON', () => {
    const { logger, text } = prettyCapture([]);
    logger.info({ mode: 'sandbox', web: 'http://127.0.0.1:8080/' }, 'regwire is running in SANDBOX mode');
    const out = text();
    expect(out).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: regwire is running in SANDBOX mode\n/);
    expect(out).toContain('mode: "sandbox"');
    expect(out).not.toContain('"level":');
    expect(out).not.toContain('"app":');
  });

  it('still redacts: secret values by the scrubber and secret keys by path', () => {
    const { logger, text } = prettyCapture(['123456:AAH-pretty-token', 'r@dis-pw']);
    logger.warn(
      { telegram: { token: 'tok-by-path-0001' } },
      'bot 123456:AAH-pretty-token refused; redis r@dis-pw',
    );
    const out = text();
    expect(out).toContain('WARN:');
    expect(out).not.toContain('AAH-pretty-token');
    expect(out).not.toContain('r@dis-pw');
    expect(out).not.toContain('tok-by-path-0001');
    expect(out).toContain('[redacted]');
  });
});
