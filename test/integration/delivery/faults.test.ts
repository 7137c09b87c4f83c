import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { sweep } from '../../../jobs/maintenance.job.js';
import { publishJobId } from '../../../jobs/publish-queues.js';
import { createDeskServices } from '../../../src/app/desk-services.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import type { Config } from '../../../src/config/config.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Alert } from '../../../src/ports/alert-bus.js';
import {
  startTelegramStandIn,
  type TelegramStandIn,
  type TelegramStandInOptions,
} from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn, type XStandInOptions } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  allSettled,
  auditStories,
  type DeliveryTestConfig,
  deliveryStory,
  LIMITS_OFF,
  orphanedReplies,
  queueStories,
  SYSTEM_ACTOR,
  standInEnv,
  writeDeliveryConfig,
} from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { standInClient } from '../../support/x-fixtures.js';

const WORKERS_ONLY = { workers: true, web: false, maintenance: false } as const;

interface Rig {
  readonly app: App;
  readonly telegram: TelegramStandIn;
  readonly x: XStandIn;
  readonly prefix: string;
  readonly config: Config;
  /** X requests as the stand-in answered them, with the time they were answered. */
  readonly xRequests: { route: string; status: number; fault?: string; at: number }[];
  readonly tweetTimes: number[];
  readonly postTimes: number[];
}

