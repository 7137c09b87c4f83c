import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { startFeedPolling } from '../../jobs/feed-poll.job.js';
import { type MaintenanceDeps, startMaintenance } from '../../jobs/maintenance.job.js';
import { createLogger, type Logger } from '../../src/util/logger.js';
import { waitFor } from '../support/wait-for.js';

const PASSWORD = 'queue-conn-secret';

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', sink, [PASSWORD]), lines };
}

describe('queue connection errors go to the redacting logger, not console.error', () => {
  let redis: Redis | undefined;
  let prefix = '';
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await close?.();
    if (redis) {
      await deletePrefix(redis, prefix);
      await redis.quit();
    }
  });

  async function start(which: 'maintenance' | 'intake', logger: Logger): Promise<void> {
    redis = testRedis();
    prefix = uniquePrefix(`qerr-${which}`);
    if (which === 'maintenance') {
      // No destinations: the sweep finds nothing to do.
      const deps = {
        queues: { destinations: () => [] },
        logger,
        now: Date.now,
      } as unknown as MaintenanceDeps;
      const maintenance = await startMaintenance(
        {
          connection: redis,
          prefix,
          digest: { enabled: false, hour: 9, minute: 0, timeZone: 'UTC' },
          sweepEveryMs: 60_000,
        },
        deps,
      );
      close = () => maintenance.close();
    } else {
      // No source configured: the queue alone (what most deployments run).
      const polling = await startFeedPolling(
        { connection: redis, prefix, sources: [] },
        { intake: { poll: () => Promise.reject(new Error('not polled')) }, logger },
      );
      close = () => polling.close();
    }
  }

  it.each(['maintenance', 'intake'] as const)('%s queue', async (which) => {
    const { logger, lines } = capturingLogger();
    await start(which, logger);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // What ioredis emits when the connection drops; the message may carry the URL with its password.
    redis?.emit('error', new Error(`connect ECONNREFUSED redis://:${PASSWORD}@10.9.8.7:6379`));
    const line = await waitFor(() => lines.find((l) => l.includes(`${which} queue error`)), {
      what: `${which} queue error logged`,
    });
    expect(line).toContain('ECONNREFUSED redis://:[redacted]@10.9.8.7');
    expect(consoleError).not.toHaveBeenCalled();
  });
});
