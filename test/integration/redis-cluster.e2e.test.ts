import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordpressRss } from '../../harness/feed-fixtures.js';
import { uniquePrefix } from '../../harness/redis.js';
import { startRedisCluster, type TestRedisCluster } from '../../harness/redis-topology.js';
import { MAINTENANCE_QUEUE } from '../../jobs/maintenance.job.js';
import { createRedis, type RedisClient } from '../../src/adapters/redis/redis-connection.js';
import { bullPrefix, redisKeys } from '../../src/adapters/redis/redis-keys.js';
import type { DeskServices } from '../../src/app/desk-services.js';
import { type App, startApp } from '../../src/app/start-app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../src/util/logger.js';
import {
  allSettled,
  expectEachStoryPublishedOnce,
  queueStories,
  SYSTEM_ACTOR,
  standInEnv,
  writeDeliveryConfig,
} from '../support/delivery-harness.js';
import { type FeedServer, startFeedServer } from '../support/feed-server.js';
import { waitFor } from '../support/wait-for.js';

const STORIES = 8;

/** What a run that did not settle left behind: each story's states and parts, each queue's jobs. */
async function unsettled(services: DeskServices, ids: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const id of ids) {
    const pubs = await services.store.publications(id);
    const parts = await services.store.parts(id, 'x');
    lines.push(
      `${id}: ${pubs.map((p) => `${p.destination} ${p.state}${p.reason ? ` (${p.reason})` : ''}`).join(', ')}; x parts ${parts.map((p) => p.state).join(' ')}`,
    );
  }
  for (const d of services.queues.destinations()) {
    lines.push(`${d} jobs: ${JSON.stringify(await services.queues.queue(d).getJobCounts())}`);
    for (const job of await services.queues.queue(d).getFailed())
      lines.push(`${d} failed job ${job.id}: ${job.failedReason}`);
  }
  return lines.join('\n');
}

