import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../../harness/redis.js';
import { startRedisSentinel, type TestRedisSentinel } from '../../harness/redis-topology.js';
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
  standInEnv,
  writeDeliveryConfig,
} from '../support/delivery-harness.js';
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

// regwire behind Sentinel (a primary, its replica, one sentinel with quorum 1, started here): a forced
// failover mid-run moves every connection to the new primary, and nothing is lost or posted twice.
describe('regwire behind Redis Sentinel', () => {
  let topology: TestRedisSentinel;
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let app: App;
  let removeConfig: () => void;
  const prefix = uniquePrefix('sentinel');

  beforeAll(async () => {
    [topology, telegram, x] = await Promise.all([
      startRedisSentinel(),
      startTelegramStandIn({ floodLimits: false }),
      startXStandIn(),
    ]);
    // With its only replica promoted, the new primary has none until the sentinel turns the old primary
    // into one (its next look, up to 10 s): sends wait meanwhile (no `sending` mark without a replica),
    // retried with a backoff that outlasts that.
    const written = writeDeliveryConfig({
      backoffMs: 400,
      concurrency: 2,
      telegramRate: { perMinute: 600, minIntervalMs: 100 },
      xRate: { windowMs: 900_000, perWindow: 200, perDay: 2_400, minIntervalMs: 60 },
    });
    removeConfig = written.remove;
    const { REDIS_URL: _oneServer, ...env } = standInEnv({
      redisUrl: 'unused',
      prefix,
      configDir: written.dir,
      telegram,
      x,
    });
    const config = loadConfig({
      env: { ...env, REDIS_SENTINELS: topology.sentinelsEnv, REDIS_SENTINEL_NAME: topology.name },
    });
    expect(config.redis.kind).toBe('sentinel');
    app = await startApp(config, silentLogger, {
      roles: { workers: true, web: false, maintenance: true },
      shutdownGraceMs: 1_000,
      // BullMQ's own writes (a job's completion, its lock) made on the old primary after the promotion
      // are lost with it: such a job is recovered as stalled, after its lock's life.
      // (The lock's life is also the publication lease's: renewals lost with the old primary must not let
      // it run out before the next one lands on the new primary.)
      stalledJobs: { lockDurationMs: 5_000, stalledIntervalMs: 1_000 },
    });
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([telegram?.close(), x?.close()]);
    await topology?.close();
    removeConfig?.();
  });

  it('publishes every story once with whole threads across a forced failover', async () => {
    const startedAt = Date.now();
    const services = app.services;
    const ids = await queueStories(services, STORIES, `sentinel-${prefix}`);
    await waitFor(() => x.tweets().length >= 8, { timeoutMs: 20_000, what: 'publishing to get going' });
    const tweetsBefore = x.tweets().length;
    const before = await topology.primaryPort();
    const after = await topology.failover();
    expect(after).not.toBe(before);

    // Every story's record read back whole: a connection still on the demoted primary (resyncing,
    // empty for a moment) would see nothing, which is not "settled".
    const settled = async () =>
      (await allSettled(services, ids)) &&
      (await Promise.all(ids.map((id) => services.store.publications(id)))).every((p) => p.length === 2);
    await waitFor(settled, {
      timeoutMs: 25_000,
      intervalMs: 200,
      what: 'every story to settle after the failover',
    }).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await unsettled(services, ids)}`);
    });
    console.info(
      `redis sentinel: failover ${before} → ${after} after ${tweetsBefore} tweets; ` +
        `settled ${Date.now() - startedAt} ms after the first story`,
    );
    await expectEachStoryPublishedOnce(services, ids, telegram, x, () => 4);
    expect(await app.metrics.registry.metrics()).toMatch(
      /regwire_redis_replica_waits_total\{outcome="replicated"\} [1-9]/,
    );
  }, 45_000);
});
