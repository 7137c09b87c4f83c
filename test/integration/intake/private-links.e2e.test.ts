import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeEvent } from '../../../src/app/desk.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../../src/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { articlePage, TINY_PNG, wordpressRss } from '../../support/feed-fixtures.js';
import { type FeedServer, startFeedServer } from '../../support/feed-server.js';
import { writeIntakeConfig } from '../../support/intake-harness.js';
import { deletePrefix, testRedis, uniquePrefix } from '../../support/redis.js';
import { standInEnv } from '../../support/stand-in-env.js';
import { waitFor } from '../../support/wait-for.js';

// Outside the sandbox regwire fetches no link that leads into a private network: a feed item pointing at
// an internal address still becomes a draft from the feed's own text, but its page and image are never
// requested. The configured feed URL itself is the operator's choice and is fetched wherever it is.
describe('feed intake outside the sandbox, with links into a private network', () => {
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let feeds: FeedServer;
  let app: App;
  let redis: Redis;
  let removeConfig: (() => void) | undefined;
  const prefix = uniquePrefix('private-links');
  const events: IntakeEvent[] = [];

  beforeAll(async () => {
    telegram = await startTelegramStandIn();
    x = await startXStandIn();
    feeds = await startFeedServer();
    redis = testRedis();
    feeds.set('/feed/', { body: wordpressRss({ title: 'Policy Wire', url: feeds.origin }, []) });
    const written = writeIntakeConfig({
      sources: {
        'policy-wire': { url: feeds.url('/feed/'), name: 'Policy Wire', mode: 'review', pollEveryMs: 300 },
      },
      fetch: { timeoutMs: 2_000 },
    });
    removeConfig = written.remove;
    const env = standInEnv({ prefix, configDir: written.dir, telegram, x, privateLinks: 'block' });
    const config = loadConfig({ env });
    expect(config.sandbox).toBe(false);
    app = await startApp(config, silentLogger, { roles: { workers: false, web: false, maintenance: true } });
    app.services.desk.onIntake((e) => {
      events.push(e);
    });
    await app.services.intake.whenSubscribed();
  });

  afterAll(async () => {
    await app?.close();
    await deletePrefix(redis, prefix);
    redis?.disconnect();
    await Promise.all([telegram?.close(), x?.close(), feeds?.close()]);
    removeConfig?.();
  });

  it('drafts the item from the feed text and never requests its page or image', async () => {
    feeds.set('/internal/article', {
      contentType: 'text/html',
      body: articlePage({
        title: 'MiCA: ESMA publishes final guidelines on crypto-asset service providers',
        imageUrl: '/internal/photo.png',
        paragraphs: ['Internal text that must never be fetched.'],
      }),
    });
    feeds.set('/internal/photo.png', { body: TINY_PNG, contentType: 'image/png' });
    feeds.set('/feed/', {
      body: wordpressRss({ title: 'Policy Wire', url: feeds.origin }, [
        {
          title: 'MiCA: ESMA publishes final guidelines on crypto-asset service providers',
          link: feeds.url('/internal/article'),
          guid: `${feeds.origin}/?p=9`,
          date: new Date().toISOString(),
          summaryHtml:
            '<p>ESMA on Tuesday published its final guidelines for crypto-asset service providers under MiCA, covering suitability checks and transfer services.</p>',
          imageUrl: feeds.url('/internal/photo.png'),
        },
      ]),
    });

    const draft = await waitFor(() => events.find((e) => e.kind === 'draft'), { what: 'the draft' });
    const record = await app.services.store.get(draft.kind === 'draft' ? draft.storyId : '');
    expect(record?.story.title).toContain('ESMA publishes final guidelines');
    expect(record?.story.body).toContain('suitability checks');
    expect(record?.story.imageUrl).toBeUndefined();
    expect(feeds.requests('/internal/article')).toHaveLength(0);
    expect(feeds.requests('/internal/photo.png')).toHaveLength(0);
    expect(feeds.requests('/feed/').length).toBeGreaterThan(0);
  });
});
