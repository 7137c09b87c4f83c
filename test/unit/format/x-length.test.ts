import fc from 'fast-check';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { isValidPost, xWeight } from '../../../src/format/x-length.js';

describe('xWeight', () => {
  it.each([
    ['a'.repeat(280), 280],
    ['日本語です', 10],
    ['🚀', 2],
    ['👨‍👩‍👧‍👦', 2],
    ['e\u0301', 1],
    ['https://www.example.com/a/very/long/path/that/goes/on/and/on?with=query', 23],
    ['Coinbase.com', 23],
    ['node.js', 7],
    ['“quoted” — dash…', 17],
  ])('counts %j as %i, like X', (text, weight) => {
    expect(xWeight(text)).toBe(weight);
    expect(xWeight(text)).toBe(twitterText.parseTweet(text).weightedLength);
  });

  it('agrees with twitter-text on arbitrary text', () => {
    const chunk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        'example.com',
        'https://x.com/a?b=1',
        '🚀',
        '🇺🇸',
        '中文',
        '$BTC',
        '@sec',
        '#tag',
        '1.2bn',
        ' ',
        '\n',
      ),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 10 }), (parts) => {
        const text = parts.join('').replace(/[\uFFFE\uFEFF\uFFFF]/g, '');
        expect(xWeight(text)).toBe(twitterText.parseTweet(text).weightedLength);
      }),
      { numRuns: 500 },
    );
  });
});

describe('isValidPost', () => {
  it('follows X: non-empty, at most 280 weighted', () => {
    expect(isValidPost('')).toBe(false);
    expect(isValidPost('日'.repeat(140))).toBe(true);
    expect(isValidPost('日'.repeat(141))).toBe(false);
    expect(isValidPost('a'.repeat(200), 180)).toBe(false);
  });
});
