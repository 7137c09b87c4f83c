import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { rssBytes, spawnWorkerChild } from '../harness/delivery-child.js';
import {
  type DeliveryTestConfig,
  deliveryStory,
  LIMITS_OFF,
  SYSTEM_ACTOR,
  standInEnv,
  writeDeliveryConfig,
} from '../harness/delivery-config.js';
import { startOwnRedis } from '../harness/delivery-redis-server.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../harness/redis.js';
import { startStandInsChild } from '../harness/standins-child.js';
import { bullPrefix, redisKeys } from '../src/adapters/redis/redis-keys.js';
import { createTelegramPublisher } from '../src/adapters/telegram/index.js';
import { TwitterApiXPublisher } from '../src/adapters/x/index.js';
import { createDeskServices, type DeskServices } from '../src/app/desk-services.js';
import { type App, startApp } from '../src/app/start-app.js';
import type { Config } from '../src/config/config.js';
import { loadConfig } from '../src/config/load-config.js';
import type { StoryRecord } from '../src/domain/publication.js';
import type { TelegramPayload } from '../src/domain/rendered.js';
import { storyIdFor } from '../src/domain/story.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandInOptions,
} from '../src/sandbox/standins/telegram/index.js';
import { startXStandIn, X_SANDBOX_ACCOUNT } from '../src/sandbox/standins/x/index.js';
import { silentLogger } from '../src/util/logger.js';

const WORKERS_ONLY = { workers: true, web: false, maintenance: false } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(5);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Rig {
  readonly config: Config;
  readonly env: Record<string, string>;
  readonly services: DeskServices;
  readonly redis: Redis;
  readonly prefix: string;
  /** Deletes the written config folder only. */
  removeConfig(): void;
  close(): Promise<void>;
}

/** Desk services on `redisUrl` under a fresh prefix, with a written config; workers are started separately. */
async function rig(
  redisUrl: string,
  delivery: DeliveryTestConfig,
  standIns: { telegram?: { readonly apiRoot: string }; x?: { readonly apiRoot: string } },
): Promise<Rig> {
  const prefix = uniquePrefix('bench');
  const { dir, remove } = writeDeliveryConfig(delivery);
  const env = standInEnv({ redisUrl, prefix, configDir: dir, ...standIns });
  const config = loadConfig({ env });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const services = createDeskServices(config, redis, silentLogger);
  return {
    config,
    env,
    services,
    redis,
    prefix,
    removeConfig: remove,
    async close() {
      await services.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
      remove();
    },
  };
}

async function draft(services: DeskServices, n: number, tag: string): Promise<string> {
  const d = await services.desk.createDraft(deliveryStory(n, tag), SYSTEM_ACTOR);
  if (!d.ok) throw new Error(d.error);
  return d.value.story.id;
}

// ---------------------------------------------------------------- (a) pacing

export interface PacingResult {
  readonly posts: number;
  readonly minIntervalMs: number;
  readonly elapsedMs: number;
  readonly theoreticalMs: number;
  readonly ratio: number;
  readonly rateLimited: number;
}

/**
 * A backlog of `posts` stories to one channel, all due at once, drained at the channel's limit. The
 * limit is shortened to 10 messages/s (100 ms spacing, 600/min) on both regwire and the stand-in's flood
 * control (burst 3, like Telegram's short bursts); the real 1 s spacing would make the run 10× longer.
 */
export async function benchPacing(posts = 60, minIntervalMs = 100): Promise<PacingResult> {
  const flood: TelegramStandInOptions['floodLimits'] = {
    perChatIntervalMs: minIntervalMs,
    perChatBurst: 3,
    perGroupPerMinute: Math.floor(60_000 / minIntervalMs),
  };
  const telegram = await startTelegramStandIn({ floodLimits: flood });
  const r = await rig(
    TEST_REDIS_URL,
    { only: ['telegram'], telegramRate: { perMinute: Math.floor(60_000 / minIntervalMs), minIntervalMs } },
    { telegram },
  );
  const times: number[] = [];
  telegram.onEvent((e) => {
    if (e.type === 'message-posted') times.push(performance.now());
  });
  let app: App | undefined;
  try {
    for (let n = 1; n <= posts; n++) {
      const id = await draft(r.services, n, 'pacing');
      const s = await r.services.desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR);
      if (!s.ok) throw new Error(s.error);
    }
    // The planner spaced them; make them all due now, as after an outage: a real backlog.
    await r.services.queues.queue('telegram').promoteJobs();
    app = await startApp(r.config, silentLogger, { roles: WORKERS_ONLY });
    await until(() => times.length >= posts, 60_000, 'the pacing backlog');
    const elapsedMs = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
    const theoreticalMs = (posts - 1) * minIntervalMs;
    return {
      posts,
      minIntervalMs,
      elapsedMs,
      theoreticalMs,
      ratio: elapsedMs / theoreticalMs,
      rateLimited: telegram.calls('sendMessage').length - telegram.messages('@regwire_sandbox').length,
    };
  } finally {
    await app?.close();
    await r.close();
    await telegram.close();
  }
}

