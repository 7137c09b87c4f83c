import { describe, expect, it } from 'vitest';
import { xPreflight } from '../../../src/format/x-preflight.js';

const posts = (...texts: string[]) => texts.map((text) => ({ text }));

describe('X pre-flight', () => {
  it('finds nothing in a thread X takes', () => {
    expect(
      xPreflight(posts('$BTC slides as SEC sues 1/2', 'Full story: https://news.example.com/a 2/2'), {
        maxWeightedLength: 280,
        url: 'https://news.example.com/a',
        mediaPerPost: [1, 0],
      }),
    ).toEqual([]);
  });

  it('flags more than one cashtag in a post, naming them', () => {
    expect(xPreflight(posts('ok', '$BTC and $ETH slide, $SOL too'), { maxWeightedLength: 280 })).toEqual([
      {
        kind: 'cashtags',
        post: 2,
        message: 'tweet 2 has 3 cashtags ($BTC, $ETH, $SOL): X refuses more than 1 a post',
      },
    ]);
    // An amount is not a cashtag.
    expect(xPreflight(posts('$BTC fell $1.2bn'), { maxWeightedLength: 280 })).toEqual([]);
  });

  it('flags a post over the account’s limit, and takes it for a Premium account', () => {
    const long = 'Regulators met again. '.repeat(20);
    expect(xPreflight(posts(long), { maxWeightedLength: 280 })).toMatchObject([{ kind: 'length', post: 1 }]);
    expect(xPreflight(posts(long), { maxWeightedLength: 25_000 })).toEqual([]);
  });

  it('flags a link X would not recognise as one', () => {
    const url = 'https://news.local/sec';
    expect(xPreflight(posts(`Full story: ${url}`), { maxWeightedLength: 280, url })).toEqual([
      {
        kind: 'url',
        post: 1,
        message: `tweet 1: the link ${url} is not a URL X recognises; it would go out as plain text, not a link`,
      },
    ]);
  });

  it('flags more than four images on a post', () => {
    expect(xPreflight(posts('Charts'), { maxWeightedLength: 280, mediaPerPost: [5] })).toMatchObject([
      { kind: 'media', post: 1, message: 'tweet 1 carries 5 images: X takes at most 4 a post' },
    ]);
  });
});
