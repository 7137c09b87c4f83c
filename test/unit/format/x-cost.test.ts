import fc from 'fast-check';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { xPricingSchema } from '../../../src/config/x-billing-schema.js';
import {
  addUsd,
  containsUrl,
  postCost,
  readCost,
  threadCost,
  timesUsd,
  type XPricing,
} from '../../../src/format/x-cost.js';
import { docFixture } from '../../support/doc-fixtures.js';

const pricingPage = docFixture<{ source: string; readOn: string; usd: Record<string, number> }>(
  'x/pricing.json',
);
const PRICES: XPricing = xPricingSchema.parse({});

describe('X cost model', () => {
  it('defaults to the prices on X’s pricing page, with the day they were read', () => {
    expect(PRICES.createUsd).toBe(pricingPage.usd['Post: Create']);
    expect(PRICES.createWithUrlUsd).toBe(pricingPage.usd['Post: Create (with URL)']);
    expect(PRICES.postReadUsd).toBe(pricingPage.usd['Posts: Read']);
    expect(PRICES.ownedPostReadUsd).toBe(
      pricingPage.usd['Owned Reads (GET /2/users/{id}/tweets, own account)'],
    );
    expect(PRICES.readOn).toBe(pricingPage.readOn);
  });

  it('counts a URL the way X finds one: schemes, bare domains, not words with dots', () => {
    expect(containsUrl('Full story: https://example.com/a')).toBe(true);
    expect(containsUrl('Crypto.com fined in Dubai')).toBe(true);
    expect(containsUrl('example.com/path')).toBe(true);
    expect(containsUrl('U.S. regulators and node.js users, $BTC, #MiCA, @sec_gov')).toBe(false);
    expect(containsUrl('It rose 1.5 per cent.')).toBe(false);
  });

  it('finds the URLs twitter-text finds, in any text (its quick look for a dot never misses one)', () => {
    const piece = fc.constantFrom(
      'SEC',
      ' ',
      '.',
      '. ',
      'example',
      '.com',
      'https://',
      'www',
      '/a',
      'Crypto',
      '\n',
      'é',
      '例え',
      '.рф',
      '.co',
      '1.5',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(containsUrl(text)).toBe(twitterText.extractUrls(text.normalize('NFC')).length > 0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('prices a post by whether it holds a URL', () => {
    expect(postCost('SEC sues an exchange', PRICES)).toEqual({ kind: 'create', usd: 0.015 });
    expect(postCost('Full story: https://example.com/a', PRICES)).toEqual({
      kind: 'create-with-url',
      usd: 0.2,
    });
  });

  it('adds a six-post thread with the link in post 6 to exactly $0.275', () => {
    const posts = [1, 2, 3, 4, 5].map((i) => ({ text: `Post ${i} of the story.` }));
    const cost = threadCost([...posts, { text: 'Full story: https://example.com/a 6/6' }], PRICES);
    expect(cost.totalUsd).toBe(0.275);
    expect(cost.postsWithUrl).toEqual([6]);
    expect(cost.parts.map((p) => p.kind)).toEqual([...Array(5).fill('create'), 'create-with-url']);
  });

  it('prices reads per post returned: own timeline (reconcile) or others’', () => {
    expect(readCost(10, PRICES)).toBe(0.01);
    expect(readCost(100, PRICES)).toBe(0.1);
    expect(readCost(10, PRICES, 'others')).toBe(0.05);
    expect(readCost(0, PRICES)).toBe(0);
  });

  it('property: a thread costs the sum of its posts, between all-plain and all-with-URL', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('https://example.com/x', 'Coinbase.com', 'see sec.gov/news'),
    );
    fc.assert(
      fc.property(fc.array(fc.array(text, { maxLength: 3 }), { maxLength: 25 }), (parts) => {
        const posts = parts.map((words) => ({ text: words.join(' ') }));
        const cost = threadCost(posts, PRICES);
        const withUrl = posts.filter((p) => containsUrl(p.text)).length;
        expect(cost.totalUsd).toBe(
          addUsd(
            timesUsd(PRICES.createWithUrlUsd, withUrl),
            timesUsd(PRICES.createUsd, posts.length - withUrl),
          ),
        );
        expect(cost.totalUsd).toBeGreaterThanOrEqual(timesUsd(PRICES.createUsd, posts.length));
        expect(cost.totalUsd).toBeLessThanOrEqual(timesUsd(PRICES.createWithUrlUsd, posts.length));
        expect(cost.postsWithUrl.length).toBe(withUrl);
      }),
    );
  });

  it('property: dollar sums are exact to the millionth (no float drift)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 50 }), (micros) => {
        const sum = addUsd(...micros.map((m) => m / 1_000_000));
        expect(Math.round(sum * 1_000_000)).toBe(micros.reduce((a, b) => a + b, 0));
        expect(sum).toBe(micros.reduce((a, b) => a + b, 0) / 1_000_000);
      }),
    );
  });
});
