import { describe, expect, it } from 'vitest';
import { articlePage } from '../../../harness/feed-fixtures.js';
import { extractArticle } from '../../../src/intake/article-extract.js';

describe('extractArticle', () => {
  it('takes Open Graph metadata and the main text, not the navigation or footer', () => {
    const paragraphs = [
      'The Monetary Authority of Singapore on Thursday finalised its rules for stablecoin issuers, requiring full reserve backing and monthly attestations.',
      'Issuers have until June 2027 to apply for a licence, the regulator said, adding that unlicensed firms may not market their tokens as &ldquo;MAS-regulated&rdquo;.',
      'Industry groups welcomed the clarity but warned that the capital requirements could push smaller issuers out of the market.',
    ];
    const info = extractArticle(
      articlePage({
        title: 'MAS finalises stablecoin rules',
        description: 'Singapore sets reserve &amp; disclosure rules',
        imageUrl: '/img/mas.png',
        publishedTime: '2026-11-26T08:00:00+08:00',
        canonical: 'https://news.example.com/mas-stablecoin-rules',
        paragraphs,
      }),
      'https://news.example.com/2026/11/mas-stablecoin-rules?utm_source=rss',
    );
    expect(info).toMatchObject({
      title: 'MAS finalises stablecoin rules',
      description: 'Singapore sets reserve & disclosure rules',
      imageUrl: 'https://news.example.com/img/mas.png',
      publishedAt: '2026-11-26T00:00:00.000Z',
      canonicalUrl: 'https://news.example.com/mas-stablecoin-rules',
    });
    expect(info.text).toContain('monthly attestations.\n\nIssuers have until June 2027');
    expect(info.text).toContain('“MAS-regulated”');
    expect(info.text).not.toMatch(/Markets|All rights reserved|Most read/);
  });

  it('returns what it can from junk', () => {
    expect(extractArticle('<<<not html at all', 'https://x.example/')).toEqual(expect.any(Object));
    expect(extractArticle('', 'https://x.example/').text).toBeUndefined();
  });

  describe('pages nested to waste the worker', () => {
    const lead =
      '<p>The Monetary Authority of Singapore on Thursday finalised its rules for stablecoin issuers, requiring full reserve backing.</p>';
    const page = (depth: number) =>
      `<html><head><title>MAS rules</title></head><body>${'<div>'.repeat(depth)}<article>${lead.repeat(5)}</article>${'</div>'.repeat(depth)}</body></html>`;

    // Before: linkedom's parse grows with the square of nesting and Readability faster still; 100 000
    // nested <div>s took 8.6 minutes, 800 took 6 s.
    it.each([
      [100_000, 'is not parsed'],
      [800, 'is parsed, but Readability is not run on it'],
    ])('a page nested %i deep %s, in well under a second', (depth) => {
      const hostile = `<html><body>${'<div>'.repeat(depth)}text${'</div>'.repeat(depth)}</body></html>`;
      const started = performance.now();
      const info = extractArticle(hostile, 'https://news.example.com/a');
      // A guard against blow-ups (seconds to minutes before), not a speed goal: wide, so load never decides.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(info.text).toBeUndefined();
    });

    it('still reads an article nested 40 deep (page builders nest deeply)', () => {
      const info = extractArticle(page(40), 'https://news.example.com/a');
      expect(info.title).toBe('MAS rules');
      expect(info.text).toContain('finalised its rules for stablecoin issuers');
    });
  });
});
