import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  articlePage,
  atomFeed,
  type FixtureItem,
  hugeWordpressRss,
  jsonFeed,
  TINY_PNG,
  wordpressRss,
} from '../../../harness/feed-fixtures.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { RedisIntakeStore } from '../../../src/adapters/redis/redis-intake-store.js';
import { createDeskServices, type DeskServices } from '../../../src/app/desk-services.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { FeedIntake } from '../../../src/intake/feed-intake.js';
import { resolveSources, sourcesFileSchema } from '../../../src/intake/sources-schema.js';
import type { IntakeEvent } from '../../../src/ports/intake-bus.js';
import { silentLogger } from '../../../src/util/logger.js';
import { type FeedServer, startFeedServer } from '../../support/feed-server.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');

/** `text` in Windows-1252 (what older European sites still serve): one byte per character. */
function encode1252(text: string): Buffer {
  const extra: Record<string, number> = {
    '€': 0x80,
    '’': 0x92,
    '‘': 0x91,
    '“': 0x93,
    '”': 0x94,
    '–': 0x96,
    '—': 0x97,
  };
  return Buffer.from(
    [...text].map((c) => {
      const code = extra[c] ?? c.charCodeAt(0);
      if (code > 0xff) throw new RangeError(`${c} has no Windows-1252 byte`);
      return code;
    }),
  );
}
const paragraphs = [
  'Hong Kong&#8217;s central bank on Friday granted the city&#8217;s first stablecoin issuer licences to a joint venture of Standard Chartered and to HSBC, under the Stablecoins Ordinance that took effect in August.',
  'The Hong Kong Monetary Authority said the licensed issuers must hold full reserves and publish monthly attestations, and that further licences would follow once applicants met its compliance requirements.',
  'Unlicensed firms may not offer fiat-referenced stablecoins to retail investors in the city, the regulator added, warning of enforcement action.',
];

