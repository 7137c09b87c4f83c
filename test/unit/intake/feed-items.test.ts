import { describe, expect, it } from 'vitest';
import { atomFeed, hugeWordpressRss, jsonFeed, wordpressRss } from '../../../harness/feed-fixtures.js';
import { FeedParseError, parseFeedDocument } from '../../../src/intake/feed-items.js';

const site = { title: 'Policy Wire &amp; Co', url: 'https://policywire.example.com' };
const NOW = Date.parse('2026-11-28T12:00:00Z');
const options = { feedUrl: `${site.url}/feed/`, nowMs: NOW, maxItems: 50 };

const story = {
  title: 'Hong Kong &#8216;grants&#8217; first <em>stablecoin</em> licences',
  link: `${site.url}/2026/11/28/hk-stablecoin-licences/`,
  date: '2026-11-28T09:30:00Z',
  summaryHtml: '<p>The HKMA said on Friday that two issuers &amp; a bank&#8230;',
  contentHtml:
    '<p>The HKMA said on Friday that two issuers received licences.</p><p>More rules follow in 2027.</p>',
  imageUrl: `${site.url}/wp-content/uploads/2026/11/hkma.jpg`,
  categories: ['Policy', 'Asia'],
};

describe('parseFeedDocument', () => {
  it('reads a WordPress RSS 2.0 feed: clean title, full content, permalink, date, image, categories', () => {
    const feed = parseFeedDocument(wordpressRss(site, [story]), options);
    expect(feed.format).toBe('rss');
    expect(feed.items).toEqual([
      {
        guid: `${site.url}/?p=1000`,
        url: story.link,
        title: 'Hong Kong ‘grants’ first stablecoin licences',
        text: 'The HKMA said on Friday that two issuers received licences.\n\nMore rules follow in 2027.',
        publishedAt: '2026-11-28T09:30:00.000Z',
        imageUrl: story.imageUrl,
        categories: ['Policy', 'Asia'],
      },
    ]);
  });

  it('takes the description when there is no content:encoded', () => {
    const { contentHtml: _c, ...summaryOnly } = story;
    const [item] = parseFeedDocument(wordpressRss(site, [summaryOnly]), options).items;
    expect(item?.text).toMatch(
      /^The HKMA said on Friday that two issuers & a bank… \[…\]\n\nThe post .* appeared first on/,
    );
  });

  it('reads Atom with HTML-typed titles and summaries', () => {
    const feed = parseFeedDocument(atomFeed(site, [story]), options);
    expect(feed.format).toBe('atom');
    expect(feed.items[0]).toMatchObject({
      title: 'Hong Kong ‘grants’ first stablecoin licences',
      url: story.link,
      publishedAt: '2026-11-28T09:30:00.000Z',
      text: expect.stringContaining('More rules follow in 2027.'),
    });
  });

  it('reads JSON Feed 1.1 with its image', () => {
    const feed = parseFeedDocument(jsonFeed(site, [story]), options);
    expect(feed.format).toBe('json');
    expect(feed.items[0]).toMatchObject({
      url: story.link,
      imageUrl: story.imageUrl,
      categories: ['Policy', 'Asia'],
    });
  });

  it('reads RSS 1.0 (RDF)', () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="${site.url}"><title>R</title><link>${site.url}</link><description>d</description></channel><item rdf:about="${site.url}/1"><title>MiCA applies</title><link>${site.url}/1</link><description>ESMA says</description><dc:date>2026-11-27T10:00:00Z</dc:date></item></rdf:RDF>`;
    expect(parseFeedDocument(rdf, options).items[0]).toMatchObject({
      title: 'MiCA applies',
      url: `${site.url}/1`,
      guid: `${site.url}/1`,
    });
  });

  it('refuses HTML pages, broken XML, JSON that is not a feed and empty bodies with a clear reason', () => {
    const fail = (content: string) => {
      try {
        parseFeedDocument(content, options);
      } catch (err) {
        expect(err).toBeInstanceOf(FeedParseError);
        return `${(err as FeedParseError).code}: ${(err as Error).message}`;
      }
      return 'parsed';
    };
    expect(fail('<!DOCTYPE html><html><head><title>Home</title></head><body>Welcome</body></html>')).toMatch(
      /^not-a-feed: an HTML page/,
    );
    expect(
      fail('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>broken'),
    ).toMatch(/^(malformed|not-a-feed)/);
    expect(fail('{"status":"ok","data":[]}')).toMatch(/^not-a-feed/);
    expect(fail('   ')).toMatch(/^empty-body/);
  });

  it('handles items without links or dates, and clamps dates in the future', () => {
    const feed = parseFeedDocument(
      wordpressRss(site, [
        { title: 'No link, no date', summaryHtml: '<p>Text only</p>', guid: 'urn:uuid:1' },
        {
          title: 'From the future',
          link: `${site.url}/future`,
          date: '2031-01-01T00:00:00Z',
          summaryHtml: '<p>x</p>',
        },
        {
          title: 'Unreadable date',
          link: `${site.url}/bad-date`,
          date: 'not a date',
          summaryHtml: '<p>y</p>',
        },
      ]).replace('<pubDate>Invalid Date</pubDate>', '<pubDate>yesterday-ish</pubDate>'),
      options,
    );
    const byTitle = new Map(feed.items.map((i) => [i.title, i]));
    expect(byTitle.get('No link, no date')).toMatchObject({ guid: 'urn:uuid:1' });
    expect(byTitle.get('No link, no date')?.url).toBeUndefined();
    expect(byTitle.get('No link, no date')?.publishedAt).toBeUndefined();
    expect(byTitle.get('From the future')?.publishedAt).toBe(new Date(NOW).toISOString());
    expect(byTitle.get('Unreadable date')?.publishedAt).toBeUndefined();
    expect(feed.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/in the future/),
        expect.stringMatching(/unreadable date/),
      ]),
    );
  });

  it('caps a 10,000-item feed to the newest items and says so', () => {
    const feed = parseFeedDocument(hugeWordpressRss(10_000), { ...options, maxItems: 50 });
    expect(feed.totalItems).toBe(10_000);
    expect(feed.items).toHaveLength(50);
    expect(feed.items[0]?.text).toMatch(/^Case 0:/);
    expect(feed.notes).toContain('10000 items in the feed; only the 50 newest are looked at');
  });

  describe('a field named length, which feedsmith would read as an array', () => {
    const rss = (extra: string) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Kept</title><link>https://a.example/1</link>${extra}</item></channel></rss>`;

    it('keeps an RSS item with a small <length> element (it became empty slots, and the item vanished)', () => {
      expect(parseFeedDocument(rss('<length>3</length>'), options).items.map((i) => i.title)).toEqual([
        'Kept',
      ]);
    });

    // Before: Array.from({ length: 1e9 }) inside feedsmith, and the process died of heap exhaustion.
    it.each([
      ['RSS <length>', rss('<length>1000000000</length>')],
      ['RSS <LENGTH>', rss('<LENGTH>1000000000</LENGTH>')],
      [
        'Atom <length>',
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title>Kept</title><length>1000000000</length></entry></feed>',
      ],
      [
        'JSON Feed "length" keys',
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 't',
          items: [
            { id: '1', title: 'Kept', length: 1e9, tags: { length: 1e9 }, attachments: { length: 1e9 } },
          ],
        }),
      ],
      [
        'JSON Feed escaped "\\u006cength" key',
        '{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"Kept","\\u006cength":1e9}]}',
      ],
    ])('reads a %s of a billion without building it', (_shape, document) => {
      const started = performance.now();
      expect(parseFeedDocument(document, options).items.map((i) => i.title)).toEqual(['Kept']);
      // A guard against blow-ups (seconds to minutes before), not a speed goal: wide, so load never decides.
      expect(performance.now() - started).toBeLessThan(10_000);
    });

    it('reads no items from a JSON feed whose items list is an object', () => {
      const document = JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 't',
        items: { length: 1e9 },
      });
      expect(parseFeedDocument(document, options).items).toEqual([]);
    });
  });
});
