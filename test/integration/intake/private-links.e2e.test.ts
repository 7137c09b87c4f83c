import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePage, TINY_PNG, wordpressRss } from '../../../harness/feed-fixtures.js';
import { uniquePrefix } from '../../../harness/redis.js';
import { type IntakeRig, startIntakeRig } from '../../support/intake-harness.js';
import { waitFor } from '../../support/wait-for.js';

// Outside the sandbox regwire fetches no link that leads into a private network: a feed item pointing at
// an internal address still becomes a draft from the feed's own text, but its page and image are never
// requested. The configured feed URL itself is the operator's choice and is fetched wherever it is.
describe('feed intake outside the sandbox, with links into a private network', () => {
  let rig: IntakeRig;

  beforeAll(async () => {
    rig = await startIntakeRig({
      prefix: uniquePrefix('private-links'),
      roles: { workers: false, web: false, maintenance: true },
      privateLinks: 'block',
      prepare: (feeds) => {
        feeds.set('/feed/', { body: wordpressRss({ title: 'Policy Wire', url: feeds.origin }, []) });
        return {
          sources: {
            'policy-wire': {
              url: feeds.url('/feed/'),
              name: 'Policy Wire',
              mode: 'review',
              pollEveryMs: 300,
            },
          },
          fetch: { timeoutMs: 2_000 },
        };
      },
    });
    expect(rig.app.sandbox).toBeUndefined();
  });

  afterAll(async () => rig?.close());

  it('drafts the item from the feed text and never requests its page or image', async () => {
    const { feeds, app, events } = rig;
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
