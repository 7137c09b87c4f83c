import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { DIGEST_JOB, MAINTENANCE_QUEUE, SWEEP_JOB, startMaintenance } from '../../jobs/maintenance.job.js';
import { createDeskServices, type DeskServices } from '../../src/app/desk-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/util/logger.js';

// 28 Nov 2026, 21:30 in Berlin: after the 20:00 digest run, so the scheduled run covers 27 Nov 20:00 to
// 28 Nov 20:00, and a preview covers what was published since 20:00.
const NOW = Date.parse('2026-11-28T20:30:00Z');
const editor = { kind: 'editor', id: 7, name: '@desk' } as const;

describe('the daily digest', () => {
  let redis: Redis;
  let prefix: string;
  let services: DeskServices;

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(() => redis.disconnect());
  afterEach(async () => {
    await services?.close();
    await deletePrefix(redis, prefix);
  });

  function start() {
    prefix = uniquePrefix('digest');
    const config = loadConfig({ env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix } });
    services = createDeskServices(config, redis, silentLogger, { now: () => NOW });
    return { config, desk: services.desk };
  }

  async function published(n: number, atMs: number) {
    const d = await services.desk.createDraft(
      {
        title: `Regulator ${n} publishes stablecoin rules`,
        body: `Story ${n}.`,
        url: `https://news.example.com/${n}`,
      },
      editor,
    );
    if (!d.ok) throw new Error(d.error);
    await services.store.indexPublished(d.value.story.id, atMs);
    return d.value.story.id;
  }

  it('posts the stories of its window as one channel post and one thread, and nothing twice', async () => {
    const { desk } = start();
    await published(1, Date.parse('2026-11-27T18:00:00Z')); // before the window
    const a = await published(2, Date.parse('2026-11-28T08:00:00Z'));
    const b = await published(3, Date.parse('2026-11-28T15:00:00Z'));
    await published(4, Date.parse('2026-11-28T20:10:00Z')); // after the run time: tomorrow's digest

    const sent = await desk.digest('scheduled', { kind: 'system', name: 'daily digest' });
    if (!sent.ok) throw new Error(sent.error);
    expect(sent.value.storyIds).toEqual([a, b]);
    const post = sent.value.rendered.telegram[0];
    expect(post?.method).toBe('sendMessage');
    if (post?.method !== 'sendMessage') return;
    expect(post.text).toMatch(
      /^Crypto regulation today — Sat 28 Nov 2026\n\n• Regulator 2 .*\n• Regulator 3 /,
    );
    expect(post.entities.filter((e) => e.type === 'text_link').map((e) => e.url)).toEqual([
      'https://news.example.com/2',
      'https://news.example.com/3',
    ]);
    expect(sent.value.rendered.x[0]?.text).toContain('2 stories');
    expect(sent.value.rendered.x).toHaveLength(3);

    const upcoming = await desk.upcoming({ offset: 0, limit: 10 });
    expect(upcoming.map((u) => u.title)).toEqual([
      'Crypto regulation today — Sat 28 Nov 2026',
      'Crypto regulation today — Sat 28 Nov 2026',
    ]);
    // The same digest again is refused: it is already queued.
    expect((await desk.digest('scheduled', { kind: 'system', name: 'daily digest' })).ok).toBe(false);
  });

  it('sends nothing when nothing was published, and says so', async () => {
    const { desk } = start();
    expect(await desk.digest('send', editor)).toEqual({
      ok: false,
      code: 'nothing-to-do',
      error: 'no stories were published in the digest period; nothing to send',
    });
    expect(await desk.upcoming({ offset: 0, limit: 10 })).toEqual([]);
  });

  it('previews what was published since the last run', async () => {
    const { desk } = start();
    const late = await published(5, Date.parse('2026-11-28T20:10:00Z'));
    const preview = await desk.digest('preview', editor);
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.value.storyIds).toEqual([late]);
  });

  it('is registered as a BullMQ job scheduler at the configured time and zone, with the sweep', async () => {
    const { config } = start();
    const maintenance = await startMaintenance(
      { connection: redis, prefix, digest: config.digest, sweepEveryMs: 60_000 },
      { ...services, logger: silentLogger, now: () => NOW },
    );
    try {
      const schedulers = await maintenance.queue.getJobSchedulers();
      const byId = Object.fromEntries(schedulers.map((s) => [s.key, s]));
      expect(maintenance.queue.name).toBe(MAINTENANCE_QUEUE);
      expect(byId[DIGEST_JOB]).toMatchObject({ pattern: '0 20 * * *', tz: 'Europe/Berlin' });
      expect(byId[SWEEP_JOB]).toMatchObject({ every: 60_000 });
    } finally {
      await maintenance.close();
    }
  });

  it("counts the corrections and retractions sent in its window in the post's footer", async () => {
    const { desk } = start();
    const a = await published(1, Date.parse('2026-11-28T08:00:00Z'));
    // A story from the week before, corrected twice and retracted: what was sent in the window counts;
    // a preview nobody confirmed, a cancelled one and one from the day before do not.
    const old = await published(2, Date.parse('2026-11-20T08:00:00Z'));
    const record = (await services.store.get(old))!;
    const amendment = (id: string, kind: 'correction' | 'retraction', at: string, extra = {}) => ({
      id,
      kind,
      text: 'the vote was 3-2',
      requestedAt: at,
      requestedBy: editor,
      operations: [],
      ...extra,
    });
    await services.store.replace({
      ...record,
      amendments: [
        amendment('c1', 'correction', '2026-11-27T10:00:00.000Z'),
        amendment('c2', 'correction', '2026-11-28T09:00:00.000Z'),
        amendment('c3', 'correction', '2026-11-28T10:00:00.000Z'),
        amendment('c4', 'correction', '2026-11-28T11:00:00.000Z', { proposed: true }),
        amendment('c5', 'correction', '2026-11-28T11:30:00.000Z', { discarded: true }),
        amendment('r1', 'retraction', '2026-11-28T12:00:00.000Z'),
      ],
    });
    const sent = await desk.digest('scheduled', { kind: 'system', name: 'daily digest' });
    if (!sent.ok) throw new Error(sent.error);
    expect(sent.value.storyIds).toEqual([a]);
    const post = sent.value.rendered.telegram[0];
    if (post?.method !== 'sendMessage') throw new Error('the digest is a text post');
    expect(post.text).toMatch(/\n\n2 corrections, 1 retraction today$/);
    expect(post.entities.at(-1)).toEqual({
      type: 'italic',
      offset: post.text.length - '2 corrections, 1 retraction today'.length,
      length: '2 corrections, 1 retraction today'.length,
    });
  });
});
