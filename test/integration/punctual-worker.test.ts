import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedisServer, startOwnRedis } from '../../harness/delivery-redis-server.js';
import { PunctualWorker } from '../../src/adapters/redis/punctual-worker.js';
import { waitFor } from '../support/wait-for.js';

// `hz 1`: left alone, Redis ends an idle worker's blocking wait up to a whole second after its timeout,
// so a job due at T would start anywhere in [T, T + 1 s).
describe('a punctual worker on a Redis server with hz 1', () => {
  let server: OwnRedisServer;
  let connection: Redis;
  let waker: Redis;

  beforeAll(async () => {
    server = await startOwnRedis({ durable: false, hz: 1 });
    connection = new Redis(server.url, { maxRetriesPerRequest: null });
    waker = new Redis(server.url);
  });
  afterAll(async () => {
    connection.disconnect();
    waker.disconnect();
    await server.close();
  });

  it('starts each delayed job within a few milliseconds of its due time, not at the next server tick', async () => {
    const queue = new Queue('punctual', { connection, prefix: 'pw' });
    const started = new Map<string, number>();
    let wakes = 0;
    const worker = new PunctualWorker(
      'punctual',
      async (job) => {
        started.set(job.id ?? '', Date.now());
      },
      { connection, prefix: 'pw', concurrency: 4 },
      () => {
        wakes++;
        return waker.ping();
      },
    );
    try {
      await worker.waitUntilReady();
      const due = new Map<string, number>();
      const now = Date.now();
      // Spread over ~2 s so the worker goes idle and blocks before each one.
      for (let i = 0; i < 6; i++) {
        const delay = 300 + i * 330;
        due.set(`job-${i}`, now + delay);
        await queue.add('tick', {}, { jobId: `job-${i}`, delay });
      }
      await waitFor(() => started.size === due.size || undefined, {
        timeoutMs: 6_000,
        intervalMs: 20,
        what: 'all six jobs to start',
      });
      const lateness = [...due].map(([id, at]) => (started.get(id) ?? Number.POSITIVE_INFINITY) - at);
      // An un-woken hz-1 server starts each job 0-1000 ms late (median ~500, so the six's median and worst
      // land far up that range); woken, each starts within milliseconds. Bounds wide enough for a loaded
      // 2-core CI machine (a worst of 312 ms was seen under load), still far from the un-woken figures.
      const sorted = [...lateness].sort((a, b) => a - b);
      expect(((sorted[2] ?? 0) + (sorted[3] ?? 0)) / 2).toBeLessThan(200);
      for (const late of lateness) expect(late).toBeLessThan(700);
      expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
      expect(wakes).toBeGreaterThan(0);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('sets no wake-up for a job due beyond its current wait (weeks ahead: no timer overflow either)', async () => {
    const queue = new Queue('far', { connection, prefix: 'pw' });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    let wakes = 0;
    const worker = new PunctualWorker(
      'far',
      async () => undefined,
      { connection, prefix: 'pw' },
      () => {
        wakes++;
        return waker.ping();
      },
    );
    try {
      await queue.add('later', {}, { jobId: 'in-40-days', delay: 40 * 86_400_000 });
      await worker.waitUntilReady();
      // The worker has seen the job and waits: its blocking BZPOPMIN is on this server (no other client
      // blocks here). A wake-up set for it would overflow Node's timer range, warn, and fire within 1 ms.
      await waitFor(async () => String(await waker.client('LIST')).includes('cmd=bzpopmin') || undefined, {
        what: 'the worker to block',
      });
      // The thing under test is a timer that must not fire: 1 ms is its whole window.
      await new Promise((r) => setTimeout(r, 20));
      expect(wakes).toBe(0);
      expect(warnings).not.toContain('TimeoutOverflowWarning');
      expect(await queue.getJobState('in-40-days')).toBe('delayed');
    } finally {
      process.off('warning', onWarning);
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
