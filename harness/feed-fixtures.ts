/** One article as the fixture feeds publish it. */
export interface FixtureItem {
  readonly title: string;
  /** Absolute URL; omitted for "items without links". */
  readonly link?: string;
  readonly guid?: string;
  /** RFC 3339 / ISO date; omitted for "items without dates". */
  readonly date?: string;
  /** HTML summary (description / summary). */
  readonly summaryHtml: string;
  /** HTML full text (content:encoded / content), when the feed carries it. */
  readonly contentHtml?: string;
  readonly imageUrl?: string;
  readonly categories?: readonly string[];
}

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const rfc822 = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');

/**
 * An RSS 2.0 feed shaped like WordPress's `/feed/`: namespaces, generator, `guid isPermaLink="false"`
 * with `?p=` ids, CDATA descriptions ending in "[&#8230;]" and "The post … appeared first on …",
 * `content:encoded` when given, `dc:creator`, categories and a Media RSS image.
 */
export function wordpressRss(site: { title: string; url: string }, items: readonly FixtureItem[]): string {
  const entries = items
    .map(
      (item, i) => `
	<item>
		<title>${xmlEscape(item.title)}</title>${item.link ? `\n\t\t<link>${xmlEscape(item.link)}</link>` : ''}
		<dc:creator>${cdata('Staff Reporter')}</dc:creator>${item.date ? `\n\t\t<pubDate>${rfc822(item.date)}</pubDate>` : ''}
${(item.categories ?? ['Policy']).map((c) => `\t\t<category>${cdata(c)}</category>`).join('\n')}
		<guid isPermaLink="false">${xmlEscape(item.guid ?? `${site.url}/?p=${1000 + i}`)}</guid>
		<description>${cdata(`${item.summaryHtml} [&#8230;]</p>\n<p>The post <a href="${item.link ?? site.url}">${item.title}</a> appeared first on <a href="${site.url}">${site.title}</a>.</p>`)}</description>${
      item.contentHtml ? `\n\t\t<content:encoded>${cdata(item.contentHtml)}</content:encoded>` : ''
    }${item.imageUrl ? `\n\t\t<media:content url="${xmlEscape(item.imageUrl)}" medium="image" width="1200" height="675"/>` : ''}
	</item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	xmlns:media="http://search.yahoo.com/mrss/">
<channel>
	<title>${xmlEscape(site.title)}</title>
	<atom:link href="${site.url}/feed/" rel="self" type="application/rss+xml" />
	<link>${site.url}</link>
	<description>Crypto policy news</description>
	<lastBuildDate>${rfc822(new Date().toISOString())}</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.6.2</generator>${entries}
</channel>
</rss>
`;
}

/** An Atom 1.0 feed with HTML-typed titles and summaries, as many newsrooms' CMSs emit. */
export function atomFeed(site: { title: string; url: string }, items: readonly FixtureItem[]): string {
  const entries = items
    .map(
      (item, i) => `
  <entry>
    <title type="html">${xmlEscape(item.title)}</title>
    <id>${xmlEscape(item.guid ?? `tag:${new URL(site.url).host},2026:${i}`)}</id>${item.link ? `\n    <link rel="alternate" type="text/html" href="${xmlEscape(item.link)}"/>` : ''}${
      item.date ? `\n    <published>${item.date}</published>\n    <updated>${item.date}</updated>` : ''
    }
    <author><name>Desk</name></author>
    <summary type="html">${xmlEscape(item.summaryHtml)}</summary>${item.contentHtml ? `\n    <content type="html">${xmlEscape(item.contentHtml)}</content>` : ''}
  </entry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xmlEscape(site.title)}</title>
  <link href="${site.url}/atom.xml" rel="self"/>
  <link href="${site.url}"/>
  <updated>${new Date().toISOString()}</updated>
  <id>${site.url}/</id>${entries}
</feed>
`;
}

/** A JSON Feed 1.1. */
export function jsonFeed(site: { title: string; url: string }, items: readonly FixtureItem[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: site.title,
    home_page_url: site.url,
    feed_url: `${site.url}/feed.json`,
    items: items.map((item, i) => ({
      id: item.guid ?? `${site.url}/items/${i}`,
      ...(item.link ? { url: item.link } : {}),
      title: item.title,
      ...(item.contentHtml ? { content_html: item.contentHtml } : { content_html: item.summaryHtml }),
      summary: item.summaryHtml.replace(/<[^>]+>/g, ''),
      ...(item.imageUrl ? { image: item.imageUrl } : {}),
      ...(item.date ? { date_published: item.date } : {}),
      tags: item.categories ?? [],
    })),
  });
}

/** An article page with Open Graph / article tags, navigation and footer noise around the text. */
export function articlePage(page: {
  title: string;
  description?: string;
  imageUrl?: string;
  publishedTime?: string;
  canonical?: string;
  paragraphs: readonly string[];
}): string {
  const meta = [
    `<meta property="og:type" content="article">`,
    `<meta property="og:title" content="${xmlEscape(page.title)}">`,
    page.description ? `<meta property="og:description" content="${xmlEscape(page.description)}">` : '',
    page.imageUrl ? `<meta property="og:image" content="${xmlEscape(page.imageUrl)}">` : '',
    page.publishedTime ? `<meta property="article:published_time" content="${page.publishedTime}">` : '',
    page.canonical ? `<link rel="canonical" href="${xmlEscape(page.canonical)}">` : '',
  ].join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${xmlEscape(page.title)} | Example News</title>
    ${meta}
    <script>window.dataLayer = [];</script>
  </head>
  <body>
    <header><nav><a href="/">Home</a> <a href="/markets">Markets</a> <a href="/policy">Policy</a></nav></header>
    <main>
      <article>
        <h1>${xmlEscape(page.title)}</h1>
        <div class="byline">By Staff Reporter</div>
        ${page.paragraphs.map((p) => `<p>${p}</p>`).join('\n        ')}
      </article>
      <aside><h3>Most read</h3><ul><li><a href="/a">Something else</a></li></ul></aside>
    </main>
    <footer><p>© 2026 Example News. All rights reserved.</p></footer>
  </body>
</html>
`;
}

