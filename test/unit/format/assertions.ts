import twitterText from 'twitter-text';
import { expect } from 'vitest';
import type { Rendered, TelegramPayload } from '../../../src/domain/rendered.js';

/** Every post of the thread valid by X's own count, none empty, none repeated. */
export function expectValidThread(x: Rendered['x'], maxTweets = 6): void {
  expect(x.length).toBeGreaterThan(0);
  expect(x.length).toBeLessThanOrEqual(maxTweets);
  for (const post of x) {
    const parsed = twitterText.parseTweet(post.text);
    expect(parsed.valid, `invalid post (${parsed.weightedLength}): ${post.text}`).toBe(true);
    expect(post.text.trim()).not.toBe('');
  }
  expect(new Set(x.map((p) => p.text)).size).toBe(x.length);
}

/** At most one $cashtag per post, by twitter-text's rules. */
export function expectOneCashtagPerPost(x: Rendered['x']): void {
  for (const post of x) expect(twitterText.extractCashtags(post.text).length).toBeLessThanOrEqual(1);
}

/** Every Telegram call within its limit, with entities inside the text on UTF-16 boundaries. */
export function expectTelegramWithinLimits(telegram: readonly TelegramPayload[]): void {
  expect(telegram.length).toBeGreaterThan(0);
  for (const payload of telegram) {
    const [text, entities, limit] =
      payload.method === 'sendMessage'
        ? [payload.text, payload.entities, 4096]
        : [payload.caption, payload.caption_entities, 1024];
    expect(text.length).toBeLessThanOrEqual(limit);
    if (payload.method === 'sendMessage') expect(text.trim()).not.toBe('');
    for (const e of entities) {
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.length).toBeGreaterThan(0);
      expect(e.offset + e.length).toBeLessThanOrEqual(text.length);
      expect(isLowSurrogate(text.charCodeAt(e.offset)), 'entity starts inside a surrogate pair').toBe(false);
      expect(
        isLowSurrogate(text.charCodeAt(e.offset + e.length)),
        'entity ends inside a surrogate pair',
      ).toBe(false);
    }
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