// ---------------------------------------------------------------- (b) timeliness

export interface TimelinessResult {
  readonly posts: number;
  readonly spanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * `posts` channel posts due at instants spread evenly over `spanMs`, limits off (so pacing requires no
 * wait and all lateness is regwire's): lateness = when the stand-in received the post − when it was due.
 */
export async function benchTimeliness(
  posts = 1_000,
  spanMs = 20_000,
  redisUrl = TEST_REDIS_URL,
): Promise<TimelinessResult> {
  const telegram = await startTelegramStandIn({ floodLimits: false });
  const r = await rig(redisUrl, { ...LIMITS_OFF, only: ['telegram'] }, { telegram });
  const received = new Map<number, number>();
  telegram.onEvent((e) => {
    if (e.type !== 'message-posted') return;
    const n = /Regulator (\d+) /.exec(e.message.text ?? '')?.[1];
    if (n !== undefined) received.set(Number(n), Date.now());
  });
  let app: App | undefined;
  try {
    const ids: string[] = [];
    for (let n = 1; n <= posts; n++) ids.push(await draft(r.services, n, 'timely'));
    // Scheduling 1,000 stories through the planner takes a few seconds; the first is due after that.
    const t0 = Date.now() + 4_000 + posts * 6;
    const due = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      const atMs = Math.round(t0 + (i * spanMs) / posts);
      due.set(i + 1, atMs);
      const s = await r.services.desk.schedule(ids[i] ?? '', { mode: 'at', atMs }, SYSTEM_ACTOR);
      if (!s.ok) throw new Error(s.error);
    }
    if (Date.now() > t0) throw new Error('bench: scheduling took longer than the lead time');
    app = await startApp(r.config, silentLogger, { roles: WORKERS_ONLY });
    await until(() => received.size >= posts, spanMs + 60_000, 'every timely post');
    const lateness = [...received].map(([n, at]) => at - (due.get(n) ?? at)).sort((a, b) => a - b);
    return {
      posts,
      spanMs,
      p50Ms: percentile(lateness, 50),
      p99Ms: percentile(lateness, 99),
      maxMs: lateness[lateness.length - 1] ?? Number.NaN,
    };
  } finally {
    await app?.close();
    await r.close();
    await telegram.close();
  }
}

// ---------------------------------------------------------------- (c) engine overhead

export interface OverheadResult {
  readonly stories: number;
  readonly regwirePerSecond: number;
  readonly barePerSecond: number;
  readonly ratio: number;
  /** Jobs at a time per platform at which each peaked. */
  readonly regwireConcurrency: number;
  readonly bareConcurrency: number;
  /** Every timed run, stories/s, in order, per side and setting (to show the spread). */
  readonly runs: { readonly regwire: RunsBySetting; readonly bare: RunsBySetting };
  readonly concurrencies: readonly number[];
  readonly rounds: number;
  /** Each platform call answered after this long (0: at once). */
  readonly platformLatencyMs: number;
  /** Where the stand-ins ran. */
  readonly placement: StandInPlacement;
}

/** Jobs at a time → stories/s of each run at that setting. */
export type RunsBySetting = ReadonlyMap<number, readonly number[]>;

/** Where (c) runs the stand-ins: `separate-process` keeps their CPU off the side being measured. */
export type StandInPlacement = 'in-process' | 'separate-process';

/** (c)'s two stand-ins, wherever they run, and their call clock. */
interface OverheadStandIns {
  readonly telegram: { readonly apiRoot: string };
  readonly x: { readonly apiRoot: string };
  /** A fresh X account (no duplicate refusals across runs) and call clock. */
  reset(): Promise<void>;
  /** Posts and tweets since the last reset, and the time from the first to the last. */
  stats(): Promise<{ count: number; elapsedMs: number }>;
  close(): Promise<void>;
}

async function inProcessStandIns(platformLatencyMs: number): Promise<OverheadStandIns> {
  const telegram = await startTelegramStandIn({ floodLimits: false });
  const x = await startXStandIn({ perWindow: 1_000_000, perDay: 1_000_000 });
  if (platformLatencyMs > 0) {
    telegram.faults.add({ method: 'sendMessage', kind: 'latency', latencyMs: platformLatencyMs });
  }
  let times: number[] = [];
  telegram.onEvent((e) => {
    if (e.type === 'message-posted') times.push(performance.now());
  });
  x.onEvent((e) => {
    if (e.type === 'tweet-created') times.push(performance.now());
  });
  return {
    telegram,
    x,
    async reset() {
      // X's reset also clears fault rules, so the latency is added again.
      x.reset();
      if (platformLatencyMs > 0) {
        x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: platformLatencyMs });
      }
      times = [];
    },
    async stats() {
      return { count: times.length, elapsedMs: (times[times.length - 1] ?? 0) - (times[0] ?? 0) };
    },
    async close() {
      await telegram.close();
      await x.close();
    },
  };
}