/** A valid 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A WordPress-like RSS feed with `count` items (for the "10,000 items" case and the bench). */
export function hugeWordpressRss(
  count: number,
  site = { title: 'Bulk News', url: 'https://bulk.example.com' },
): string {
  const topics = ['SEC', 'CFTC', 'FCA', 'MAS', 'ESMA', 'FINMA', 'BaFin', 'HKMA', 'VARA', 'ASIC'];
  const actions = ['fines', 'sues', 'licenses', 'warns', 'bans', 'probes', 'approves', 'charges'];
  const firms = [
    'Binance',
    'Coinbase',
    'Kraken',
    'OKX',
    'Bybit',
    'Gemini',
    'Bitstamp',
    'Crypto.com',
    'Tether',
    'Circle',
    'Ripple',
    'Uniswap',
    'Robinhood',
    'Bitpanda',
    'Revolut',
    'Paxos',
    'Anchorage',
    'Galaxy',
    'Ledger',
    'MetaMask',
  ];
  const places = [
    'Dubai',
    'Texas',
    'Singapore',
    'Seoul',
    'Lagos',
    'Zurich',
    'Paris',
    'Toronto',
    'Sydney',
    'Madrid',
    'Warsaw',
    'Nairobi',
    'Lima',
  ];
  const subjects = [
    'lending product',
    'staking service',
    'token listing',
    'custody unit',
    'derivatives desk',
    'payments app',
    'marketing campaign',
    'ATM network',
    'mining site',
    'reserve reports',
    'KYC gaps',
  ];
  const items: FixtureItem[] = [];
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    // Varied enough that most titles are distinct events, as in a real feed's archive.
    const pick = <T>(list: readonly T[], salt: number): T =>
      list[(Math.imul(i + 1, 2_654_435_761 ^ salt) >>> 7) % list.length] as T;
    const title = `${pick(topics, 3)} ${pick(actions, 5)} ${pick(firms, 7)} ${pick(places, 11)} ${pick(subjects, 13)} over ${i % 3 === 0 ? 'stablecoin' : 'crypto'} rules`;
    items.push({
      title,
      link: `${site.url}/2026/11/story-${i}/`,
      date: new Date(start - i * 60_000).toISOString(),
      summaryHtml: `<p>Case ${i}: the regulator said on ${(i % 28) + 1} November that the firm&#8217;s <strong>licence</strong> &amp; registration were under review.</p>`,
    });
  }
  return wordpressRss(site, items);
}
