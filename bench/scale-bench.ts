import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  deliveryStory,
  LIMITS_OFF,
  SYSTEM_ACTOR,
  standInEnv,
  writeDeliveryConfig,
} from '../harness/delivery-config.js';
import { publishedBy, type RegwireProcess, spawnRegwire } from '../harness/ops-process.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../harness/redis.js';
import { createRedis, isCluster, type RedisClient } from '../src/adapters/redis/redis-connection.js';
import { createDeskServices } from '../src/app/desk-services.js';
import { loadConfig } from '../src/config/load-config.js';
import { startTelegramStandIn, type TelegramStandIn } from '../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../src/sandbox/standins/x/index.js';
import { silentLogger } from '../src/util/logger.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the image's `dist/` (`tsc -p tsconfig.build.json`, as `npm run build` does) into a cache folder
 * under node_modules, so the workers run as plain node like the container does, and never leave a dist/
 * in the repository. Returns the path of the built `src/main.js`.
 */
function buildForBench(): string {
  const out = path.join(ROOT, 'node_modules', '.cache', 'regwire-scale-bench-dist');
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', out],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  const main = path.join(out, 'src', 'main.js');
  if (!existsSync(main)) throw new Error('bench: the build emitted no src/main.js');
  return main;
}

export interface ScaleOutRun {
  readonly workers: number;
  /** Stories (1 channel post + a 4-tweet thread each) per second, queue release → last platform call. */
  readonly storiesPerSecond: number;
  readonly elapsedMs: number;
  /** Publications (story × destination) each process logged as published. */
  readonly perProcess: readonly number[];
}

/** Where a scale-out run's Redis is: the environment that points regwire at it (replacing REDIS_URL). */
export interface BenchRedis {
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
}

/** The local Redis (TEST_REDIS_URL). */
export const LOCAL_REDIS: BenchRedis = { label: 'one Redis', env: { REDIS_URL: TEST_REDIS_URL } };

export interface ScaleOutResult {
  readonly stories: number;
  readonly concurrency: number;
  /** Simulated platform round trip added by both stand-ins, ms. */
  readonly platformLatencyMs: number;
  readonly runs: readonly ScaleOutRun[];
}

async function oneRun(
  main: string,
  workers: number,
  stories: number,
  concurrency: number,
  telegram: TelegramStandIn,
  x: XStandIn,
  target: BenchRedis,
): Promise<ScaleOutRun> {
  const prefix = uniquePrefix('scalebench');
  const { dir, remove } = writeDeliveryConfig({ ...LIMITS_OFF, concurrency, requestTimeoutMs: 10_000 });
  const { REDIS_URL: _default, ...base } = standInEnv({
    redisUrl: TEST_REDIS_URL,
    prefix,
    configDir: dir,
    telegram,
    x,
  });
  const env = { ...base, ...target.env, LOG_LEVEL: 'info' };
  const config = loadConfig({ env });
  const redis: RedisClient = createRedis(config.redis, 'bench');
  const services = createDeskServices(config, redis, silentLogger);
  const procs: RegwireProcess[] = [];
  const tag = `scaleout${workers}x${Date.now() % 100_000}`;
  let calls = 0;
  let lastCallAt = 0;
  const seen = () => {
    calls++;
    lastCallAt = performance.now();
  };
  const offTg = telegram.onEvent((e) => {
    if (e.type === 'message-posted' && (e.message.text ?? '').includes(`(${tag})`)) seen();
  });
  const offX = x.onEvent((e) => {
    if (e.type === 'tweet-created') seen();
  });
  try {
    // Queue everything while the queues are paused, start the workers, then release the queues at once.
    const queues = services.queues.destinations().map((d) => services.queues.queue(d));
    await Promise.all(queues.map((q) => q.pause()));
    for (let n = 1; n <= stories; n++) {
      const d = await services.desk.createDraft(deliveryStory(n, tag), SYSTEM_ACTOR);
      if (!d.ok) throw new Error(d.error);
      const s = await services.desk.schedule(d.value.story.id, { mode: 'now' }, SYSTEM_ACTOR);
      if (!s.ok) throw new Error(s.error);
    }
    for (let i = 0; i < workers; i++) {
      procs.push(
        spawnRegwire({ env, script: main, args: ['--role', 'worker'], name: `bench worker ${i + 1}` }),
      );
    }
    await Promise.all(procs.map((p) => p.ready));
    const releasedAt = performance.now();
    await Promise.all(queues.map((q) => q.resume()));
    const expected = stories * 5;
    const deadline = Date.now() + 120_000;
    while (calls < expected) {
      if (Date.now() > deadline) throw new Error(`bench: scale-out run stuck at ${calls}/${expected} calls`);
      await sleep(10);
    }
    const elapsedMs = lastCallAt - releasedAt;
    await Promise.all(procs.map((p) => p.stop()));
    return {
      workers,
      storiesPerSecond: stories / (elapsedMs / 1000),
      elapsedMs,
      perProcess: procs.map((p) => publishedBy(p).length),
    };
  } finally {
    offTg();
    offX();
    await Promise.all(procs.map((p) => p.stop(3_000)));
    await services.close();
    // A cluster's keys are spread over its nodes (and it is thrown away after the bench).
    if (!isCluster(redis)) await deletePrefix(redis, prefix);
    redis.disconnect();
    remove();
  }
}

/**
 * Scale-out: stories per second end to end with 1, 2 and 3 `regwire start --role worker` processes
 * (the built dist/, plain node) on one Redis under a hash-tagged prefix, limits off, `concurrency` jobs
 * per destination per process, stand-ins in this process answering after `platformLatencyMs` (a
 * platform round trip; without it the run only measures how the processes share this machine's cores).
 */
export async function benchScale(
  stories = 150,
  workerCounts: readonly number[] = [1, 2, 3],
  {
    concurrency = 4,
    platformLatencyMs = 25,
    target = LOCAL_REDIS,
  }: { concurrency?: number; platformLatencyMs?: number; target?: BenchRedis } = {},
): Promise<ScaleOutResult> {
  const main = buildForBench();
  const telegram = await startTelegramStandIn({ floodLimits: false });
  const x = await startXStandIn({ perWindow: 1_000_000, perDay: 1_000_000, readPerWindow: 1_000_000 });
  const runs: ScaleOutRun[] = [];
  try {
    for (const workers of workerCounts) {
      x.reset();
      telegram.faults.clear();
      telegram.faults.add({ method: 'sendMessage', kind: 'latency', latencyMs: platformLatencyMs });
      x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: platformLatencyMs });
      runs.push(await oneRun(main, workers, stories, concurrency, telegram, x, target));
    }
  } finally {
    await telegram.close();
    await x.close();
  }
  return { stories, concurrency, platformLatencyMs, runs };
}