// regwire on a real Redis Cluster (3 primaries, 3 replicas, started here): the whole publish flow, an
// editor's action and the periodic jobs, keys spread over the primaries by their hash tags, and a
// primary failing over mid-run without losing or repeating a post.
describe('regwire on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let app: App;
  let feeds: FeedServer;
  let inspect: RedisClient;
  let removeConfig: () => void;
  const prefix = uniquePrefix('cluster');

  beforeAll(async () => {
    [cluster, telegram, x, feeds] = await Promise.all([
      startRedisCluster({ primaries: 3, replicas: 1 }),
      startTelegramStandIn({ floodLimits: false }),
      startXStandIn(),
      startFeedServer(),
    ]);
    feeds.set('/feed/', {
      body: wordpressRss({ title: 'Policy Wire', url: feeds.origin }, [
        {
          title: 'SEC sues crypto exchange over unregistered securities offerings',
          link: feeds.url('/2026/12/sec-sues-exchange/'),
          guid: `${feeds.origin}/?p=7`,
          date: new Date().toISOString(),
          summaryHtml:
            '<p>The Securities and Exchange Commission sued a crypto exchange, saying it offered unregistered securities and must register with the regulator.</p>',
        },
      ]),
    });
    const written = writeDeliveryConfig({
      concurrency: 2,
      telegramRate: { perMinute: 600, minIntervalMs: 100 },
      xRate: { windowMs: 900_000, perWindow: 200, perDay: 2_400, minIntervalMs: 60 },
    });
    removeConfig = written.remove;
    // One feed, polled often, whose drafts wait for an editor (nothing of it is published here).
    writeFileSync(
      path.join(written.dir, 'sources.json'),
      JSON.stringify({
        sources: {
          'policy-wire': { url: feeds.url('/feed/'), name: 'Policy Wire', mode: 'review', pollEveryMs: 500 },
        },
        fetch: { timeoutMs: 2_000 },
      }),
    );
    const { REDIS_URL: _oneServer, ...env } = standInEnv({
      redisUrl: 'unused',
      prefix,
      configDir: written.dir,
      telegram,
      x,
    });
    const config = loadConfig({ env: { ...env, REDIS_CLUSTER_NODES: cluster.nodesEnv } });
    expect(config.redis.kind).toBe('cluster');
    inspect = createRedis(config.redis, 'test');
    app = await startApp(config, silentLogger, {
      roles: { workers: true, web: false, maintenance: true },
      shutdownGraceMs: 1_000,
      // A job whose lock was in flight during the failover is recovered as stalled, after its lock's life.
      stalledJobs: { lockDurationMs: 2_000, stalledIntervalMs: 1_000 },
    });
  }, 45_000);

  afterAll(async () => {
    await app?.close();
    inspect?.disconnect();
    await Promise.all([telegram?.close(), x?.close(), feeds?.close()]);
    await cluster?.close();
    removeConfig?.();
  });

  it('publishes every story once with whole threads, spreads its keys, and rides out a failover', async () => {
    const startedAt = Date.now();
    const services = app.services;
    const intakeNews: string[] = [];
    const stopNews = services.intake.subscribe((event) => {
      intakeNews.push(event.kind);
    });
    // An editor's action on the cluster: a story scheduled for tomorrow, then cancelled.
    const later = await services.desk.createDraft(
      {
        title: 'Cluster check: a story the editor cancels',
        body: 'It must never be posted anywhere at all.',
      },
      SYSTEM_ACTOR,
    );
    if (!later.ok) throw new Error('draft refused');
    const laterId = later.value.story.id;
    expect(
      (await services.desk.schedule(laterId, { mode: 'at', atMs: Date.now() + 86_400_000 }, SYSTEM_ACTOR)).ok,
    ).toBe(true);
    expect((await services.desk.cancel(laterId, SYSTEM_ACTOR)).ok).toBe(true);

    const ids = await queueStories(services, STORIES, `cluster-${prefix}`);

    // Keys sit on more than one primary: stories, pacing and queues have hash tags of their own.
    const owners = new Set(
      await Promise.all(
        [
          ...ids.map((id) => redisKeys.story(prefix, id)),
          redisKeys.paceSends(prefix, 'telegram'),
          redisKeys.paceSends(prefix, 'x'),
          `${bullPrefix(prefix, 'publish-telegram')}:publish-telegram:meta`,
          `${bullPrefix(prefix, 'publish-x')}:publish-x:meta`,
        ].map((k) => cluster.primaryOf(k)),
      ),
    );
    expect(owners.size).toBeGreaterThan(1);

    // Mid-run, the primary of the X queue hands over to its replica.
    await waitFor(() => x.tweets().length >= 8, { timeoutMs: 20_000, what: 'publishing to get going' });
    const xQueuePrimary = await cluster.primaryOf(`${bullPrefix(prefix, 'publish-x')}:publish-x:meta`);
    const tweetsBefore = x.tweets().length;
    const newPrimary = await cluster.failover(xQueuePrimary);
    expect(newPrimary).not.toBe(xQueuePrimary);
    expect(await cluster.primaryOf(`${bullPrefix(prefix, 'publish-x')}:publish-x:meta`)).toBe(newPrimary);

    await waitFor(() => allSettled(services, ids), {
      timeoutMs: 25_000,
      intervalMs: 200,
      what: 'every story to settle after the failover',
    }).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await unsettled(services, ids)}`);
    });
    console.info(
      `redis cluster: ${STORIES} stories on ${owners.size} primaries; failover of ${xQueuePrimary} → ${newPrimary} ` +
        `after ${tweetsBefore} tweets; settled ${Date.now() - startedAt} ms after the first story`,
    );
    await expectEachStoryPublishedOnce(services, ids, telegram, x, () => 4);

    // The cancelled story stayed cancelled and went nowhere.
    const cancelled = await services.store.publications(laterId);
    expect(cancelled.map((p) => p.state)).toEqual(['cancelled', 'cancelled']);
    expect(await services.queues.queue('x').getJob(`${laterId}-x`)).toBeUndefined();

    // The digest index and the periodic jobs live on the cluster too.
    const digest = await services.desk.digest('preview', SYSTEM_ACTOR);
    expect(digest.ok && digest.value.storyIds.length).toBe(STORIES);
    expect(Object.keys(await services.store.lastPublished()).sort()).toEqual(['telegram', 'x']);
    const maintenance = new Queue(MAINTENANCE_QUEUE, {
      connection: inspect,
      prefix: bullPrefix(prefix, MAINTENANCE_QUEUE),
    });
    try {
      expect((await maintenance.getJobSchedulers()).map((s) => s.key)).toContain('sweep');
    } finally {
      await maintenance.close();
    }

    // Ledger writes waited for a replica (REDIS_WAIT_REPLICAS defaults to 1 on a cluster).
    expect(await app.metrics.registry.metrics()).toMatch(
      /regwire_redis_replica_waits_total\{outcome="replicated"\} [1-9]/,
    );

    // The feed was polled on the cluster and its item drafted for the editors, who heard of it.
    await waitFor(() => intakeNews.includes('draft') || undefined, {
      timeoutMs: 10_000,
      what: 'the feed item',
    });
    stopNews();
  }, 90_000);
});

// A cluster without replicas (a common development setup) cannot fail over: with REDIS_WAIT_REPLICAS at
// its default nothing waits for a replica, and publishing runs.
describe('regwire on a Redis Cluster without replicas', () => {
  let cluster: TestRedisCluster;
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let app: App;
  let removeConfig: () => void;
  const prefix = uniquePrefix('cluster0');

  beforeAll(async () => {
    [cluster, telegram, x] = await Promise.all([
      startRedisCluster({ primaries: 3, replicas: 0 }),
      startTelegramStandIn({ floodLimits: false }),
      startXStandIn(),
    ]);
    const written = writeDeliveryConfig({ concurrency: 2 });
    removeConfig = written.remove;
    const { REDIS_URL: _oneServer, ...env } = standInEnv({
      redisUrl: 'unused',
      prefix,
      configDir: written.dir,
      telegram,
      x,
    });
    app = await startApp(
      loadConfig({ env: { ...env, REDIS_CLUSTER_NODES: cluster.nodesEnv } }),
      silentLogger,
      {
        roles: { workers: true, web: false, maintenance: false },
        shutdownGraceMs: 1_000,
      },
    );
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([telegram?.close(), x?.close()]);
    await cluster?.close();
    removeConfig?.();
  });

  it('publishes without waiting for replicas', async () => {
    const ids = await queueStories(app.services, 3, `cluster0-${prefix}`);
    await waitFor(() => allSettled(app.services, ids), {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: 'the stories',
    });
    await expectEachStoryPublishedOnce(app.services, ids, telegram, x, () => 4);
    expect(await app.metrics.registry.metrics()).not.toMatch(/regwire_redis_replica_waits_total\{/);
  }, 30_000);
});
