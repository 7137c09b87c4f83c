import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { spawnWorkerChild, type WorkerChild } from '../../harness/delivery-child.js';
import { type OwnRedisServer, startOwnRedis } from '../../harness/delivery-redis-server.js';
import { standInEnv } from '../../harness/stand-in-env.js';
import { sweep } from '../../jobs/maintenance.job.js';
import { createDeskServices, type DeskServices } from '../../src/app/desk-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Alert } from '../../src/ports/alert-bus.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../src/sandbox/standins/x/index.js';
import { createLogger, silentLogger } from '../../src/util/logger.js';
import type { ObservedPost } from './torture-model.js';

const REPO_CONFIG_DIR = fileURLToPath(new URL('../../config/', import.meta.url));
export const TORTURE_CHANNEL = '@regwire_sandbox';

/**
 * Everything a torture run drives: its own Redis (AOF, `appendfsync always`, so a crash keeps every
 * acknowledged write), both stand-ins in this process (their records survive every kill), the real desk
 * on its own connection, and worker processes that can be SIGKILLed.
 */
export interface TortureRig {
  readonly redis: OwnRedisServer;
  readonly telegram: TelegramStandIn;
  readonly x: XStandIn;
  readonly services: DeskServices;
  /** Posts as the stand-ins created them, with the moment they did (this process's clock). */
  readonly posts: ObservedPost[];
  readonly alerts: Alert[];
  /** Faults the X stand-in applied, by kind. */
  readonly xFaults: Map<string, number>;
  /** X API requests answered (all routes). */
  xRequests(): number;
  /** Worker slots; a killed worker is replaced in its slot. */
  readonly workers: (WorkerChild | undefined)[];
  /** Starts (or replaces) the worker in `slot`. */
  spawn(slot: number): WorkerChild;
  /** SIGKILLs the worker in `slot` and starts another there. */
  killAndReplace(slot: number): Promise<void>;
  /** Waits until every worker slot runs a ready worker (replacing any that died). */
  workersReady(): Promise<void>;
  /**
   * Runs the maintenance sweep (which the worker role runs every minute in production) on a clock
   * `aheadMs` in the future, so it acts on what it would only touch minutes later. The worker children
   * run no maintenance.
   */
  sweepAhead(aheadMs: number): Promise<{ requeued: string[]; settled: string[] }>;
  /** Everything the workers wrote to stderr, killed ones included (the last `maxChars`). */
  workerLogs(maxChars?: number): string;
  close(): Promise<void>;
}