/** Waits until the stand-ins have seen `calls` posts and tweets; resolves to stories per second. */
async function storiesPerSecond(standIns: OverheadStandIns, stories: number, what: string): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { count, elapsedMs } = await standIns.stats();
    if (count >= stories * 5) return stories / (elapsedMs / 1000);
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function regwireRun(
  stories: number,
  standIns: OverheadStandIns,
  round: number,
  concurrency: number,
): Promise<number> {
  await standIns.reset();
  const r = await rig(TEST_REDIS_URL, { ...LIMITS_OFF, concurrency }, standIns);
  let app: App | undefined;
  try {
    for (let n = 1; n <= stories; n++) {
      const id = await draft(r.services, n, `overhead${round}`);
      const s = await r.services.desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR);
      if (!s.ok) throw new Error(s.error);
    }
    app = await startApp(r.config, silentLogger, { roles: WORKERS_ONLY });
    return await storiesPerSecond(standIns, stories, 'the regwire overhead run');
  } finally {
    await app?.close();
    await r.close();
  }
}

/** The same calls from a bare BullMQ worker per platform: no ledger, no pacer, no store. */
async function bareRun(
  stories: number,
  standIns: OverheadStandIns,
  round: number,
  concurrency: number,
): Promise<number> {
  await standIns.reset();
  const { telegram, x } = standIns;
  const prefix = uniquePrefix('bare');
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const r = await rig(TEST_REDIS_URL, LIMITS_OFF, standIns);
  const tg = createTelegramPublisher({
    token: TELEGRAM_SANDBOX_BOT.token,
    apiRoot: telegram.apiRoot,
    timeoutMs: 15_000,
  });
  const xp = new TwitterApiXPublisher({ ...X_SANDBOX_ACCOUNT, apiRoot: x.apiRoot, timeoutMs: 15_000 });
  const tgQueue = new Queue<{ payload: TelegramPayload }>('bare-telegram', { connection: redis, prefix });
  const xQueue = new Queue<{ texts: string[] }>('bare-x', { connection: redis, prefix });
  const workers: Worker[] = [];
  try {
    for (let n = 1; n <= stories; n++) {
      const d = await r.services.desk.createDraft(deliveryStory(n, `bare${round}`), SYSTEM_ACTOR);
      if (!d.ok) throw new Error(d.error);
      const payload = d.value.rendered.telegram[0];
      if (!payload) throw new Error('no telegram payload');
      await tgQueue.add('publish', { payload });
      await xQueue.add('publish', { texts: d.value.rendered.x.map((p) => p.text) });
    }
    workers.push(
      new Worker<{ payload: TelegramPayload }>(
        'bare-telegram',
        async (job) => {
          await tg.send('@regwire_sandbox', job.data.payload);
        },
        { connection: redis, prefix, concurrency },
      ),
      new Worker<{ texts: string[] }>(
        'bare-x',
        async (job) => {
          let previous: string | undefined;
          for (const text of job.data.texts) {
            previous = (await xp.tweet(text, previous === undefined ? {} : { replyToId: previous })).id;
          }
        },
        { connection: redis, prefix, concurrency },
      ),
    );
    return await storiesPerSecond(standIns, stories, 'the bare overhead run');
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await tgQueue.close();
    await xQueue.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await r.close();
  }
}

/** The concurrency whose median run was fastest, and that median. */
function peakOfMedians(byConcurrency: ReadonlyMap<number, readonly number[]>): {
  perSecond: number;
  concurrency: number;
} {
  let best = { perSecond: 0, concurrency: 0 };
  for (const [concurrency, runs] of byConcurrency) {
    const perSecond = percentile(
      [...runs].sort((a, b) => a - b),
      50,
    );
    if (perSecond > best.perSecond) best = { perSecond, concurrency };
  }
  return best;
}

