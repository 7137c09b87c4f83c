import { type ConnectionOptions, Worker } from 'bullmq';
import { PunctualWorker } from '../src/adapters/redis/punctual-worker.js';
import { bullPrefix } from '../src/adapters/redis/redis-keys.js';
import type { PublishMetrics } from '../src/ops/metrics.js';
import type { AlertBus } from '../src/ports/alert-bus.js';
import type { CreditHolds } from '../src/ports/credit-holds.js';
import type { Pacer } from '../src/ports/pacer.js';
import type { PublicationLeases } from '../src/ports/publication-lease.js';
import type { StoryStore } from '../src/ports/story-store.js';
import type { Logger } from '../src/util/logger.js';
import { settleAbandoned } from './abandoned-publication.js';
import type { PartSender } from './part-sender.js';
import { RecordedFailure } from './publication-run.js';
import { createPublishProcessor, type PublishPayload, type PublishResult } from './publish.job.js';
import { type PublishQueues, publishQueueName } from './publish-queues.js';
import type { BudgetGate } from './x-spend.js';

/** What {@link startPublishWorkers} needs: the connection, one sender per destination, the stores and ports. */
export interface PublishWorkerOptions {
  readonly connection: ConnectionOptions;
  /** regwire's key prefix (each queue's BullMQ prefix is `bullPrefix(prefix, queue)`, as `PublishQueues`'). */
  readonly prefix: string;
  /** destination id → how to send there. */
  readonly senders: ReadonlyMap<string, PartSender>;
  /** The destinations' queues; a platform's 429 rate-limits its queue. */
  readonly queues: PublishQueues;
  readonly store: StoryStore;
  readonly concurrency: number;
  /** Attempts per publication for retryable failures, and the first backoff (doubling, jittered). */
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  readonly logger: Logger;
  readonly pacer?: Pacer;
  readonly alerts?: AlertBus;
  readonly metrics?: PublishMetrics;
  readonly leases: PublicationLeases;
  /** Upper bound of one platform call (the adapters' timeout), in ms. */
  readonly requestTimeoutMs?: number;
  readonly now?: () => Date;
  /** A job's lock lives this long without renewal; a crashed worker's jobs are recovered after it. Default 30 000 ms. */
  readonly lockDurationMs?: number;
  /** How often workers look for stalled jobs. Default 15 000 ms. */
  readonly stalledIntervalMs?: number;
  /**
   * Sends any command to the Redis server (on a connection that is not blocked): with it, delayed jobs
   * start on time even on a Redis server with a low `hz` (see {@link PunctualWorker}).
   */
  readonly wakeRedis?: () => Promise<unknown>;
  /** The two-person rule at each job's start (see `PublishDeps.holds`). */
  readonly holds?: (storyId: string) => Promise<string | undefined>;
  /** Destinations whose account cannot pay for calls (X out of credits), shared by every worker. */
  readonly creditHolds?: CreditHolds;
  /** While an account cannot pay, the wait between tries, in ms. */
  readonly creditsProbeMs?: number;
  /** destination id → its budget check (X destinations with a budget). */
  readonly budgetGates?: ReadonlyMap<string, BudgetGate>;
}

/** Starts one BullMQ worker per destination. Close them with `Promise.all(workers.map(w => w.close()))`. */
export function startPublishWorkers(options: PublishWorkerOptions): Worker<PublishPayload, PublishResult>[] {
  const workers: Worker<PublishPayload, PublishResult>[] = [];
  for (const [destination, sender] of options.senders) {
    const processor = createPublishProcessor({
      destination,
      store: options.store,
      sender,
      retry: options.retry,
      now: options.now ?? (() => new Date()),
      logger: options.logger,
      ...(options.pacer ? { pacer: options.pacer } : {}),
      ...(options.alerts ? { alerts: options.alerts } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      leases: options.leases,
      ...(options.holds ? { holds: options.holds } : {}),
      leaseMs: options.lockDurationMs ?? 30_000,
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.creditHolds ? { creditHolds: options.creditHolds } : {}),
      ...(options.creditsProbeMs === undefined ? {} : { creditsProbeMs: options.creditsProbeMs }),
      ...(options.budgetGates?.get(destination) ? { budgetGate: options.budgetGates.get(destination) } : {}),
      // The queue-level rate limit holds back this destination's jobs in every worker process.
      pauseDestination: async (ms) => {
        await options.queues.queue(destination).rateLimit(ms);
      },
    });
    const name = publishQueueName(destination);
    const workerOptions = {
      connection: options.connection,
      prefix: bullPrefix(options.prefix, name),
      concurrency: options.concurrency,
      // Retention is the worker's, not each job's: it is not stored with every scheduled job (memory
      // per story). The publication records live in regwire's own store, not in finished jobs.
      removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
      // A thread must be posted in order by one worker; stalled-job recovery hands it to another.
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 15_000,
      // Resuming is safe (the ledger skips sent parts), so a job survives many worker crashes; past this
      // it is failed and editors are alerted (settleAbandoned), in case the job itself kills workers.
      maxStalledCount: 10,
    };
    const worker = options.wakeRedis
      ? new PunctualWorker<PublishPayload, PublishResult>(name, processor, workerOptions, options.wakeRedis)
      : new Worker<PublishPayload, PublishResult>(name, processor, workerOptions);
    worker.on('failed', (job, err) => {
      options.logger.warn({ jobId: job?.id, destination, err: err.message }, 'publish job failed');
      if (!job || err.name === 'LeaseLostError' || err instanceof RecordedFailure) return;
      // Retries happen inside the processor, so a failed job is final. The processor records the
      // failures it understands; a job that ends any other way (stalled too often, an outcome that
      // stayed unknown on the last attempt) must not stay "publishing" silently.
      settleAbandoned(options.store, options.alerts, {
        storyId: job.data.storyId,
        destination,
        reason: err.message,
        at: (options.now?.() ?? new Date()).toISOString(),
        // Only a run cut short: a publication back to `scheduled` is an editor's resume, not this job's.
        from: ['publishing'],
      }).catch((e: Error) =>
        options.logger.error({ destination, err: e.message }, 'could not record a failed publication'),
      );
    });
    worker.on('error', (err) => options.logger.error({ destination, err: err.message }, 'worker error'));
    workers.push(worker);
  }
  return workers;
}
