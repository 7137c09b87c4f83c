import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePage, atomFeed, TINY_PNG, wordpressRss } from '../../../harness/feed-fixtures.js';
import { uniquePrefix } from '../../../harness/redis.js';
import type { App } from '../../../src/app/start-app.js';
import type { IntakeEvent } from '../../../src/ports/intake-bus.js';
import type { TelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import type { XStandIn } from '../../../src/sandbox/standins/x/index.js';
import type { FeedServer } from '../../support/feed-server.js';
import {
  expectPhotoPostAndImageThread,
  type IntakeRig,
  startIntakeRig,
} from '../../support/intake-harness.js';
import { waitFor } from '../../support/wait-for.js';

const CHANNEL = '@regwire_sandbox';

// A new item in a WordPress feed → a draft announced to editors (review mode) → "Post now" → the channel
// post with the photo and a thread whose first tweet carries the image; the same story from a second
// outlet is linked to the first, not posted.
describe('feed intake end to end', () => {
  let rig: IntakeRig;
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let feeds: FeedServer;
  let app: App;
  let events: IntakeEvent[];

  beforeAll(async () => {
    rig = await startIntakeRig({
      prefix: uniquePrefix('intake-e2e'),
      roles: { workers: true, web: false, maintenance: true },
      telegramChannel: CHANNEL,
      prepare: (server) => {
        const site = { title: 'Policy Wire', url: server.origin };
        // The feed starts with last month's story only: nothing to take.
        server.set('/feed/', {
          body: wordpressRss(site, [
            {
              title: 'SEC fines exchange over crypto lending',
              link: server.url('/old'),
              guid: `${server.origin}/?p=1`,
              date: new Date(Date.now() - 30 * 86_400_000).toISOString(),
              summaryHtml: '<p>Old news.</p>',
            },
          ]),
        });
        server.set('/atom.xml', {
          contentType: 'application/atom+xml',
          body: atomFeed({ title: 'Asia Ledger', url: 'https://asialedger.example.com' }, []),
        });
        server.set('/uploads/hk.png', { body: TINY_PNG, contentType: 'image/png' });
        return {
          sources: {
            'policy-wire': {
              url: server.url('/feed/'),
              name: 'Policy Wire',
              mode: 'review',
              pollEveryMs: 300,
            },
            'asia-ledger': {
              url: server.url('/atom.xml'),
              name: 'Asia Ledger',
              mode: 'auto',
              pollEveryMs: 300,
            },
          },
          fetch: { timeoutMs: 2_000 },
        };
      },
    });
    ({ telegram, x, feeds, app, events } = rig);
  });

  afterAll(async () => rig?.close());

  it('new item → preview announced → Post now → photo post and thread with image; the second outlet’s copy is linked', async () => {
    const link = feeds.url('/2026/11/hk-stablecoin-licences/');
    feeds.set('/2026/11/hk-stablecoin-licences/', {
      contentType: 'text/html',
      body: articlePage({
        title: 'Hong Kong grants first stablecoin licences to HSBC and Standard Chartered',
        imageUrl: '/uploads/hk.png',
        paragraphs: [
          'The Hong Kong Monetary Authority on Friday granted the first stablecoin issuer licences under the Stablecoins Ordinance, to HSBC and a Standard Chartered joint venture.',
          'Licensed issuers must hold full reserves and publish monthly attestations; the regulator said further licences will follow once applicants meet its compliance rules.',
        ],
      }),
    });
    feeds.set('/feed/', {
      body: wordpressRss({ title: 'Policy Wire', url: feeds.origin }, [
        {
          title: 'Hong Kong grants first stablecoin licences to HSBC and Standard Chartered',
          link,
          guid: `${feeds.origin}/?p=2`,
          date: new Date().toISOString(),
          summaryHtml: '<p>The HKMA granted the first licences',
        },
      ]),
    });

    const draft = await waitFor(() => events.find((e) => e.kind === 'draft'), {
      what: 'the draft announcement',
    });
    expect(draft).toMatchObject({
      sourceId: 'policy-wire',
      title: expect.stringContaining('Hong Kong'),
      relevance: expect.stringMatching(/^relevance \d+/),
    });
    const storyId = draft.kind === 'draft' ? draft.storyId : '';
    expect(telegram.messages(CHANNEL)).toHaveLength(0);

    // "Post now", as the editor bot's button does it.
    const posted = await app.services.desk.schedule(
      storyId,
      { mode: 'now' },
      { kind: 'editor', id: 7, name: '@editor' },
    );
    expect(posted.ok).toBe(true);

    await expectPhotoPostAndImageThread({
      app,
      telegram,
      x,
      channel: CHANNEL,
      storyId: storyId,
      imageUrl: feeds.url('/uploads/hk.png'),
      title: 'Hong Kong grants first stablecoin licences',
    });

    // The same story from a second outlet, in other words: linked, never posted.
    feeds.set('/atom.xml', {
      contentType: 'application/atom+xml',
      body: atomFeed({ title: 'Asia Ledger', url: 'https://asialedger.example.com' }, [
        {
          title: 'HSBC, Standard Chartered win first Hong Kong stablecoin licenses',
          link: 'https://asialedger.example.com/hk-stablecoin-licenses/amp/',
          date: new Date().toISOString(),
          summaryHtml: `<p>${'The Hong Kong Monetary Authority granted stablecoin licences under its new regulation to HSBC and Standard Chartered. '.repeat(5)}</p>`,
        },
      ]),
    });
    const duplicate = await waitFor(() => events.find((e) => e.kind === 'duplicate'), {
      what: 'the duplicate link',
    });
    expect(duplicate, JSON.stringify(events)).toMatchObject({ storyId, sourceId: 'asia-ledger' });
    const history = (await app.services.store.history(storyId)).map((h) => h.action);
    expect(history).toEqual(
      expect.arrayContaining([expect.stringMatching(/^same story also reported by Asia Ledger/)]),
    );
    expect(events.filter((e) => e.kind === 'draft' || e.kind === 'scheduled')).toHaveLength(1);
    // Nothing more goes out: the second outlet is polled again (so a later look at its item is done too)
    // and no publication is left to run.
    const polls = feeds.requests('/atom.xml').length;
    await waitFor(() => feeds.requests('/atom.xml').length >= polls + 2 || undefined, {
      what: 'two more polls of the second outlet',
    });
    await waitFor(
      async () => {
        const { queues } = app.services;
        const counts = await Promise.all(
          queues
            .destinations()
            .map((d) => queues.queue(d).getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
        );
        return counts.every((c) => Object.values(c).every((n) => n === 0)) || undefined;
      },
      { what: 'no publication left to run' },
    );
    expect(telegram.messages(CHANNEL)).toHaveLength(1);
    expect(x.threads()).toHaveLength(1);
  });
});
