import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, RateLimitError, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import { recentXPosts } from '../src/app/recent-x-posts.js';
import type { StoryRecord } from '../src/domain/publication.js';
import { STORY_ID_PATTERN } from '../src/domain/story.js';
import { duplicateOf, type SentXPost } from '../src/format/x-duplicates.js';
import { noMetrics, type PublishMetrics } from '../src/ops/metrics.js';
import type { AlertBus } from '../src/ports/alert-bus.js';
import type { CreditHolds } from '../src/ports/credit-holds.js';
import type { Pacer } from '../src/ports/pacer.js';
import {
  LeaseLostError,
  type PublicationLeases,
  PublicationStoppedError,
} from '../src/ports/publication-lease.js';
import type { StoryStore } from '../src/ports/story-store.js';
import { retryDelayMs } from '../src/schedule/retry-backoff.js';
import type { Logger } from '../src/util/logger.js';
import { keepLease } from './lease-keeper.js';
import type { PartSender } from './part-sender.js';
import { PublicationRun, RunInterrupted } from './publication-run.js';
import type { BudgetGate } from './x-spend.js';

/** Name of the job that publishes one story to one destination. */
export const PUBLISH_JOB = 'publish';

/** The payload as it comes out of Redis; re-validated before use. */
export const publishPayloadSchema = z
  .object({
    storyId: z.string().regex(STORY_ID_PATTERN, 'must be an 8-character story id'),
    destination: z.string().min(1),
    /** Failed attempts so far (regwire counts them itself: see `retryLater`). */
    failures: z.number().int().min(0).optional(),
  })
  .strict();

export type PublishPayload = z.infer<typeof publishPayloadSchema>;

export interface PublishResult {
  readonly storyId: string;
  readonly destination: string;
  /** Remote ids of every part, in order (none for a part an editor confirmed without its link). */
  readonly remoteIds: readonly (string | undefined)[];
  /**
   * True when nothing more was sent: the publication had been cancelled or skipped (or stopped while
   * running), or was not runnable (a stale job).
   */
  readonly skipped?: boolean;
}

export interface PublishDeps {
  readonly destination: string;
  readonly store: StoryStore;
  readonly sender: PartSender;
  /** Pauses this destination's queue (only this one) for `ms` after a rate limit. */
  readonly pauseDestination: (ms: number) => Promise<void>;
  /** Shared runtime pacing; absent means no pacing (benchmarks with limits off). */
  readonly pacer?: Pacer;
  readonly alerts?: AlertBus;
  readonly metrics?: PublishMetrics;
  /** Exclusive publishing per story and destination, even if BullMQ's job lock is lost. */
  readonly leases: PublicationLeases;
  /** Lease lifetime; renewed every third of it. Matches the job lock duration. Default 30 000 ms. */
  readonly leaseMs?: number;
  /** Upper bound of one platform call (the adapters' timeout). Default 30 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Attempts per publication for retryable failures, and the first backoff (doubling, jittered). */
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  /**
   * The two-person rule at the job's start: why the story may not go out yet (it needs a second editor's
   * approval), or `undefined`. A held story goes back to draft, nothing sent. Absent when no rule is on.
   */
  readonly holds?: (storyId: string) => Promise<string | undefined>;
  /** [0, 1); default Math.random. Draws the retry jitter. */
  readonly random?: () => number;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Destinations whose account cannot pay, shared by every worker (one alert per pause). */
  readonly creditHolds?: CreditHolds;
  /** While the account cannot pay, the wait between tries, in ms (see `PublicationRunDeps`). */
  readonly creditsProbeMs?: number;
  /** Holds a story that would take the spend over the budget (X destinations with a budget). */
  readonly budgetGate?: BudgetGate;
}

/**
 * Creates the processor for one destination's publish queue: the BullMQ side of a publication (payload,
 * lease, delays and retries) around a {@link PublicationRun}, which sends the parts.
 */
