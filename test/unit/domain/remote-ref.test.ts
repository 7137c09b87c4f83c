import { describe, expect, it } from 'vitest';
import { remoteIdFromRef } from '../../../src/domain/remote-ref.js';

describe('remoteIdFromRef: the post id in what an editor pastes', () => {
  it.each([
    ['https://x.com/regwire/status/1866000000000000001', '1866000000000000001'],
    ['https://twitter.com/regwire/status/1866000000000000001?s=20&t=abc', '1866000000000000001'],
    ['mobile.twitter.com/regwire/status/42/photo/1', '42'],
    ['https://x.com/i/web/status/77', '77'],
    [' 1866000000000000001 ', '1866000000000000001'],
  ])('X: %s → %s', (ref, id) => {
    expect(remoteIdFromRef('x', ref)).toBe(id);
  });

  it.each([
    'https://x.com/regwire',
    'https://evil.example/regwire/status/1',
    'tweet 4',
    '12345678901234567890',
  ])('X: %s → nothing', (ref) => {
    expect(remoteIdFromRef('x', ref)).toBeUndefined();
  });

  it.each([
    ['https://t.me/regwire_news/1234', '1234'],
    ['t.me/c/1987654321/55', '55'],
    ['1234', '1234'],
  ])('Telegram: %s → %s', (ref, id) => {
    expect(remoteIdFromRef('telegram', ref)).toBe(id);
  });

  it.each(['https://t.me/regwire_news', 'https://x.com/a/status/1', 'abc'])(
    'Telegram: %s → nothing',
    (ref) => {
      expect(remoteIdFromRef('telegram', ref)).toBeUndefined();
    },
  );
});
