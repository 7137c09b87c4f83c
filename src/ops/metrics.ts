import type { Queue } from 'bullmq';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the publish processor reports; every method is cheap and never throws. */
export interface PublishMetrics {
  /** One part (post or tweet) confirmed, with the platform call's duration. */
  partSent(destination: string, durationMs: number): void;
  /** A publication started this late against its due time. */
  lateness(destination: string, latenessMs: number): void;
  /** A platform call failed, by error kind (rate-limited = the platform's 429). */
  failure(destination: string, kind: string): void;
  /** A thread resumed after an interruption (some parts were already sent). */
  resumed(destination: string): void;
}

/** A metrics sink that records nothing (tests, the CLI). */
export const noMetrics: PublishMetrics = {
  partSent: () => undefined,
  lateness: () => undefined,
  failure: () => undefined,
  resumed: () => undefined,
};

/** What is left of one X destination's budget for a period (`regwire_x_budget_left_usd`). */
export interface XBudgetLeft {
  readonly destination: string;
  readonly period: 'daily' | 'monthly';
  readonly usd: number;
}

const JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized'] as const;

/** regwire's Prometheus metrics, on a registry of its own (one per process). */
export class RegwireMetrics implements PublishMetrics {
  readonly registry = new Registry();
  private readonly sendSeconds: Histogram<'destination'>;
  private readonly latenessSeconds: Histogram<'destination'>;
  private readonly failures: Counter<'destination' | 'kind'>;
  private readonly resumes: Counter<'destination'>;
  private readonly parts: Counter<'destination'>;
  private readonly replicaWaits: Counter<'outcome'>;
  private readonly replicaWaitSeconds: Histogram;
  private readonly xSpendUsd: Counter<'destination' | 'kind'>;

  /**
   * `queues`: the publish queues, for job counts. `editorNews`: how many alerts and intake news (by
   * stream) the editor bot has yet to handle, when this process can tell.
   */
  constructor(queues: () => readonly Queue[], editorNews?: () => Promise<Readonly<Record<string, number>>>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'regwire_' });
    this.sendSeconds = new Histogram({
      name: 'regwire_publish_duration_seconds',
      help: 'Duration of one platform call that published a part (post or tweet).',
      labelNames: ['destination'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [this.registry],
    });
    this.xSpendUsd = new Counter({
      name: 'regwire_x_spend_usd_total',
      help: 'What X calls cost at the configured prices (x.pricing), by kind: create, create-with-url, read.',
      labelNames: ['destination', 'kind'],
      registers: [this.registry],
    });
    this.latenessSeconds = new Histogram({
      name: 'regwire_publish_lateness_seconds',
      help: 'How late a publication started against its scheduled time (pacing included).',
      labelNames: ['destination'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 900],
      registers: [this.registry],
    });
    this.failures = new Counter({
      name: 'regwire_publish_failures_total',
      help: 'Failed platform calls by destination and kind (rate-limited counts 429s).',
      labelNames: ['destination', 'kind'],
      registers: [this.registry],
    });
    this.resumes = new Counter({
      name: 'regwire_thread_resumes_total',
      help: 'Publications resumed after an interruption with some parts already sent.',
      labelNames: ['destination'],
      registers: [this.registry],
    });
    this.parts = new Counter({
      name: 'regwire_parts_sent_total',
      help: 'Parts (channel posts, tweets) confirmed by the platform.',
      labelNames: ['destination'],
      registers: [this.registry],
    });
    this.replicaWaits = new Counter({
      name: 'regwire_redis_replica_waits_total',
      help: 'Waits for a replica after a ledger write (REDIS_WAIT_REPLICAS), by outcome: replicated or timed-out.',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.replicaWaitSeconds = new Histogram({
      name: 'regwire_redis_replica_wait_seconds',
      help: 'Duration of a ledger write with its wait for replicas.',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [this.registry],
    });
    const registry = this.registry;
    new Gauge({
      name: 'regwire_jobs',
      help: 'Jobs per queue and state.',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        for (const q of queues()) {
          const counts = await q.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    });
    if (editorNews) {
      new Gauge({
        name: 'regwire_editor_news_waiting',
        help: 'Alerts and intake news the editor bot has not handled yet (it is down if this only grows).',
        labelNames: ['stream'],
        registers: [registry],
        async collect() {
          for (const [stream, waiting] of Object.entries(await editorNews())) this.set({ stream }, waiting);
        },
      });
    }
  }

  /**
   * Exposes `regwire_x_budget_left_usd{destination,period}`: what is left of each X destination's daily and
   * monthly budget (`x.budget`), read from `left` at each scrape. Negative once an editor posted over it.
   */
  watchXBudget(left: () => Promise<readonly XBudgetLeft[]>): void {
    new Gauge({
      name: 'regwire_x_budget_left_usd',
      help: 'What is left of the X spending budget (x.budget) for the UTC day or month; negative when over.',
      labelNames: ['destination', 'period'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { destination, period, usd } of await left()) this.set({ destination, period }, usd);
      },
    });
  }

  /** A ledger write waited for replicas: whether they had it in time, and how long it took. */
  replicaWait(result: { readonly replicated: boolean; readonly ms: number }): void {
    this.replicaWaits.inc({ outcome: result.replicated ? 'replicated' : 'timed-out' });
    this.replicaWaitSeconds.observe(result.ms / 1000);
  }

  partSent(destination: string, durationMs: number): void {
    this.sendSeconds.observe({ destination }, durationMs / 1000);
    this.parts.inc({ destination });
  }

  lateness(destination: string, latenessMs: number): void {
    this.latenessSeconds.observe({ destination }, Math.max(0, latenessMs) / 1000);
  }

  failure(destination: string, kind: string): void {
    this.failures.inc({ destination, kind });
  }

  /** An X call's cost, as the spend ledger counts it. */
  xSpend(destination: string, kind: string, usd: number): void {
    this.xSpendUsd.inc({ destination, kind }, usd);
  }

  resumed(destination: string): void {
    this.resumes.inc({ destination });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