/** Delivery settings of the rig: limits far above what a run uses, short timeouts and stalled-job checks. */
function writeConfig(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-torture-'));
  // A slot every 5 minutes, one story each: `next-slot` lands within minutes, as in a real newsroom day.
  const slots: string[] = [];
  for (let m = 0; m < 24 * 60; m += 5)
    slots.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  const common = { timeZone: 'UTC', slots, minGapMs: 0, quietHours: null, dailyCap: null };
  const regwire = {
    delivery: { attempts: 8, backoffMs: 50, requestTimeoutMs: 800, concurrency: 4 },
    destinations: {
      telegram: {
        platform: 'telegram',
        schedule: { ...common, rate: { perMinute: 100_000, minIntervalMs: 0 } },
      },
      x: {
        platform: 'x',
        schedule: {
          ...common,
          rate: { windowMs: 60_000, perWindow: 100_000, perDay: 1_000_000, minIntervalMs: 0 },
        },
      },
    },
    digest: { enabled: false, hour: 20, minute: 0, timeZone: 'UTC', maxStories: 10 },
  };
  writeFileSync(path.join(dir, 'regwire.json'), JSON.stringify(regwire, null, 2));
  copyFileSync(path.join(REPO_CONFIG_DIR, 'format.json'), path.join(dir, 'format.json'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the rig; `seed` seeds the stand-ins' fault draws. Closes what it started if a step fails. */
export async function startTortureRig(options: { seed: number; workers: number }): Promise<TortureRig> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const redis = await startOwnRedis();
    closers.push(() => redis.close());
    const telegram = await startTelegramStandIn({ floodLimits: false, seed: options.seed });
    closers.push(() => telegram.close());
    // A short rate window: an injected 429 says "retry when the window resets", 2 s from now.
    const x = await startXStandIn({
      faultSeed: options.seed + 1,
      windowMs: 2_000,
      perWindow: 1_000_000,
      readPerWindow: 1_000_000,
      perDay: 10_000_000,
      // Answers as X gives them: `&<>` escaped, links as t.co; reconciling must see through it.
      textFidelity: true,
    });
    closers.push(() => x.close());
    const configDir = writeConfig();
    closers.push(async () => configDir.remove());

    const env: Record<string, string> = {
      ...standInEnv({ redisUrl: redis.url, prefix: 'torture', configDir: configDir.dir, telegram, x }),
      REGWIRE_SANDBOX: 'off',
      LOG_LEVEL: 'warn',
      // Stalled-job recovery in seconds, not the production 30 s: a killed worker's job is taken over soon.
      REGWIRE_TEST_LOCK_MS: '2000',
      REGWIRE_TEST_STALLED_MS: '1000',
    };
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const config = loadConfig({ env });
    const services = createDeskServices(config, connection, silentLogger);
    closers.push(async () => {
      await services.close().catch(() => undefined);
      connection.disconnect();
    });

    const posts: ObservedPost[] = [];
    const channelName = TORTURE_CHANNEL.slice(1);
    telegram.onEvent((e) => {
      if (e.type !== 'message-posted' || e.message.chat.username !== channelName) return;
      posts.push({
        platform: 'telegram',
        remoteId: String(e.message.message_id),
        text: e.message.text ?? e.message.caption ?? '',
        atMs: Date.now(),
        deleted: false,
      });
    });
    const xFaults = new Map<string, number>();
    let xRequests = 0;
    x.onEvent((e) => {
      if (e.type === 'tweet-created') {
        posts.push({
          platform: 'x',
          remoteId: e.tweet.id,
          text: e.tweet.text,
          atMs: Date.now(),
          ...(e.tweet.in_reply_to_tweet_id ? { replyTo: e.tweet.in_reply_to_tweet_id } : {}),
          deleted: false,
        });
      } else if (e.type === 'request') {
        xRequests++;
        if (e.fault) xFaults.set(e.fault, (xFaults.get(e.fault) ?? 0) + 1);
      }
    });
    const alerts: Alert[] = [];
    const unsubscribe = services.desk.onAlert((a) => {
      alerts.push(a);
    });
    closers.push(async () => unsubscribe());

    const workers: (WorkerChild | undefined)[] = Array.from({ length: options.workers }, () => undefined);
    let logs = '';
    const spawn = (slot: number): WorkerChild => {
      const child = spawnWorkerChild(env);
      workers[slot] = child;
      return child;
    };
    const alive = (w: WorkerChild | undefined) =>
      w !== undefined && w.process.exitCode === null && w.process.signalCode === null;
    closers.push(async () => {
      for (const w of workers) {
        await w?.kill();
        logs += w?.stderr() ?? '';
      }
    });
    for (let slot = 0; slot < options.workers; slot++) spawn(slot);

    return {
      redis,
      telegram,
      x,
      services,
      posts,
      alerts,
      xFaults,
      xRequests: () => xRequests,
      workers,
      spawn,
      async killAndReplace(slot) {
        const w = workers[slot];
        if (w) {
          await w.kill();
          logs += w.stderr();
        }
        spawn(slot);
      },
      async workersReady() {
        for (let slot = 0; slot < workers.length; slot++) {
          const w = workers[slot];
          if (!alive(w)) {
            if (w) logs += w.stderr();
            spawn(slot);
          }
          await workers[slot]?.ready;
        }
      },
      async sweepAhead(aheadMs) {
        const later = () => Date.now() + aheadMs;
        const shifted = createDeskServices(config, connection, silentLogger, { now: later });
        // What the sweep says about each publication (the job state it found), for the report.
        const lines: string[] = [];
        const logger = createLogger(
          'warn',
          new Writable({
            write(chunk: Buffer, _enc, done) {
              lines.push(chunk.toString('utf8'));
              done();
            },
          }),
        );
        try {
          const result = await sweep({ ...shifted, alerts: services.alerts, logger, now: later });
          const said = lines.map(
            (l) =>
              JSON.parse(l) as {
                storyId?: string;
                destination?: string;
                state?: string;
                reason?: string;
                msg?: string;
              },
          );
          const why = (id: string) => {
            const l = said.find((x) => `${x.storyId}-${x.destination}` === id);
            return l
              ? `${id} (${l.msg}${l.state ? `, job ${l.state}` : ''}${l.reason ? `: ${l.reason}` : ''})`
              : id;
          };
          return { requeued: result.requeued.map(why), settled: result.settled.map(why) };
        } finally {
          await shifted.close().catch(() => undefined);
        }
      },
      workerLogs(maxChars = 20_000) {
        return (logs + workers.map((w) => w?.stderr() ?? '').join('')).slice(-maxChars);
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