export function createPublishProcessor(
  deps: PublishDeps,
): (job: Job, token?: string) => Promise<PublishResult> {
  const { store, destination, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const leaseMs = deps.leaseMs ?? 30_000;
  const iso = () => deps.now().toISOString();

  async function processPublish(job: Job, token?: string): Promise<PublishResult> {
    const parsed = publishPayloadSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `malformed publish job ${job.id}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    const payload = parsed.data;
    if (payload.destination !== destination) {
      throw new UnrecoverableError(`job for ${payload.destination} reached the ${destination} worker`);
    }
    try {
      return await attemptPublish(job, token, payload);
    } catch (err) {
      throw await afterFailure(job, token, payload, err);
    }
  }

  async function delayUntil(job: Job, token: string | undefined, untilMs: number): Promise<DelayedError> {
    if (!token) throw new Error('cannot delay a job without its lock token');
    await job.moveToDelayed(Math.max(untilMs, Date.now() + 1), token);
    return new DelayedError();
  }

  /**
   * Retries are regwire's, not BullMQ's: a job's options then hold only its id and delay, which keeps
   * each scheduled job a compact hash in Redis (memory per scheduled story). A retryable failure puts
   * the job back as delayed with a backoff and counts it in the job's data; the last one fails it.
   */
  async function afterFailure(
    job: Job,
    token: string | undefined,
    payload: PublishPayload,
    err: unknown,
  ): Promise<unknown> {
    if (err instanceof RunInterrupted) {
      if (err.kind === 'rate-limited') {
        await deps.pauseDestination(Math.max(0, err.untilMs - Date.now()));
        return Worker.RateLimitError();
      }
      return delayUntil(job, token, err.untilMs);
    }
    // The lease went while this attempt still holds the job (a Redis failover lost the key, renewals
    // were cut off): come back shortly; the start step then takes the lease again, or finds another
    // attempt holding it and waits. If BullMQ gave the job to another worker, moving it fails: theirs now.
    if (err instanceof LeaseLostError && token) {
      return delayUntil(job, token, Date.now() + Math.min(leaseMs, 2_000)).catch(() => err);
    }
    // Moved on BullMQ's orders, refused for good, or taken over by another worker: nothing to retry.
    const notRetryable =
      err instanceof DelayedError ||
      err instanceof UnrecoverableError ||
      err instanceof RateLimitError ||
      err instanceof LeaseLostError;
    if (notRetryable || !token) return err;
    const failures = (payload.failures ?? 0) + 1;
    if (failures >= deps.retry.attempts) return err;
    const waitMs = retryDelayMs(failures, deps.retry.backoffMs, deps.random ?? Math.random);
    logger.warn(
      { storyId: payload.storyId, destination, failures, waitMs, err: (err as Error)?.message },
      'publish attempt failed; will retry',
    );
    await job.updateData({ ...payload, failures });
    return delayUntil(job, token, Date.now() + waitMs);
  }

  async function attemptPublish(job: Job, token: string | undefined, payload: PublishPayload) {
    const { storyId } = payload;
    const held = await deps.holds?.(storyId);
    if (held) {
      // Scheduled around the desk: back to draft until a second editor approves and someone schedules it.
      await store.transition(storyId, destination, {
        from: ['scheduled'],
        to: 'draft',
        at: iso(),
        reason: held,
      });
      logger.warn({ storyId, destination, reason: held }, 'held for approval; back to draft');
      return { storyId, destination, remoteIds: [], skipped: true };
    }
    // BullMQ's lock token is already unique per processing of the job.
    const attempt = `${job.id}:${token ?? randomUUID()}`;
    const claim = { token: attempt, ttlMs: leaseMs };
    // A fresh publication reserves its first send in the same step (a round trip less per story).
    const first = deps.pacer
      ? {
          part: { index: 0, state: 'sending' as const, at: iso(), attempt },
          limits: deps.pacer.limits(destination),
        }
      : undefined;
    const snapshot = await store.beginPublication(storyId, destination, iso(), claim, first);
    // Another attempt is publishing this story here right now (its job lock was lost, not its lease).
    if (!snapshot) throw await delayUntil(job, token, Date.now() + Math.min(leaseMs, 2_000));
    const { record, verdict } = snapshot;
    if (verdict === 'gone' || !record) throw new UnrecoverableError(`story ${storyId} is not in the store`);
    if (verdict === 'early') {
      logger.info({ storyId, destination, notBefore: snapshot.notBefore }, 'not due yet; waiting');
      throw await delayUntil(job, token, Date.parse(snapshot.notBefore ?? iso()));
    }
    if (verdict !== 'run') {
      if (verdict !== 'cancelled') logger.info({ storyId, destination, verdict }, 'nothing to publish');
      const remoteIds = snapshot.parts.filter((p) => p.state === 'sent').map((p) => p.remoteId);
      return { storyId, destination, remoteIds, ...(verdict === 'published' ? {} : { skipped: true }) };
    }
    if (job.attemptsStarted <= 1 && snapshot.parts.length === 0) {
      metrics.lateness(destination, deps.now().getTime() - (job.timestamp + (job.opts.delay ?? 0)));
    }
    if (snapshot.parts.some((p) => p.state === 'sent')) metrics.resumed(destination);

    const lease = deps.leases.held(storyId, destination, attempt, leaseMs);
    const controller = new AbortController();
    const renewal = keepLease(lease, leaseMs, () =>
      controller.abort(new LeaseLostError(storyId, destination)),
    );
    const run = new PublicationRun({
      storyId,
      destination,
      snapshot: { ...snapshot, record },
      lease,
      store,
      sender: deps.sender,
      ...(deps.pacer ? { pacer: deps.pacer } : {}),
      ...(deps.alerts ? { alerts: deps.alerts } : {}),
      metrics,
      signal: controller.signal,
      inFlightMs: (deps.requestTimeoutMs ?? 30_000) + leaseMs,
      lastAttempt: (payload.failures ?? 0) + 1 >= deps.retry.attempts,
      failures: payload.failures ?? 0,
      now: deps.now,
      logger,
      ...(deps.creditHolds ? { creditHolds: deps.creditHolds } : {}),
      ...(deps.creditsProbeMs === undefined ? {} : { creditsProbeMs: deps.creditsProbeMs }),
      ...(deps.budgetGate ? { budgetGate: deps.budgetGate } : {}),
      ...(deps.sender.platform === 'x'
        ? { repeats: (r: StoryRecord, i: number) => repeatedPost(store, destination, r, i, deps.now()) }
        : {}),
    });
    let closed = false;
    try {
      const outcome = await run.run();
      closed = true;
      return {
        storyId,
        destination,
        remoteIds: outcome.remoteIds,
        ...(outcome.ended === 'stopped' ? { skipped: true } : {}),
      };
    } catch (err) {
      if (!(err instanceof PublicationStoppedError)) throw err;
      logger.warn({ storyId, destination }, 'cancelled or skipped while publishing; stopped');
      return { storyId, destination, remoteIds: [], skipped: true };
    } finally {
      clearInterval(renewal);
      // A job that stops early still lets its last writes land before another worker may take over.
      if (!closed) {
        await run.settle();
        await lease.release().catch(() => undefined);
      }
    }
  }

  return processPublish;
}

/** The post of another story or amendment sent to `destination` lately that part `index` repeats. */
async function repeatedPost(
  store: StoryStore,
  destination: string,
  record: StoryRecord,
  index: number,
  now: Date,
): Promise<SentXPost | undefined> {
  const text = record.rendered.x[index]?.text;
  if (text === undefined) return undefined;
  const recent = await recentXPosts(store, {
    xDestinations: [destination],
    nowMs: now.getTime(),
    excludeStoryId: record.story.id,
  });
  return duplicateOf(text, recent);
}
