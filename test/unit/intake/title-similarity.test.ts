import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relevanceSchema } from '../../../src/intake/sources-schema.js';
import {
  commonVocabulary,
  stem,
  TitleIndex,
  titleTokens,
  titleWords,
  tokenSimilarity,
} from '../../../src/intake/title-similarity.js';

const vocabulary = commonVocabulary(relevanceSchema.parse({}).terms);
const sim = (a: string, b: string) => tokenSimilarity(titleTokens(a, vocabulary), titleTokens(b, vocabulary));
const THRESHOLD = 0.7;

describe('title similarity', () => {
  it('stems inflections together', () => {
    expect(new Set(['sues', 'sued', 'sue'].map(stem)).size).toBe(1);
    expect(stem('penalties')).toBe(stem('penalty'));
    expect(stem('banned')).toBe(stem('bans'));
    expect(titleWords('Hong Kong’s SFC: “Licensing” – for Exchanges')).toEqual([
      'hong',
      'kong',
      'sfc',
      'licensing',
      'exchanges',
    ]);
  });

  it('finds the same event told in other words', () => {
    expect(
      sim(
        'SEC sues Binance over unregistered securities',
        'Binance sued by SEC for offering unregistered securities',
      ),
    ).toBeGreaterThanOrEqual(THRESHOLD);
    expect(
      sim(
        'Hong Kong grants first stablecoin licences to HSBC and Standard Chartered',
        'HSBC, Standard Chartered win first Hong Kong stablecoin licenses',
      ),
    ).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('keeps different events apart even when they share the beat’s words', () => {
    expect(sim('SEC sues Coinbase', 'SEC sues Binance')).toBeLessThan(THRESHOLD);
    expect(sim('UK bans crypto ATMs', 'Canada bans crypto ATMs')).toBeLessThan(THRESHOLD);
    expect(sim('ECB publishes digital euro rulebook', 'Fed publishes stablecoin guidance')).toBeLessThan(
      THRESHOLD,
    );
  });

  it('is symmetric, bounded, and 1 for the same words in any order (property)', () => {
    const title = fc.array(
      fc.constantFrom(
        'SEC',
        'sues',
        'Binance',
        'Hong',
        'Kong',
        'stablecoin',
        'rules',
        'the',
        '2026',
        'Tether',
        'fine',
        'EU',
      ),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(title, title, (a, b) => {
        const s = sim(a.join(' '), b.join(' '));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(s).toBeCloseTo(sim(b.join(' '), a.join(' ')), 10);
        const tokens = titleTokens(a.join(' '), vocabulary);
        if (tokens.size > 0) expect(sim(a.join(' '), [...a].reverse().join(' '))).toBeCloseTo(1, 10);
      }),
    );
  });

  it('the index finds the most similar recent title and ignores old ones', () => {
    const index = new TitleIndex();
    index.add({
      storyId: 'old00001',
      tokens: titleTokens('SEC sues Binance over unregistered securities', vocabulary),
      atMs: 1_000,
    });
    index.add({
      storyId: 'new00001',
      tokens: titleTokens('SEC sues Binance over unregistered securities', vocabulary),
      atMs: 5_000,
    });
    index.add({ storyId: 'other001', tokens: titleTokens('FCA fines Kraken', vocabulary), atMs: 5_000 });
    const query = titleTokens('Binance sued by SEC for unregistered securities', vocabulary);
    expect(index.findSimilar(query, THRESHOLD, 2_000)?.entry.storyId).toBe('new00001');
    expect(index.findSimilar(titleTokens('SEC sues Coinbase', vocabulary), THRESHOLD, 0)).toBeUndefined();
  });
});
