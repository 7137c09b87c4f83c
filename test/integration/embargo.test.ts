import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { createDeskServices, type DeskServices } from '../../src/app/desk-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/util/logger.js';

const editor = { kind: 'editor', id: 42, name: '@alice' } as const;
const HOUR_MS = 3_600_000;

// An embargo is a time before which nothing of a story may go out, on any destination, whatever starts it.
describe('embargo on the desk', () => {
  let redis: Redis;
  let prefix: string;
  let services: DeskServices;
  // A weekday morning in the real clock's future, so slots and quiet hours are the same every run.
  const now = Date.parse('2030-01-08T08:00:00Z');

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(() => redis.disconnect());
  afterEach(async () => {
    await services?.close();
    await deletePrefix(redis, prefix);
  });

  function start() {
    prefix = uniquePrefix('embargo');
    const config = loadConfig({ env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix } });
    services = createDeskServices(config, redis, silentLogger, { now: () => now });
    return services.desk;
  }

  const story = (n: number, extra: Record<string, unknown> = {}) => ({
    title: `MiCA register update number ${n}`,
    body: `ESMA adds licensed firms ${n}.`,
    url: `https://news.example.com/mica-${n}`,
    ...extra,
  });

  it('a story file may carry an embargo: Post now and Breaking are planned after it, on every destination', async () => {
    const desk = start();
    const until = new Date(now + 5 * HOUR_MS).toISOString();
    const draft = await desk.createDraft(story(1, { embargo: until.replace('Z', '+00:00') }), editor);
    if (!draft.ok) throw new Error(draft.error);
    expect(draft.value.story.embargoUntil).toBe(until);
    for (const w of draft.value.wouldPublish ?? []) expect(w.atMs).toBeGreaterThanOrEqual(now + 5 * HOUR_MS);
    for (const mode of ['now', 'breaking'] as const) {
      const scheduled = await desk.schedule(draft.value.story.id, { mode }, editor);
      if (!scheduled.ok) throw new Error(scheduled.error);
      for (const d of scheduled.value.destinations) {
        expect(d.embargoUntilMs).toBe(now + 5 * HOUR_MS);
        expect(d.atMs).toBeGreaterThanOrEqual(now + 5 * HOUR_MS);
      }
    }
  });

  it('an embargo set after scheduling moves what falls inside it, and says so in the history', async () => {
    const desk = start();
    const draft = await desk.createDraft(story(2), editor);
    if (!draft.ok) throw new Error(draft.error);
    const id = draft.value.story.id;
    await desk.schedule(id, { mode: 'at', atMs: now + HOUR_MS }, editor);
    const embargoed = await desk.embargo(id, now + 6 * HOUR_MS, editor);
    if (!embargoed.ok) throw new Error(embargoed.error);
    for (const d of embargoed.value.destinations) {
      expect(d.state).toBe('scheduled');
      expect(d.atMs).toBeGreaterThanOrEqual(now + 6 * HOUR_MS);
    }
    expect(embargoed.value.history.at(-1)?.action).toMatch(
      /^embargo until .*\(moved telegram, x to after it\)/,
    );
    // changeDelay counts from the call: the job waits at least the 5 hours to the embargo's end.
    const job = await services.queues.queue('telegram').getJob(`${id}-telegram`);
    expect(await job?.isDelayed()).toBe(true);
    expect(job?.delay).toBeGreaterThanOrEqual(5 * HOUR_MS);
    // Lifting it keeps the times (now after the old embargo) and records who lifted it.
    const lifted = await desk.embargo(id, null, editor);
    if (!lifted.ok) throw new Error(lifted.error);
    expect(lifted.value.destinations.every((d) => d.embargoUntilMs === undefined)).toBe(true);
    expect(lifted.value.history.at(-1)?.action).toMatch(/^embargo lifted/);
  });

  it('a story file with an embargo that is not a time is refused, saying what is expected', async () => {
    const desk = start();
    const draft = await desk.createDraft(story(3, { embargo: 'tomorrow morning' }), editor);
    expect(draft).toMatchObject({ ok: false, error: expect.stringContaining('embargo must be an ISO time') });
  });
});
