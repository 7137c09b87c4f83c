import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/intake/article-extract.js';
import { articlePage } from '../../support/feed-fixtures.js';

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
});
