import { describe, expect, it } from 'vitest';
import { createRelevanceScorer, describeRelevance, filterRejection } from '../../../src/intake/relevance.js';
import { relevanceSchema } from '../../../src/intake/sources-schema.js';

const settings = relevanceSchema.parse({});
const scorer = createRelevanceScorer(settings);

describe('relevance scoring', () => {
  it('scores a regulation story on the beat and names the words that decided it', () => {
    const result = scorer.score({
      title: 'SEC fines crypto exchange over unregistered stablecoin',
      body: 'The Securities and Exchange Commission fined the exchange $4m. The regulator said the licence was revoked.',
    });
    expect(result.score).toBeGreaterThanOrEqual(settings.threshold);
    expect(result.missingGroups).toEqual([]);
    expect(result.matched.map((m) => m.term)).toEqual(
      expect.arrayContaining(['SEC', 'fines', 'crypto*', 'stablecoin*', 'licen*']),
    );
    expect(result.matched.find((m) => m.term === 'SEC')).toEqual({
      term: 'SEC',
      group: 'regulation',
      points: 4,
      inTitle: true,
    });
    expect(describeRelevance(result, 4)).toMatch(
      /^relevance \d+(\.\d)? \(threshold 4\): .*SEC \+4 \(title\)/,
    );
  });

  it('gives 0 to crypto stories without regulation, and to regulation stories without crypto', () => {
    const price = scorer.score({
      title: 'Bitcoin rallies to a new high as ETF inflows grow',
      body: 'Traders cheered.',
    });
    expect(price.score).toBe(0);
    expect(price.missingGroups).toEqual(['regulation']);
    const bank = scorer.score({
      title: 'SEC fines bank over accounting',
      body: 'A regulator fined the bank.',
    });
    expect(bank.score).toBe(0);
    expect(bank.missingGroups).toEqual(['crypto']);
    expect(describeRelevance(bank, 4)).toMatch(/no crypto term, so 0$/);
  });

  it('matches acronyms by case only and words on boundaries', () => {
    const r = scorer.score({ title: 'Wait 2 sec: the crypto bill is secure', body: '' });
    expect(r.matched.map((m) => m.term)).not.toContain('SEC');
    expect(r.matched.map((m) => m.term)).toContain('bill');
  });

  it('off-beat words pull the score down; repeated words are capped', () => {
    const promo = scorer.score({ title: 'Crypto regulation airdrop giveaway', body: 'airdrop '.repeat(20) });
    const plain = scorer.score({ title: 'Crypto regulation', body: '' });
    expect(promo.score).toBeLessThan(plain.score);
    const spam = scorer.score({ title: 'Crypto law', body: 'crypto '.repeat(50) });
    expect(spam.matched.find((m) => m.term === 'crypto*')?.points).toBe(2 + 3);
  });
});

describe('source filters', () => {
  const item = {
    title: 'EU adopts MiCA rules',
    text: 'Stablecoin issuers need a licence.',
    categories: ['Policy', 'Europe'],
  };
  it('passes when nothing is configured', () => {
    expect(filterRejection(item, { include: [], exclude: [], categories: [] })).toBeUndefined();
  });
  it('excludes, includes and filters by category', () => {
    expect(filterRejection(item, { include: [], exclude: ['stablecoin'], categories: [] })).toMatch(
      /contains "stablecoin"/,
    );
    expect(filterRejection(item, { include: ['CBDC'], exclude: [], categories: [] })).toMatch(
      /none of "CBDC"/,
    );
    expect(filterRejection(item, { include: ['mica'], exclude: [], categories: ['policy'] })).toBeUndefined();
    expect(filterRejection(item, { include: [], exclude: [], categories: ['Markets'] })).toMatch(
      /not in categories/,
    );
  });
});