describe('feed intake (Redis + loopback feeds)', () => {
  let server: FeedServer;
  let redis: Redis;
  let prefix: string;
  let services: DeskServices;
  let clock: number;
  let events: IntakeEvent[];
  let unsubscribe: () => void;

  const intakeFor = (sources: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    new FeedIntake({
      config: resolveSources(sourcesFileSchema.parse({ sources, fetch: { timeoutMs: 1_000, ...extra } })),
      desk: services.desk,
      store: services.store,
      state: new RedisIntakeStore(redis, prefix),
      events: services.intake,
      logger: silentLogger,
      now: () => clock,
    });

  beforeAll(async () => {
    server = await startFeedServer();
    redis = testRedis();
    server.set('/img/hk.png', { body: TINY_PNG, contentType: 'image/png' });
    server.set('/2026/11/28/hk-stablecoin-licences/', {
      contentType: 'text/html; charset=UTF-8',
      body: articlePage({
        title: 'Hong Kong grants first stablecoin licences to HSBC and Standard Chartered',
        imageUrl: '/img/hk.png',
        publishedTime: '2026-11-28T09:30:00Z',
        paragraphs,
      }),
    });
  });
  beforeEach(async () => {
    prefix = uniquePrefix('intake');
    clock = NOW;
    const config = loadConfig({
      env: { REGWIRE_SANDBOX: 'on', REGWIRE_QUEUE_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL },
    });
    services = createDeskServices(config, redis, silentLogger, { now: () => clock });
    events = [];
    unsubscribe = services.desk.onIntake((e) => {
      events.push(e);
    });
    await services.intake.whenSubscribed();
  });
  afterEach(async () => {
    unsubscribe();
    await services.close();
    await deletePrefix(redis, prefix);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  const waitForEvents = async (n: number) => {
    for (let i = 0; i < 100 && events.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return events;
  };

  const hkItem: FixtureItem = {
    title: 'Hong Kong grants first stablecoin licences to HSBC and Standard Chartered',
    link: '', // set per test (server origin)
    date: '2026-11-28T09:30:00Z',
    summaryHtml: '<p>The HKMA granted the first stablecoin issuer licences',
    categories: ['Policy'],
  };
  const offBeat: FixtureItem = {
    title: 'Bitcoin price analysis: BTC eyes $120k as ETF inflows grow',
    link: 'https://policywire.example.com/btc-price',
    date: '2026-11-28T08:00:00Z',
    summaryHtml: '<p>Traders are bullish.</p>',
  };

  it('review mode: drafts an on-beat item with article text and image, shows its relevance, skips the rest; then 304', async () => {
    const link = server.url('/2026/11/28/hk-stablecoin-licences/');
    server.set('/wp/feed/', {
      body: wordpressRss({ title: 'Policy Wire', url: server.origin }, [{ ...hkItem, link }, offBeat]),
      etag: '"wp-1"',
    });
    const intake = intakeFor({
      'policy-wire': { url: server.url('/wp/feed/'), name: 'Policy Wire', mode: 'review' },
    });
    const report = await intake.poll('policy-wire');
    expect(report).toMatchObject({ outcome: 'ok', skipped: 1, duplicates: [] });
    expect(report.drafted).toHaveLength(1);
    const id = report.drafted[0] ?? '';
    const view = await services.desk.view(id);
    if (!view.ok) throw new Error(view.error);
    expect(view.value.story).toMatchObject({
      title: hkItem.title,
      url: link,
      source: 'Policy Wire',
      imageUrl: server.url('/img/hk.png'),
      publishedAt: '2026-11-28T09:30:00.000Z',
    });
    // The feed only had a summary: the text is the article's, from the page.
    expect(view.value.story.body).toContain('publish monthly attestations');
    expect(view.value.destinations.every((d) => d.state === 'draft')).toBe(true);
    expect(view.value.rendered.telegram[0]?.method).toBe('sendPhoto');
    expect(view.value.history.map((h) => h.action).join('\n')).toMatch(
      /taken from Policy Wire .*relevance \d+ \(threshold 4\): .*stablecoin/,
    );
    expect(await waitForEvents(1)).toEqual([
      expect.objectContaining({
        kind: 'draft',
        storyId: id,
        sourceId: 'policy-wire',
        relevance: expect.stringMatching(/^relevance/),
      }),
    ]);

    const again = await intake.poll('policy-wire');
    expect(again.outcome).toBe('not-modified');
    expect(server.requests('/wp/feed/').at(-1)).toEqual({ ifNoneMatch: '"wp-1"' });
  });

  it('reads a Windows-1252 feed and article page (a regulator’s older site) without mojibake', async () => {
    const title = 'Autorité des marchés financiers fines exchange €2m over MiCA licence breaches';
    const link = server.url('/amf/communique-2026-11');
    const rss = wordpressRss({ title: 'Régulateur', url: server.origin }, [
      {
        title,
        link,
        date: '2026-11-28T10:00:00Z',
        summaryHtml: '<p>The AMF’s enforcement committee imposed a €2m fine',
      },
    ]).replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="windows-1252"?>');
    server.set('/amf/feed', { body: encode1252(rss), contentType: 'application/rss+xml' });
    server.set('/amf/communique-2026-11', {
      // No charset in the header: the page says so itself.
      contentType: 'text/html',
      body: encode1252(
        articlePage({
          title,
          paragraphs: [
            'The Autorité des marchés financiers said on Friday that its enforcement committee fined the exchange €2 million for offering crypto-asset services to French clients without the licence MiCA requires.',
            'The exchange’s French subsidiary must also appoint an independent monitor, the regulator’s décision states, and may appeal within two months.',
          ],
        }).replace(
          '<head>',
          '<head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
        ),
      ),
    });
    const intake = intakeFor({ amf: { url: server.url('/amf/feed'), name: 'AMF', mode: 'review' } });
    const report = await intake.poll('amf');
    expect(report.drafted).toHaveLength(1);
    const view = await services.desk.view(report.drafted[0] ?? '');
    if (!view.ok) throw new Error(view.error);
    expect(view.value.story.title).toBe(title);
    expect(view.value.story.body).toContain('fined the exchange €2 million');
    expect(view.value.story.body).toContain('the regulator’s décision states');
    const everything = JSON.stringify(view.value.rendered);
    expect(everything).not.toContain('\uFFFD');
    expect(everything).not.toMatch(/Ã©|â‚¬|â€™/);
  });

  it('links the same event from a second source (other words, AMP URL) and a third (same GUID), never drafting them', async () => {
    const link = server.url('/2026/11/28/hk-stablecoin-licences/');
    server.set('/wp/feed/', {
      body: wordpressRss({ title: 'Policy Wire', url: server.origin }, [{ ...hkItem, link }]),
    });
    server.set('/atom.xml', {
      contentType: 'application/atom+xml',
      body: atomFeed({ title: 'Asia Ledger', url: 'https://asialedger.example.com' }, [
        {
          title: 'HSBC, Standard Chartered win first Hong Kong stablecoin licenses',
          link: 'https://asialedger.example.com/hsbc-standard-chartered-hong-kong-stablecoin/amp/?utm_source=rss',
          date: '2026-11-28T10:00:00Z',
          summaryHtml:
            '<p>The Hong Kong Monetary Authority granted stablecoin licences under its new regulation to HSBC and a Standard Chartered venture, the regulator said on Friday, as the crypto industry awaits more approvals.</p>'.repeat(
              3,
            ),
        },
      ]),
    });
    server.set('/feed.json', {
      contentType: 'application/feed+json',
      body: jsonFeed({ title: 'Syndicator', url: 'https://syndicator.example.com' }, [
        {
          title: 'Syndicated: HK licences',
          guid: `${server.origin}/?p=1000`,
          date: '2026-11-28T11:00:00Z',
          summaryHtml: '<p>Stablecoin regulation news.</p>',
        },
      ]),
    });
    const intake = intakeFor({
      wp: { url: server.url('/wp/feed/'), name: 'Policy Wire' },
      asia: { url: server.url('/atom.xml'), name: 'Asia Ledger', mode: 'auto' },
      synd: { url: server.url('/feed.json'), name: 'Syndicator' },
    });
    const first = await intake.poll('wp');
    const firstId = first.drafted[0] ?? '';
    const second = await intake.poll('asia');
    const third = await intake.poll('synd');
    expect(second).toMatchObject({ drafted: [], duplicates: [[expect.stringContaining('HSBC'), firstId]] });
    expect(third).toMatchObject({ drafted: [], duplicates: [[expect.any(String), firstId]] });
    const history = (await services.store.history(firstId)).map((h) => h.action);
    expect(history).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^same story also reported by Asia Ledger: .*similar title, \d+% alike\); linked, not published$/,
        ),
        expect.stringMatching(/^same story also reported by Syndicator: .*same GUID/),
      ]),
    );
    expect(await services.store.recent(10)).toEqual([firstId]);
    expect((await waitForEvents(3)).map((e) => e.kind)).toEqual(['draft', 'duplicate', 'duplicate']);
  });

  it('auto mode schedules at the next free slot; an editor-typed story with the same URL blocks the feed copy', async () => {
    const typed = await services.desk.createDraft(
      {
        title: 'EU adopts MiCA stablecoin rules',
        body: 'ESMA said the crypto regulation applies.',
        url: 'https://eu.example.com/mica-rules',
      },
      { kind: 'editor', id: 1, name: '@alice' },
    );
    if (!typed.ok) throw new Error(typed.error);
    server.set('/auto.json', {
      contentType: 'application/feed+json',
      body: jsonFeed({ title: 'EU Desk', url: 'https://eu.example.com' }, [
        {
          title: 'EU adopts MiCA stablecoin rules',
          link: 'https://www.eu.example.com/mica-rules/?utm_campaign=x',
          date: '2026-11-28T11:00:00Z',
          summaryHtml:
            '<p>ESMA and the European Commission said the crypto regulation applies to stablecoin issuers from today, with licences required.</p>',
        },
        {
          title: 'FCA fines Kraken UK over crypto promotions rules',
          link: 'https://eu.example.com/fca-kraken',
          date: '2026-11-28T10:00:00Z',
          summaryHtml:
            '<p>The Financial Conduct Authority fined the exchange for breaching crypto promotion rules and its registration conditions.</p>',
        },
      ]),
    });
    const intake = intakeFor({ eu: { url: server.url('/auto.json'), name: 'EU Desk', mode: 'auto' } });
    const report = await intake.poll('eu');
    expect(report.duplicates).toEqual([[expect.any(String), typed.value.story.id]]);
    expect(report.drafted).toHaveLength(1);
    const view = await services.desk.view(report.drafted[0] ?? '');
    expect(view.ok && view.value.destinations.map((d) => d.state)).toEqual(['scheduled', 'scheduled']);
    expect((await waitForEvents(2)).map((e) => e.kind).sort()).toEqual(['duplicate', 'scheduled']);
  });

  it('bad input: malformed XML, HTML, 50 MB, endless redirects — logged failures, backoff, ONE note to editors', async () => {
    server.set('/broken.xml', {
      body: '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>broken',
    });
    server.set('/homepage', {
      body: '<!DOCTYPE html><html><body>Welcome</body></html>',
      contentType: 'text/html',
    });
    server.set('/fifty', { kind: 'huge', bytes: 50 * 1024 * 1024 });
    server.set('/loop', { kind: 'redirect-loop' });
    const intake = intakeFor(
      {
        broken: { url: server.url('/broken.xml'), pollEveryMs: 60_000 },
        html: { url: server.url('/homepage'), pollEveryMs: 60_000 },
        fifty: { url: server.url('/fifty'), pollEveryMs: 60_000 },
        loop: { url: server.url('/loop'), pollEveryMs: 60_000 },
      },
      { maxFeedBytes: 1_000_000, alertAfterFailures: 3 },
    );
    const errors: Record<string, string | undefined> = {};
    for (const id of ['broken', 'html', 'fifty', 'loop']) errors[id] = (await intake.poll(id)).error;
    expect(errors.broken).toMatch(/malformed feed|not an RSS/);
    expect(errors.html).toMatch(/an HTML page, not a feed/);
    expect(errors.fifty).toMatch(/larger than 1000000 bytes/);
    expect(errors.loop).toMatch(/more than 5 redirects/);

    // Second failure: backoff of one interval; polls inside it are skipped without a request.
    clock += 60_000;
    expect((await intake.poll('html')).outcome).toBe('failed');
    const requests = server.requests('/homepage').length;
    clock += 30_000;
    expect((await intake.poll('html')).outcome).toBe('backing-off');
    expect(server.requests('/homepage')).toHaveLength(requests);
    for (let i = 0; i < 4; i++) {
      clock += 10 * 60_000;
      await intake.poll('html');
    }
    const notes = (await waitForEvents(1)).filter((e) => e.kind === 'source-failing');
    expect(notes).toEqual([
      expect.objectContaining({
        sourceId: 'html',
        failures: 3,
        message: expect.stringMatching(/failed 3 polls in a row; last error: .*HTML page/),
      }),
    ]);

    // Recovery is announced once, and nothing was ever drafted.
    server.set('/homepage', { body: wordpressRss({ title: 'x', url: server.origin }, []) });
    clock += 24 * 3_600_000;
    expect((await intake.poll('html')).outcome).toBe('ok');
    expect((await waitForEvents(2)).map((e) => e.kind)).toEqual(['source-failing', 'source-recovered']);
    expect(await services.store.recent(10)).toEqual([]);
  });

  it('bad input: 10,000 items, items without links or dates, dates in the future, a broken image', async () => {
    server.set('/bulk', { body: hugeWordpressRss(10_000) });
    const messy = (items: FixtureItem[]) => wordpressRss({ title: 'Messy', url: server.origin }, items);
    server.set('/messy', {
      body: messy([
        {
          title: 'Undated: SEC sues crypto exchange over licence breach',
          summaryHtml:
            '<p>The SEC sued the crypto exchange for operating without a licence under securities law.</p>',
          guid: 'urn:messy:1',
        },
      ]),
    });
    const intake = intakeFor(
      {
        bulk: { url: server.url('/bulk'), maxItemsPerPoll: 20, fetchArticleBelowChars: 0 },
        messy: { url: server.url('/messy'), fetchArticleBelowChars: 0 },
      },
      { maxFeedBytes: 20_000_000 },
    );
    clock = Date.parse('2026-11-01T01:00:00Z');
    const bulk = await intake.poll('bulk');
    expect(bulk.outcome).toBe('ok');
    expect(bulk.drafted.length + bulk.duplicates.length + bulk.skipped).toBe(20);

    // First poll: an undated item is backlog. Later: new undated, linkless and future-dated items are taken once.
    expect(await intake.poll('messy')).toMatchObject({ drafted: [], skipped: 1 });
    server.set('/messy', {
      body: messy([
        {
          title: 'Undated: CFTC charges DeFi protocol over unregistered swaps',
          summaryHtml:
            '<p>The CFTC charged the DeFi protocol and fined its crypto developers under commodity law.</p>',
          guid: 'urn:messy:2',
        },
        {
          title: 'Future: Tether fined by New York regulator over stablecoin reserves',
          link: server.url('/future'),
          date: '2031-01-01T00:00:00Z',
          imageUrl: server.url('/img/missing.png'),
          summaryHtml:
            '<p>The New York regulator fined Tether over stablecoin reserve reports, citing compliance failures.</p>',
        },
      ]),
    });
    const later = await intake.poll('messy');
    expect(later.drafted).toHaveLength(2);
    const stories = await Promise.all(later.drafted.map((id) => services.store.get(id)));
    const future = stories.find((s) => s?.story.title.startsWith('Future'));
    const undated = stories.find((s) => s?.story.title.startsWith('Undated'));
    expect(future?.story.publishedAt).toBe(new Date(clock).toISOString());
    expect(future?.story.imageUrl).toBeUndefined();
    expect(undated?.story.url).toBeUndefined();
    expect((await services.store.history(future?.story.id ?? '')).at(-1)?.action).toMatch(/image left out/);
    expect((await intake.poll('messy')).drafted).toEqual([]);
  });
});