// Real delivery against the stand-ins over loopback and the test Redis, with limits and backoff shortened.
describe('delivery under platform faults', () => {
  let redis: Redis;
  const rigs: { rig: Rig; close: () => Promise<void> }[] = [];

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(() => redis.disconnect());
  afterEach(async () => {
    for (const { close } of rigs.splice(0)) await close();
  });

  async function rig(
    deliveryConfig: DeliveryTestConfig,
    opts: {
      telegram?: TelegramStandInOptions;
      x?: XStandInOptions;
      telegramChannel?: string;
      xApiRoot?: string;
    } = {},
  ): Promise<Rig> {
    const telegram = await startTelegramStandIn({ floodLimits: false, ...opts.telegram });
    const x = await startXStandIn({ windowMs: 1_500, ...opts.x });
    const prefix = uniquePrefix('faults');
    const { dir, remove } = writeDeliveryConfig(deliveryConfig);
    const env = standInEnv({
      redisUrl: TEST_REDIS_URL,
      prefix,
      configDir: dir,
      telegram,
      x,
      ...(opts.telegramChannel ? { telegramChannel: opts.telegramChannel } : {}),
    });
    if (opts.xApiRoot) env.X_API_ROOT = opts.xApiRoot;
    const config = loadConfig({ env });
    const app = await startApp(config, silentLogger, { roles: WORKERS_ONLY, shutdownGraceMs: 500 });
    const r: Rig = { app, telegram, x, prefix, config, xRequests: [], tweetTimes: [], postTimes: [] };
    x.onEvent((e) => {
      if (e.type === 'request')
        r.xRequests.push({
          route: e.route,
          status: e.status,
          at: Date.now(),
          ...(e.fault ? { fault: e.fault } : {}),
        });
      if (e.type === 'tweet-created') r.tweetTimes.push(Date.now());
    });
    telegram.onEvent((e) => {
      if (e.type === 'message-posted') r.postTimes.push(Date.now());
    });
    rigs.push({
      rig: r,
      close: async () => {
        await app.close();
        await telegram.close();
        await x.close();
        await deletePrefix(redis, prefix);
        remove();
      },
    });
    return r;
  }

  it('with 429s, 5xx, resets and timeouts on a share of calls, every thread is whole and nothing is posted twice', async () => {
    // The request timeout is what turns a timeout-after fault into a lost outcome; it must not fire on a
    // call a loaded machine merely answers late (on Telegram that would leave one more post for an editor).
    const r = await rig({ ...LIMITS_OFF, requestTimeoutMs: 1_500, backoffMs: 30, attempts: 10 });
    // Each Telegram fault hits exactly one sendMessage, in this order, so every branch provably runs:
    // a retry (429, 500) and an outcome lost before (drop-before) or after (drop-after, timeout-after) posting.
    const telegramFaults = ['http-429', 'http-500', 'drop-before', 'drop-after', 'timeout-after'] as const;
    for (const kind of telegramFaults) {
      r.telegram.faults.add({ method: 'sendMessage', kind, times: 1, retryAfterSec: 1 });
    }
    for (const kind of [
      'http-429',
      'http-503',
      'http-500',
      'drop-before',
      'drop-after',
      'timeout-after',
    ] as const) {
      r.x.faults.add({ method: 'POST /2/tweets', kind, probability: 0.1, times: 3 });
    }
    const ids = await queueStories(r.app.services, 12, 'mix');
    // 7 s on a quiet machine; a loaded CI run (two cores, a parallel test file) took more than 25 s.
    await waitFor(() => allSettled(r.app.services, ids), {
      timeoutMs: 60_000,
      what: 'every publication to settle',
    });

    const audits = await auditStories(r.app.services, ids, r.telegram, r.x);
    for (const a of audits) {
      // X: unknown outcomes are reconciled against the timeline, so every thread completes exactly once.
      expect(a, `x ${a.storyId}`).toMatchObject({
        xState: 'published',
        tweets: 4,
        chainComplete: true,
        ledgerMatches: true,
      });
      // Telegram cannot be searched: a post whose outcome was lost waits for an editor, never resent.
      if (a.telegramState === 'published') expect(a.telegramPosts, `telegram ${a.storyId}`).toBe(1);
      else {
        expect(a, `telegram ${a.storyId}`).toMatchObject({
          telegramState: 'needs-attention',
          telegramUnknownParts: 1,
        });
      }
    }
    // Every Telegram fault fired, so both branches ran: the after-posting faults left exactly one post each
    // behind an unknown outcome, drop-before none; everything else was published exactly once.
    expect(r.telegram.faults.list()).toEqual([]);
    const waiting = audits.filter((a) => a.telegramState === 'needs-attention');
    expect(waiting.filter((a) => a.telegramPosts === 1)).toHaveLength(2);
    expect(waiting.filter((a) => a.telegramPosts === 0).length).toBeGreaterThanOrEqual(1);
    expect(waiting.every((a) => a.telegramPosts <= 1)).toBe(true);
    expect(audits.filter((a) => a.telegramState === 'published').length).toBeGreaterThan(0);
    expect(r.telegram.messages('@regwire_sandbox')).toHaveLength(
      audits.reduce((sum, a) => sum + a.telegramPosts, 0),
    );
    expect(orphanedReplies(r.x)).toEqual([]);
    // Each X fault kind really happened during the run.
    const hit = new Set(r.xRequests.map((q) => q.fault).filter(Boolean));
    expect([...hit].sort()).toEqual([
      'drop-after',
      'drop-before',
      'http-429',
      'http-500',
      'http-503',
      'timeout-after',
    ]);
  }, 80_000);

  it('an outcome lost after the write: X finds the tweet and goes on; Telegram asks an editor and does not resend', async () => {
    const r = await rig({ ...LIMITS_OFF, requestTimeoutMs: 300 });
    r.telegram.faults.add({ method: 'sendMessage', kind: 'timeout-after', times: 1 });
    r.x.faults.add({ method: 'POST /2/tweets', kind: 'drop-after', times: 1 });
    const [id = ''] = await queueStories(r.app.services, 1, 'lost');
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the story to settle' });

    const [audit] = await auditStories(r.app.services, [id], r.telegram, r.x);
    expect(audit).toMatchObject({ xState: 'published', tweets: 4, chainComplete: true, ledgerMatches: true });
    expect(r.xRequests.filter((q) => q.route === 'POST /2/tweets')).toHaveLength(4);
    expect(r.xRequests.some((q) => q.route === 'GET /2/users/:id/tweets')).toBe(true);

    expect(audit).toMatchObject({
      telegramState: 'needs-attention',
      telegramUnknownParts: 1,
      telegramPosts: 1,
    });
    expect(r.telegram.calls('sendMessage')).toHaveLength(1);
    const [part] = await r.app.services.store.parts(id, 'telegram');
    expect(part).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/may have been posted/) });
  });

  it('permanent refusals fail at once with the platform reason; connection refused is retried, then given up', async () => {
    // A channel the bot cannot find, and an X API root where nothing listens.
    const closed = await startXStandIn();
    const deadRoot = closed.apiRoot;
    await closed.close();
    const r = await rig(
      { ...LIMITS_OFF, attempts: 3, backoffMs: 30 },
      { telegramChannel: '@nowhere_channel', xApiRoot: deadRoot },
    );
    const [id = ''] = await queueStories(r.app.services, 1, 'refused');
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the story to settle' });
    const pubs = new Map((await r.app.services.store.publications(id)).map((p) => [p.destination, p]));
    expect(pubs.get('telegram')).toMatchObject({
      state: 'failed',
      reason: 'part 1: permanent: Bad Request: chat not found',
    });
    expect(r.telegram.calls('sendMessage')).toHaveLength(1);
    expect(pubs.get('x')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/gave up after 3 attempts: ECONNREFUSED/),
    });
  });

  it('a tweet X refuses as a duplicate is the earlier post: adopted, never resent; a 5xx is retried with growing backoff', async () => {
    const r = await rig({ ...LIMITS_OFF, backoffMs: 200, attempts: 6 });
    // Story 1's opening tweet is already on the account (an earlier attempt posted it): X refuses the
    // duplicate, which proves it landed, so the job finds it and goes on from it.
    const first = await r.app.services.desk.createDraft(deliveryStory(7, 'perm'), SYSTEM_ACTOR);
    if (!first.ok) throw new Error(first.error);
    const earlier = await standInClient(r.x).v2.tweet(first.value.rendered.x[0]?.text ?? '');
    const dupId = first.value.story.id;
    await r.app.services.desk.schedule(dupId, { mode: 'now' }, SYSTEM_ACTOR, ['x']);
    await waitFor(() => allSettled(r.app.services, [dupId], ['x']), { what: 'the duplicate to settle' });
    const [dupAudit] = await auditStories(r.app.services, [dupId], undefined, r.x);
    expect(dupAudit).toMatchObject({ xState: 'published', chainComplete: true });
    expect((await r.app.services.store.parts(dupId, 'x'))[0]).toMatchObject({
      state: 'sent',
      remoteId: earlier.data.id,
    });
    const tweets = r.xRequests.filter((q) => q.route === 'POST /2/tweets');
    // Ours above, the one refused, then the rest of the thread replying to the earlier tweet.
    expect(tweets.map((q) => q.status)).toEqual([201, 403, ...Array(tweets.length - 2).fill(201)]);

    r.xRequests.length = 0;
    r.x.faults.add({ method: 'POST /2/tweets', kind: 'http-503', times: 3 });
    const [id = ''] = await queueStories(r.app.services, 1, 'transient', ['x']);
    await waitFor(() => allSettled(r.app.services, [id], ['x']), { what: 'the retried story' });
    const [audit] = await auditStories(r.app.services, [id], undefined, r.x);
    expect(audit).toMatchObject({ xState: 'published', chainComplete: true, tweets: 4 });
    const posts = r.xRequests.filter((q) => q.route === 'POST /2/tweets');
    expect(posts.map((q) => q.status)).toEqual([503, 503, 503, 201, 201, 201, 201]);
    // Exponential backoff with 50 % jitter: the k-th retry waits within [0.5, 1] x 200 ms x 2^(k-1).
    const gaps = [1, 2, 3].map((k) => (posts[k]?.at ?? 0) - (posts[k - 1]?.at ?? 0));
    gaps.forEach((gap, k) => {
      expect(gap).toBeGreaterThanOrEqual(100 * 2 ** k - 15);
    });
    expect(gaps[2]).toBeGreaterThan(gaps[0] ?? 0);
  });

  it('a 429 from Telegram pauses Telegram only: X keeps publishing', async () => {
    const r = await rig(LIMITS_OFF);
    r.telegram.faults.add({ method: 'sendMessage', kind: 'http-429', times: 1, retryAfterSec: 3 });
    const started = Date.now();
    const ids = await queueStories(r.app.services, 5, 'pause');
    await waitFor(() => allSettled(r.app.services, ids), { timeoutMs: 15_000, what: 'every publication' });
    const audits = await auditStories(r.app.services, ids, r.telegram, r.x);
    expect(audits.every((a) => a.telegramPosts === 1 && a.chainComplete && a.tweets === 4)).toBe(true);
    const lastTweet = Math.max(...r.tweetTimes);
    const firstPost = Math.min(...r.postTimes);
    // Telegram waited as told (3 s) ...
    expect(firstPost - started).toBeGreaterThanOrEqual(2_900);
    // ... while every thread went out meanwhile.
    expect(lastTweet).toBeLessThan(firstPost);
    expect(lastTweet - started).toBeLessThan(2_500);
  });

  it('many stories due at the same instant all go out', async () => {
    const r = await rig(LIMITS_OFF, { x: { perWindow: 10_000, perDay: 10_000 } });
    const services = r.app.services;
    const ids: string[] = [];
    for (let n = 1; n <= 40; n++) {
      const d = await services.desk.createDraft(deliveryStory(n, 'instant'), SYSTEM_ACTOR);
      if (!d.ok) throw new Error(d.error);
      ids.push(d.value.story.id);
    }
    // Far enough ahead that scheduling 40 stories on a busy machine finishes before the instant.
    const at = Date.now() + 5_000;
    for (const id of ids) {
      const s = await services.desk.schedule(id, { mode: 'at', atMs: at }, SYSTEM_ACTOR);
      if (!s.ok) throw new Error(s.error);
      expect(s.value.destinations.every((p) => p.atMs === at)).toBe(true);
    }
    await waitFor(() => allSettled(services, ids), { timeoutMs: 20_000, what: 'all 40 stories' });
    const audits = await auditStories(services, ids, r.telegram, r.x);
    expect(audits.filter((a) => a.telegramPosts !== 1 || !a.chainComplete || a.tweets !== 4)).toEqual([]);
    expect(Math.min(...r.postTimes, ...r.tweetTimes)).toBeGreaterThanOrEqual(at - 5);
  }, 30_000);

  it('the sweep settles a publication whose job failed while its worker died before recording it', async () => {
    const r = await rig({ ...LIMITS_OFF, attempts: 1 }, { telegramChannel: '@nowhere_channel' });
    const [id = ''] = await queueStories(r.app.services, 1, 'unrecorded');
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the story to settle' });
    // As if the worker died between the job failing and the failure being written down.
    await r.app.services.store.transition(id, 'telegram', {
      from: ['failed'],
      to: 'publishing',
      at: new Date().toISOString(),
    });
    const alerts: Alert[] = [];
    const later = () => Date.now() + 3 * 60_000;
    const shifted = createDeskServices(r.config, redis, silentLogger, { now: later });
    try {
      const result = await sweep({
        ...shifted,
        alerts: { publish: async (a) => void alerts.push(a), subscribe: () => () => undefined },
        logger: silentLogger,
        now: later,
      });
      expect(result).toEqual({ requeued: [], settled: [`${id}-telegram`], expired: [] });
    } finally {
      await shifted.close();
    }
    const pub = (await r.app.services.store.publications(id)).find((p) => p.destination === 'telegram');
    expect(pub).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^job ended: .*chat not found/),
    });
    expect(alerts).toEqual([
      expect.objectContaining({ storyId: id, destination: 'telegram', kind: 'failed' }),
    ]);
    expect(r.telegram.calls('sendMessage')).toHaveLength(1);
  });

  it('the sweep re-queues a due publication whose job was lost', async () => {
    const r = await rig(LIMITS_OFF);
    // Workers are paused while the job disappears, as after a restore from an old Redis snapshot.
    for (const q of ['telegram', 'x']) await r.app.services.queues.queue(q).pause();
    const [id = ''] = await queueStories(r.app.services, 1, 'sweep');
    for (const dest of ['telegram', 'x']) {
      await (await r.app.services.queues.queue(dest).getJob(publishJobId(id, dest)))?.remove();
    }
    // The sweep only acts on publications overdue by 2 minutes: run it on a clock 3 minutes ahead.
    const later = () => Date.now() + 3 * 60_000;
    const shifted = createDeskServices(r.config, redis, silentLogger, { now: later });
    try {
      const result = await sweep({ ...shifted, logger: silentLogger, now: later });
      expect(result.requeued.sort()).toEqual([`${id}-telegram`, `${id}-x`]);
    } finally {
      await shifted.close();
    }
    for (const q of ['telegram', 'x']) await r.app.services.queues.queue(q).resume();
    await waitFor(() => allSettled(r.app.services, [id]), { what: 'the swept story' });
    const [audit] = await auditStories(r.app.services, [id], r.telegram, r.x);
    expect(audit).toMatchObject({ telegramPosts: 1, chainComplete: true, tweets: 4, xState: 'published' });
  });
});