/**
 * Stories per second end to end (one channel post + a 4-tweet thread, limits off) through regwire,
 * against a bare BullMQ worker per platform making the same HTTP calls with the same adapters, each at
 * 4, 8 and 16 jobs at a time per platform. After one untimed warm-up run per side, runs alternate
 * (bare, regwire) per setting and round; each side's figure is its best setting's median run: peak
 * throughput against peak throughput, without crediting either side with one lucky run on a noisy
 * machine. (At 4, a thread's sequential round trips can leave the cores idle once the channel posts
 * are done, which says more about the concurrency setting than about the engine.) With
 * `platformLatencyMs`, each post and tweet is answered that much later, as a real platform would.
 */
export async function benchOverhead(
  stories = 300,
  rounds = 5,
  concurrencies: readonly number[] = [4, 8, 16],
  platformLatencyMs = 0,
  placement: StandInPlacement = 'separate-process',
): Promise<OverheadResult> {
  const standIns =
    placement === 'separate-process'
      ? await startStandInsChild(platformLatencyMs)
      : await inProcessStandIns(platformLatencyMs);
  try {
    // One untimed run per side first: the first run in a process pays for JIT warm-up, and it would
    // always be the bare side's (it goes first).
    const warmAt = Math.max(...concurrencies);
    await bareRun(stories, standIns, -1, warmAt);
    await regwireRun(stories, standIns, -1, warmAt);
    const samples = { bare: new Map<number, number[]>(), regwire: new Map<number, number[]>() };
    const add = (side: Map<number, number[]>, concurrency: number, perSecond: number) =>
      side.set(concurrency, [...(side.get(concurrency) ?? []), perSecond]);
    for (let round = 0; round < rounds; round++) {
      for (const concurrency of concurrencies) {
        const tag = round * 100 + concurrency;
        add(samples.bare, concurrency, await bareRun(stories, standIns, tag, concurrency));
        add(samples.regwire, concurrency, await regwireRun(stories, standIns, tag, concurrency));
      }
    }
    const bare = peakOfMedians(samples.bare);
    const regwire = peakOfMedians(samples.regwire);
    return {
      stories,
      regwirePerSecond: regwire.perSecond,
      barePerSecond: bare.perSecond,
      ratio: regwire.perSecond / bare.perSecond,
      regwireConcurrency: regwire.concurrency,
      bareConcurrency: bare.concurrency,
      runs: samples,
      concurrencies,
      rounds,
      platformLatencyMs,
      placement,
    };
  } finally {
    await standIns.close();
  }
}

// ---------------------------------------------------------------- (d) scale

/** Compiles the repository with `tsc` into a cache folder (for a worker run as plain node); returns it. */
function compileForBench(): string {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const out = path.join(root, 'node_modules', '.cache', 'regwire-bench-dist');
  rmSync(out, { recursive: true, force: true });
  try {
    execFileSync(
      path.join(root, 'node_modules', '.bin', 'tsc'),
      ['-p', root, '--outDir', out, '--noEmit', 'false'],
      {
        stdio: 'ignore',
      },
    );
  } catch {
    // tsc exits non-zero on a type error anywhere in the tree but still emits; the file check below decides.
  }
  if (!existsSync(path.join(out, 'harness', 'worker-child.js')))
    throw new Error('bench: tsc emitted no worker');
  return out;
}

export interface ScaleResult {
  readonly stories: number;
  readonly fillMs: number;
  /** The worker run as `node --import tsx` (as tests run it) and as plain node on `tsc` output. */
  readonly workerRssBytes: { readonly tsx: number; readonly compiled: number };
  readonly redisBytesPerStory: number;
  /** Per-story breakdown from MEMORY USAGE on one story's own keys. */
  readonly sampleKeys: Readonly<Record<string, number>>;
  readonly recordJsonBytes: number;
  readonly listNext50P50Ms: number;
  readonly listNext50MaxMs: number;
}

/**
 * `stories` stories scheduled on both destinations, written through regwire's own stores and queues
 * (story record, publications, history, plan entries, one BullMQ delayed job per destination) into a
 * Redis server of the bench's own, so INFO memory deltas count nothing else. The planner is bypassed
 * (due times are assigned), and the rendering of one typical story is reused for all.
 */
