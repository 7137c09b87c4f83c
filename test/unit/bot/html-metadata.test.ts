import { describe, expect, it } from 'vitest';
import { decodeEntities, parseHtmlMetadata } from '../../../src/bot/html-metadata.js';

describe('parseHtmlMetadata', () => {
  it('prefers Open Graph, reads article time, resolves the image against the page', () => {
    const html = `<!doctype html><html><head>
      <title>Fallback title</title>
      <meta property="og:title" content="SEC &amp; CFTC agree on &#8220;joint rules&#8221;">
      <meta content='The two agencies published a joint statement.' property='og:description'>
      <meta property=og:image content=/img/lead.jpg>
      <meta property="article:published_time" content="2026-11-27T08:15:00+01:00">
      <!-- <meta property="og:title" content="commented out"> -->
      <script>var s = '<meta property="og:description" content="from script">';</script>
    </head><body></body></html>`;
    expect(parseHtmlMetadata(html, 'https://news.example.com/a/b')).toEqual({
      title: 'SEC & CFTC agree on “joint rules”',
      description: 'The two agencies published a joint statement.',
      imageUrl: 'https://news.example.com/img/lead.jpg',
      publishedAt: '2026-11-27T07:15:00.000Z',
    });
  });

  it('falls back to <title>, meta description and the article lead', () => {
    const html =
      '<title> Plain\n title </title><meta name="Description" content="Desc"><article><h1>x</h1><p>The <b>lead</b> paragraph.</p><p>Second</p></article>';
    expect(parseHtmlMetadata(html)).toEqual({
      title: 'Plain title',
      description: 'Desc',
      lead: 'The lead paragraph.',
    });
  });

  it('ignores what it cannot use and never throws', () => {
    expect(
      parseHtmlMetadata(
        '<meta property="og:image" content="javascript:alert(1)"><meta property="article:published_time" content="yesterday">',
      ),
    ).toEqual({});
    expect(parseHtmlMetadata('<meta <meta <<<>>> <title>')).toEqual({});
    expect(decodeEntities('&#0; &#xD800; &bogus; &lt;')).toBe('&#0; &#xD800; &bogus; <');
  });
});
