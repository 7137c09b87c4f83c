import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { publishJobId } from '../../jobs/publish-queues.js';
import { bullPrefix } from '../../src/adapters/redis/redis-keys.js';
import { createDeskServices, type DeskServices } from '../../src/app/desk-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Alert } from '../../src/ports/alert-bus.js';
import { silentLogger } from '../../src/util/logger.js';

// The calendar below is written for Saturday 28 Nov 2026, 10:00 in Berlin (09:00 UTC): the next slot is
// 12:00 local. The desk's clock runs in the real clock's future, on that calendar moved on by whole 52-week
// steps: same weekday, same time of day, and (for decades) still winter time.
const CALENDAR_BASE = Date.parse('2026-11-28T09:00:00Z');
const STEP_MS = 364 * 86_400_000;
const SHIFT_MS = Math.max(0, Math.ceil((Date.now() + 86_400_000 - CALENDAR_BASE) / STEP_MS)) * STEP_MS;
/** The instant a time written for the 2026-11-28 calendar falls on in the desk's week. */
const at = (iso: string): number => Date.parse(iso) + SHIFT_MS;
const isoAt = (iso: string): string => new Date(at(iso)).toISOString();
const NOW = at('2026-11-28T09:00:00Z');
const HOUR_MS = 3_600_000;
const editor = { kind: 'editor', id: 42, name: '@alice' } as const;

function story(n: number, extra: Record<string, unknown> = {}) {
  return {
    title: `SEC sues exchange number ${n}`,
    body: `The Securities and Exchange Commission filed suit ${n}. The exchange denies it.`,
    url: `https://news.example.com/sec-${n}`,
    ...extra,
  };
}

