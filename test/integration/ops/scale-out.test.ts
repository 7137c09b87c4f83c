import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBy, type RegwireProcess, spawnRegwire } from '../../../harness/ops-process.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { redisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { createDeskServices, type DeskServices } from '../../../src/app/desk-services.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  allSettled,
  expectEachStoryPublishedOnce,
  queueStories,
  standInEnv,
  writeDeliveryConfig,
} from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';

const STORIES = 24;
const WORKERS = 3;
/** Shortened limits, the same in regwire's config and in the stand-ins, so any breach is a 429. */
const TG = { perMinute: 40, minIntervalMs: 150 };
const X = { windowMs: 6_000, perWindow: 40, perDay: 2_400, minIntervalMs: 100 };
/**
 * The pacer spaces the *reservations* (checked exactly, below), and the stand-ins' own limits (same
 * values) must never answer 429. Arrival gaps, timed in this process, are only reported: between a
 * reservation and the request reaching the stand-in the worker writes the ledger and opens the HTTP
 * call (2–10 ms warm, ~50 ms on a process's first call), and with a parallel test file busy on the same
 * two cores this process's own event loop stalls too, so single gaps were measured as low as 8 ms.
 */
const ARRIVAL_JITTER_MS = 10;

/** The most sends inside any `windowMs`-long span of sorted instants. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] ?? 0) - (times[from] ?? 0) >= windowMs) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - (times[i] ?? t));
}

// Three `regwire start --role worker` processes (src/main.ts, env only) on one Redis share the queues
// and the pacing budgets. Every key of the run is under the prefix, with a Redis Cluster hash tag: a
// story's, a destination's pacing or plan, a queue's (see redis-keys.ts).
describe('three worker processes on one Redis', () => {
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let redis: Redis;
  let services: DeskServices;
  let removeConfig: () => void;
  let env: Record<string, string>;
  const prefix = uniquePrefix('scale');
  const workers: RegwireProcess[] = [];
  let xStatuses: number[] = [];

  beforeAll(async () => {
    // The stand-in times arrivals on this process's event loop: a stall of two intervals under load hands it
    // three sends paced 150 ms apart back to back, and with a burst of 2 the third is refused (a loaded run
    // at 50d731d: 25 sendMessage calls for 24 stories, each posted once). A burst of 4 absorbs such a stall;
    // the pacer's own spacing is checked exactly below, from its reservations.
    telegram = await startTelegramStandIn({
      floodLimits: { perChatIntervalMs: TG.minIntervalMs, perChatBurst: 4, perGroupPerMinute: TG.perMinute },
    });
    x = await startXStandIn({ windowMs: X.windowMs, perWindow: X.perWindow, perDay: X.perDay });
    x.onEvent((e) => {
      if (e.type === 'request' && e.route === 'POST /2/tweets') xStatuses.push(e.status);
    });
    redis = testRedis();
    const written = writeDeliveryConfig({
      concurrency: 4,
      telegramRate: TG,
      xRate: X,
      requestTimeoutMs: 3_000,
    });
    removeConfig = written.remove;
    env = {
      ...standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: written.dir, telegram, x }),
      LOG_LEVEL: 'info',
    };
    services = createDeskServices(loadConfig({ env }), redis, silentLogger);
    xStatuses = [];
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop(3_000)));
    await services?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await telegram?.close();
    await x?.close();
    removeConfig?.();
  });

  it('publishes every story exactly once, keeps every limit, and spreads the work', async () => {
    for (let i = 0; i < WORKERS; i++) {
      workers.push(spawnRegwire({ env, args: ['--role', 'worker'], name: `worker ${i + 1}` }));
    }
    await Promise.all(workers.map((w) => w.ready));
    const startedAt = Date.now();
    const ids = await queueStories(services, STORIES, `scale${Date.now() % 100_000}`);
    await waitFor(() => allSettled(services, ids), {
      timeoutMs: 35_000,
      intervalMs: 100,
      what: 'every story to settle across the workers',
    });
    const elapsedMs = Date.now() - startedAt;

    // Every key of the run is under the prefix; all but the single-key indexes carry a hash tag.
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    const untagged = keys.filter((k) => !k.startsWith(`${prefix}:{`)).map((k) => k.slice(prefix.length + 1));
    expect(
      untagged.filter((k) => !/^(stories|url:[0-9a-f]{40}|published|last-published|alerts)$/.test(k)),
    ).toEqual([]);
    expect(keys.some((k) => k.startsWith(`${prefix}:{publish-x}:publish-x:`))).toBe(true);
    expect(await redis.keys(`bull:*${prefix}*`)).toEqual([]);

    // Exactly once, on both platforms; every thread whole and chained.
    await expectEachStoryPublishedOnce(services, ids, telegram, x, () => 4);

    // No 429 from either stand-in: every call was accepted the first time.
    expect(telegram.calls('sendMessage')).toHaveLength(STORIES);
    expect(xStatuses.filter((s) => s === 429)).toEqual([]);
    expect(xStatuses).toHaveLength(STORIES * 4);

    // The pacer's shared send log (one Redis sorted set per destination, member `pid:seq:…`) names the
    // process that reserved each send: the reservations alternate between processes, and their spacing
    // is exact.
    const reservedBy = new Map<string, Set<string>>();
    const reservationGaps: Record<string, number> = {};
    for (const [d, spacing, count] of [
      ['telegram', TG.minIntervalMs, STORIES],
      ['x', X.minIntervalMs, STORIES * 4],
    ] as const) {
      const members = await redis.zrange(redisKeys.paceSends(prefix, d), '0', '-1', 'WITHSCORES');
      const scores: number[] = [];
      const pids = new Set<string>();
      for (let i = 0; i < members.length; i += 2) {
        pids.add((members[i] ?? '').split(':')[0] ?? '');
        scores.push(Number(members[i + 1]));
      }
      expect(scores, d).toHaveLength(count);
      reservationGaps[d] = Math.min(...gaps(scores));
      expect(reservationGaps[d], d).toBeGreaterThanOrEqual(spacing);
      if (d === 'x') expect(busiestWindow(scores, X.windowMs)).toBeLessThanOrEqual(X.perWindow);
      else expect(busiestWindow(scores, 60_000)).toBeLessThanOrEqual(TG.perMinute);
      reservedBy.set(d, pids);
    }
    expect(new Set([...reservedBy.values()].flatMap((s) => [...s])).size).toBeGreaterThan(1);

    // Where the sends arrived (reported; see ARRIVAL_JITTER_MS): no window over its limit.
    const tgTimes = telegram
      .calls('sendMessage')
      .map((c) => c.at)
      .sort((a, b) => a - b);
    const xTimes = x
      .tweets()
      .map((t) => Date.parse(t.created_at))
      .sort((a, b) => a - b);
    const tgGaps = gaps(tgTimes).sort((a, b) => a - b);
    const xGaps = gaps(xTimes).sort((a, b) => a - b);
    const tgMinGap = tgGaps[0] ?? 0;
    const xMinGap = xGaps[0] ?? 0;
    const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] ?? 0;
    const share = (list: number[], atLeast: number) => list.filter((g) => g >= atLeast).length / list.length;
    expect(busiestWindow(tgTimes, 60_000 - 100)).toBeLessThanOrEqual(TG.perMinute);
    const xBusiest = busiestWindow(xTimes, X.windowMs - 100);
    expect(xBusiest).toBeLessThanOrEqual(X.perWindow);
    // The X window was really binding: the 96 tweets needed more than two windows.
    expect((xTimes[xTimes.length - 1] ?? 0) - (xTimes[0] ?? 0)).toBeGreaterThan(2 * X.windowMs);

    // The work was spread: each publication was logged as published by exactly one process, and more
    // than one process published some.
    const byWorker = workers.map((w) => publishedBy(w));
    const all = byWorker.flat().map((p) => `${p.storyId}/${p.destination}`);
    expect(all).toHaveLength(STORIES * 2);
    expect(new Set(all).size).toBe(STORIES * 2);
    const busy = byWorker.filter((list) => list.length > 0).length;
    expect(busy).toBeGreaterThan(1);

    for (const w of workers) expect((await w.stop()).code).toBe(0);
    console.info(
      `scale-out: ${STORIES} stories (1 post + 4 tweets) by ${WORKERS} processes in ${(elapsedMs / 1000).toFixed(1)} s; ` +
        `published per process (telegram/x): ${byWorker
          .map(
            (l) =>
              `${l.filter((p) => p.destination === 'telegram').length}/${l.filter((p) => p.destination === 'x').length}`,
          )
          .join(
            ', ',
          )}; processes reserving sends: telegram ${reservedBy.get('telegram')?.size}, x ${reservedBy.get('x')?.size}; ` +
        `least gap between reservations telegram ${reservationGaps.telegram} ms, x ${reservationGaps.x} ms; ` +
        `between arrivals telegram ${tgMinGap} ms (median ${median(tgGaps)}, ${Math.round(100 * share(tgGaps, TG.minIntervalMs - ARRIVAL_JITTER_MS))}% within ${ARRIVAL_JITTER_MS} ms), ` +
        `x ${xMinGap} ms (median ${median(xGaps)}, ${Math.round(100 * share(xGaps, X.minIntervalMs - ARRIVAL_JITTER_MS))}% within ${ARRIVAL_JITTER_MS} ms) (configured ${TG.minIntervalMs} / ${X.minIntervalMs}); ` +
        `busiest ${X.windowMs / 1000} s X window ${xBusiest}/${X.perWindow}; 429s: 0`,
    );
  }, 45_000);
});