export async function benchScale(stories = 100_000): Promise<ScaleResult> {
  const server = await startOwnRedis({ durable: false });
  const telegram = await startTelegramStandIn({ floodLimits: false });
  const x = await startXStandIn();
  const r = await rig(server.url, LIMITS_OFF, { telegram, x });
  const child = { current: undefined as ReturnType<typeof spawnWorkerChild> | undefined };
  try {
    const template = await r.services.desk.createDraft(deliveryStory(0, 'scale-template'), SYSTEM_ACTOR);
    if (!template.ok) throw new Error(template.error);
    const base = template.value;
    const memory = async () => Number(/used_memory:(\d+)/.exec(await r.redis.info('memory'))?.[1] ?? 0);
    const before = await memory();
    const startedAt = Date.now();
    const firstDue = startedAt + 3_600_000;
    const destinations = r.config.destinations;
    const started = performance.now();
    const BATCH = 2_000;
    for (let from = 0; from < stories; from += BATCH) {
      const batch: Promise<void>[] = [];
      for (let i = from; i < Math.min(stories, from + BATCH); i++) {
        batch.push(
          (async () => {
            const url = `https://news.example.com/scale/${i}`;
            const id = storyIdFor({ url, title: base.story.title, body: base.story.body });
            const record: StoryRecord = {
              story: { ...base.story, id, url },
              rendered: base.rendered,
              queuedAt: new Date(startedAt).toISOString(),
              destinations: destinations.map((d) => d.id),
            };
            const created = await r.services.store.create(record);
            if (!created.created) return; // an id collision in 100k 40-bit ids is possible; skip it
            const atMs = firstDue + i * 20_000;
            await r.services.store.appendHistory(id, {
              at: record.queuedAt,
              actor: SYSTEM_ACTOR,
              action: 'drafted',
            });
            for (const d of destinations) {
              const units = d.platform === 'x' ? base.rendered.x.length : base.rendered.telegram.length;
              await r.services.plans.put(d.id, { storyId: id, atMs, units, breaking: false }, startedAt);
              await r.services.store.setPublication(id, {
                destination: d.id,
                state: 'scheduled',
                dueAt: new Date(atMs).toISOString(),
                updatedAt: record.queuedAt,
                reason: `next free slot: ${new Date(atMs).toISOString()}`,
              });
              await r.services.queues.schedule(id, d.id, atMs);
            }
            await r.services.store.appendHistory(id, {
              at: record.queuedAt,
              actor: SYSTEM_ACTOR,
              action: 'scheduled (next-slot): telegram …; x …',
            });
          })(),
        );
      }
      await Promise.all(batch);
    }
    const fillMs = performance.now() - started;
    const count = await r.redis.zcard(redisKeys.stories(r.prefix));
    const after = await memory();
    const sampleId = storyIdFor({
      url: 'https://news.example.com/scale/7',
      title: base.story.title,
      body: base.story.body,
    });
    const sampleKeys: Record<string, number> = {};
    for (const [name, key] of [
      ['story', redisKeys.story(r.prefix, sampleId)],
      ['publications', redisKeys.pub(r.prefix, sampleId)],
      ['history', redisKeys.history(r.prefix, sampleId)],
      [
        'bullmq job (telegram)',
        `${bullPrefix(r.prefix, 'publish-telegram')}:publish-telegram:${sampleId}-telegram`,
      ],
      ['bullmq job (x)', `${bullPrefix(r.prefix, 'publish-x')}:publish-x:${sampleId}-x`],
    ] as const) {
      sampleKeys[name] = Number(await r.redis.memory('USAGE', key));
    }

    // A worker process with everything delayed: its peak resident memory over 3 s once running.
    const workerRss = async (compiledRoot?: string) => {
      child.current = spawnWorkerChild({ ...r.env, LOG_LEVEL: 'warn' }, compiledRoot ? { compiledRoot } : {});
      await child.current.ready;
      let rss = 0;
      for (let i = 0; i < 10; i++) {
        await sleep(300);
        rss = Math.max(rss, await rssBytes(child.current.pid));
      }
      await child.current.stop();
      return rss;
    };
    const rss = { tsx: await workerRss(), compiled: await workerRss(compileForBench()) };

    const timings: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      const page = await r.services.desk.upcoming({ offset: 0, limit: 50 });
      timings.push(performance.now() - t);
      if (page.length !== 50) throw new Error(`upcoming listed ${page.length}, not 50`);
    }
    timings.sort((a, b) => a - b);
    return {
      stories: count - 1,
      fillMs,
      workerRssBytes: rss,
      redisBytesPerStory: (after - before) / (count - 1),
      sampleKeys,
      recordJsonBytes: Buffer.byteLength((await r.redis.get(redisKeys.story(r.prefix, sampleId))) ?? ''),
      listNext50P50Ms: percentile(timings, 50),
      listNext50MaxMs: timings[timings.length - 1] ?? Number.NaN,
    };
  } finally {
    await child.current?.stop();
    await r.services.close();
    r.redis.disconnect();
    r.removeConfig();
    await server.close();
    await telegram.close();
    await x.close();
  }
}