describe('the desk on Redis', () => {
  let redis: Redis;
  let prefix: string;
  let services: DeskServices;
  let now = NOW;

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(() => redis.disconnect());

  function start() {
    prefix = uniquePrefix('desk');
    now = NOW;
    const config = loadConfig({ env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix } });
    services = createDeskServices(config, redis, silentLogger, { now: () => now });
    return services.desk;
  }

  afterEach(async () => {
    await services?.close();
    await deletePrefix(redis, prefix);
  });

  it('drafts a story without scheduling it, and previews the next slot', async () => {
    const desk = start();
    const draft = await desk.createDraft(story(1), editor);
    if (!draft.ok) throw new Error(draft.error);
    const view = draft.value;
    expect(view.destinations.map((d) => [d.destination, d.state])).toEqual(
      expect.arrayContaining([
        ['telegram', 'draft'],
        ['x', 'draft'],
      ]),
    );
    expect(view.wouldPublish?.map((w) => new Date(w.atMs).toISOString())).toEqual([
      isoAt('2026-11-28T11:00:00.000Z'),
      isoAt('2026-11-28T11:00:00.000Z'),
    ]);
    expect(
      await services.queues.queue('telegram').getJob(publishJobId(view.story.id, 'telegram')),
    ).toBeUndefined();
    expect(view.history.map((h) => [h.actor.name, h.action])).toEqual([['@alice', 'drafted']]);
  });

  it('keeps each scheduled job a compact hash: no retry policy in its options', async () => {
    const desk = start();
    const draft = await desk.createDraft(story(2), editor);
    if (!draft.ok) throw new Error(draft.error);
    const scheduled = await desk.schedule(draft.value.story.id, { mode: 'next-slot' }, editor);
    expect(scheduled.ok).toBe(true);
    for (const destination of ['telegram', 'x']) {
      const jobId = publishJobId(draft.value.story.id, destination);
      const job = await services.queues.queue(destination).getJob(jobId);
      // BullMQ's own retry policy is not used (the processor retries): no backoff, no attempts.
      expect(job?.opts.backoff).toBeUndefined();
      expect(job?.opts.attempts ?? 0).toBe(0);
      // Every field of the hash within Redis's default listpack limit (64 bytes): a fraction of the
      // memory of a hashtable-encoded job (100,000 scheduled stories are a product limit).
      const key = `${bullPrefix(prefix, `publish-${destination}`)}:publish-${destination}:${jobId}`;
      expect(await redis.object('ENCODING', key)).toBe('listpack');
    }
  });

  it('refuses the same story (or the same URL with tracking) a second time, naming the first', async () => {
    const desk = start();
    const first = await desk.createDraft(story(1), editor);
    const again = await desk.createDraft(
      story(1, { url: 'https://news.example.com/sec-1?utm_source=x', title: 'Other' }),
      editor,
    );
    expect(first.ok).toBe(true);
    expect(again).toEqual({
      ok: false,
      code: 'duplicate',
      existingId: first.ok ? first.value.story.id : '',
      error: expect.stringMatching(/^already queued as [0-9a-z]{8}/),
    });
  });

  it('gives stories queued together distinct slots, and lists them soonest first', async () => {
    const desk = start();
    const ids: string[] = [];
    const scheduledFrom = Date.now();
    for (let n = 1; n <= 4; n++) {
      const d = await desk.createDraft(story(n), editor);
      if (!d.ok) throw new Error(d.error);
      const s = await desk.schedule(d.value.story.id, { mode: 'next-slot' }, editor, ['telegram']);
      if (!s.ok) throw new Error(s.error);
      ids.push(d.value.story.id);
    }
    const scheduledUntil = Date.now();
    const upcoming = await desk.upcoming({ destination: 'telegram', offset: 0, limit: 10 });
    expect(upcoming.map((u) => u.storyId)).toEqual(ids);
    // 12:00 and 17:30 today, then 08:30 and 12:00 tomorrow (Berlin).
    expect(upcoming.map((u) => new Date(u.atMs).toISOString())).toEqual([
      isoAt('2026-11-28T11:00:00.000Z'),
      isoAt('2026-11-28T16:30:00.000Z'),
      isoAt('2026-11-29T07:30:00.000Z'),
      isoAt('2026-11-29T11:00:00.000Z'),
    ]);
    const job = await services.queues.queue('telegram').getJob(publishJobId(ids[0] ?? '', 'telegram'));
    expect(await job?.getState()).toBe('delayed');
    // BullMQ runs a delayed job at its real timestamp + delay: the slot must be that far ahead of the
    // desk's clock, 2 h (10:00 -> 12:00 Berlin), not "some time after a date".
    expect(job?.delay).toBe(at('2026-11-28T11:00:00Z') - NOW);
    expect(job?.delay).toBe(2 * HOUR_MS);
    expect(job?.timestamp).toBeGreaterThanOrEqual(scheduledFrom);
    expect(job?.timestamp).toBeLessThanOrEqual(scheduledUntil);
    const page2 = await desk.upcoming({ destination: 'telegram', offset: 2, limit: 2 });
    expect(page2.map((u) => u.storyId)).toEqual(ids.slice(2));
  });

  it('schedules per destination: Telegram now, X at an exact time', async () => {
    const desk = start();
    const d = await desk.createDraft(story(5), editor);
    if (!d.ok) throw new Error(d.error);
    const id = d.value.story.id;
    await desk.schedule(id, { mode: 'now' }, editor, ['telegram']);
    const exact = at('2026-11-28T15:45:00Z');
    const view = await desk.schedule(id, { mode: 'at', atMs: exact }, editor, ['x']);
    if (!view.ok) throw new Error(view.error);
    const byDest = Object.fromEntries(view.value.destinations.map((p) => [p.destination, p]));
    expect(byDest.telegram?.atMs).toBe(NOW);
    expect(byDest.x?.atMs).toBe(exact);
    expect(view.value.history.map((h) => h.action)).toEqual([
      'drafted',
      expect.stringMatching(/^scheduled \(now\): telegram /),
      expect.stringMatching(/^scheduled \(at\): x /),
    ]);
  });

  it('refuses a time in the past and an unknown destination', async () => {
    const desk = start();
    const d = await desk.createDraft(story(6), editor);
    if (!d.ok) throw new Error(d.error);
    const past = await desk.schedule(d.value.story.id, { mode: 'at', atMs: NOW - 3_600_000 }, editor);
    expect(past.ok).toBe(false);
    const unknown = await desk.schedule(d.value.story.id, { mode: 'now' }, editor, ['mastodon']);
    expect(unknown).toEqual({
      ok: false,
      code: 'not-found',
      error: expect.stringMatching(/unknown destination mastodon/),
    });
  });

  it('cancels a scheduled story: the job and the plan entry are gone', async () => {
    const desk = start();
    const d = await desk.createDraft(story(7), editor);
    if (!d.ok) throw new Error(d.error);
    const id = d.value.story.id;
    await desk.schedule(id, { mode: 'next-slot' }, editor);
    const cancelled = await desk.cancel(id, editor);
    if (!cancelled.ok) throw new Error(cancelled.error);
    expect(cancelled.value.destinations.every((p) => p.state === 'cancelled')).toBe(true);
    expect(await services.queues.queue('x').getJob(publishJobId(id, 'x'))).toBeUndefined();
    expect(await desk.upcoming({ offset: 0, limit: 10 })).toEqual([]);
    expect((await desk.cancel(id, editor)).ok).toBe(false);
  });

  it('edits title and body before publication and re-renders; refuses once anything is posted', async () => {
    const desk = start();
    const d = await desk.createDraft(story(8), editor);
    if (!d.ok) throw new Error(d.error);
    const id = d.value.story.id;
    const edited = await desk.edit(id, { title: 'SEC drops case against exchange' }, editor);
    if (!edited.ok) throw new Error(edited.error);
    expect(edited.value.story.id).toBe(id);
    expect(edited.value.rendered.telegram[0]).toMatchObject({
      text: expect.stringContaining('SEC drops case'),
    });
    await services.store.setPart(id, 'telegram', {
      index: 0,
      state: 'sent',
      remoteId: '17',
      at: new Date(now).toISOString(),
    });
    expect(await desk.edit(id, { body: 'new' }, editor)).toEqual({
      ok: false,
      code: 'refused-state',
      error: expect.stringMatching(/already posted on telegram/),
    });
  });

  it('answers unknown and malformed ids clearly', async () => {
    const desk = start();
    expect(await desk.view('zzzzzzzz')).toEqual({
      ok: false,
      code: 'not-found',
      error: 'no story with id zzzzzzzz',
    });
    expect(await desk.view('<script>')).toMatchObject({ ok: false, code: 'invalid-input' });
    expect((await desk.view('<script>')).ok).toBe(false);
    expect((await desk.retry('zzzzzzzz', editor)).ok).toBe(false);
  });

  it('tells editors when a platform cap moves a story', async () => {
    const desk = start();
    const alerts: Alert[] = [];
    desk.onAlert((a) => {
      alerts.push(a);
    });
    await services.alerts.whenSubscribed();
    await services.pacer.recordLive('x', {
      day: { remaining: 0, resetAtMs: NOW + 5 * 3_600_000, observedAtMs: NOW },
    });
    const d = await desk.createDraft(story(9), editor);
    if (!d.ok) throw new Error(d.error);
    const view = await desk.schedule(d.value.story.id, { mode: 'now' }, editor, ['x']);
    if (!view.ok) throw new Error(view.error);
    const x = view.value.destinations.find((p) => p.destination === 'x');
    expect(x?.atMs).toBeGreaterThanOrEqual(NOW + 5 * 3_600_000);
    expect(x?.moved).toMatch(/X daily cap/);
    await expect.poll(() => alerts.length, { timeout: 10_000 }).toBe(1);
    expect(alerts[0]).toMatchObject({ kind: 'moved', destination: 'x', storyId: d.value.story.id });
  });
});
