import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, RateLimitError, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import type { PartRecord } from '../src/domain/publication.js';
import { PublishError } from '../src/errors/publish-error.js';
import { noMetrics, type PublishMetrics } from '../src/ops/metrics.js';
import type { AlertBus } from '../src/ports/alert-bus.js';
import type { Pacer, ReservationMark } from '../src/ports/pacer.js';
import {
  LeaseLostError,
  type PublicationLease,
  type PublicationLeases,
} from '../src/ports/publication-lease.js';
import type { PublishSnapshot, StoryStore } from '../src/ports/story-store.js';
import { retryDelayMs } from '../src/schedule/retry-backoff.js';
import type { Logger } from '../src/util/logger.js';
import type { PartSender } from './part-sender.js';

/** Name of the job that publishes one story to one destination. */
export const PUBLISH_JOB = 'publish';

/** The payload as it comes out of Redis; re-validated before use. */
export const publishPayloadSchema = z
  .object({
    storyId: z.string().regex(/^[0-9a-z]{8}$/, 'must be an 8-character story id'),
    destination: z.string().min(1),
    /** Failed attempts so far (regwire counts them itself: see `retryLater`). */
    failures: z.number().int().min(0).optional(),
  })
  .strict();

export type PublishPayload = z.infer<typeof publishPayloadSchema>;

export interface PublishResult {
  readonly storyId: string;
  readonly destination: string;
  /** Remote ids of every part, in order. */
  readonly remoteIds: readonly string[];
  /** True when the publication had been cancelled and nothing was sent. */
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
  readonly leases?: PublicationLeases;
  /** Lease lifetime; renewed every third of it. Matches the job lock duration. Default 30 000 ms. */
  readonly leaseMs?: number;
  /** Attempts per publication for retryable failures, and the first backoff (doubling, jittered). */
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  /** [0, 1); default Math.random. Draws the retry jitter. */
  readonly random?: () => number;
  readonly now: () => Date;
  readonly logger: Logger;
}

// A pacing wait up to this long is slept in the worker; longer ones move the job back to delayed.
const INLINE_PACING_WAIT_MS = 1_500;

/**
 * Creates the processor for one destination's publish queue. Each part is recorded as `sending` before
 * the platform call and `sent` after it, so a part is never sent twice and a thread resumes where it
 * stopped, replying to the last confirmed tweet.
 */
export function createPublishProcessor(deps: PublishDeps): (job: Job) => Promise<PublishResult> {
  const { store, sender, destination, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;
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
      throw await retryLater(job, token, payload, err);
    }
  }

  /**
   * Retries are regwire's, not BullMQ's: a job's options then hold only its id and delay, which keeps
   * each scheduled job a compact hash in Redis (memory per scheduled story). A retryable failure puts
   * the job back as delayed with a backoff and counts it in the job's data; the last one fails it.
   */
  async function retryLater(
    job: Job,
    token: string | undefined,
    payload: PublishPayload,
    err: unknown,
  ): Promise<unknown> {
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
    await job.moveToDelayed(Date.now() + waitMs, token);
    return new DelayedError();
  }

  async function attemptPublish(job: Job, token: string | undefined, payload: PublishPayload) {
    const { storyId } = payload;
    const leaseMs = deps.leaseMs ?? 30_000;
    // BullMQ's lock token is already unique per processing of the job.
    const claim = deps.leases ? { token: `${job.id}:${token ?? randomUUID()}`, ttlMs: leaseMs } : undefined;
    // A fresh publication reserves its first send in the same step (a round trip less per story).
    const first = deps.pacer
      ? { part: { index: 0, state: 'sending' as const, at: iso() }, limits: deps.pacer.limits(destination) }
      : undefined;
    const snapshot = await store.beginPublication(storyId, destination, iso(), claim, first);
    if (!snapshot) {
      // Another worker is publishing this story here right now (its job lock was lost, not its lease).
      if (!token) throw new Error('cannot delay a job without its lock token');
      await job.moveToDelayed(Date.now() + Math.min(leaseMs, 2_000), token);
      throw new DelayedError();
    }
    const lease = claim && deps.leases?.held(storyId, destination, claim.token, claim.ttlMs);
    const renewal = lease
      ? setInterval(() => void lease.renew().catch(() => undefined), Math.max(100, Math.floor(leaseMs / 3)))
      : undefined;
    renewal?.unref();
    // Ledger writes are guarded by the lease when there is one.
    const writePart = (part: PartRecord): Promise<void> =>
      lease ? lease.setPart(part) : store.setPart(storyId, destination, part);
    const state: JobWrites = { closed: false };
    try {
      return await publishStory(job, token, payload, snapshot, lease, writePart, state);
    } finally {
      clearInterval(renewal);
      // A job that stops early still lets its last writes land before another worker may take over.
      if (state.unconfirmed) {
        const sent = state.unconfirmed;
        await writePart(sent).catch((err: Error) =>
          logger.warn(
            { storyId, destination, part: sent.index, err: err.message },
            'could not record a sent part',
          ),
        );
      }
      if (!state.closed) await lease?.release().catch(() => undefined);
    }
  }

  async function publishStory(
    job: Job,
    token: string | undefined,
    payload: PublishPayload,
    snapshot: PublishSnapshot,
    lease: PublicationLease | undefined,
    writePart: (part: PartRecord) => Promise<void>,
    state: JobWrites,
  ): Promise<PublishResult> {
    const { storyId } = payload;
    const { record, publication } = snapshot;
    if (!record) throw new UnrecoverableError(`story ${storyId} is not in the store`);
    if (publication?.state === 'cancelled') return { storyId, destination, remoteIds: [], skipped: true };

    const log = logger.child({ storyId, destination });
    const { reason: _scheduledReason, ...kept } = publication ?? {};
    const ledger = new Map(snapshot.parts.map((p) => [p.index, p]));
    if (job.attemptsStarted <= 1 && ledger.size === 0) {
      metrics.lateness(destination, deps.now().getTime() - (job.timestamp + (job.opts.delay ?? 0)));
    }
    if ([...ledger.values()].some((p) => p.state === 'sent')) metrics.resumed(destination);
    const remoteIds: string[] = [];
    let previous: string | undefined;
    // Part 0 was reserved and recorded as `sending` by the begin step.
    let reserved = snapshot.firstSendWaitMs === 0;

    const total = sender.partCount(record);
    if (reserved && total === 0) {
      await markFailed(0, 'nothing to send to this destination');
      reserved = false;
    }
    for (let index = 0; index < total; index++) {
      const done = await settledRemoteId(ledger.get(index), index, previous);
      if (done !== undefined) {
        remoteIds.push(done);
        previous = done;
        continue;
      }
      // The 'sending' record is written in the same atomic step as the rate reservation.
      if (reserved && index === 0) reserved = false;
      else await reserveAndMarkSending({ index, state: 'sending', at: iso(), ...replyTo(previous) });
      let remoteId: string;
      const startedAt = Date.now();
      try {
        remoteId = await sender.send(record, index, previous);
        metrics.partSent(destination, Date.now() - startedAt);
      } catch (err) {
        metrics.failure(destination, err instanceof PublishError ? err.kind : 'unexpected');
        remoteId = await handleSendError(err, index, previous);
      }
      // Written with the next part's reservation (or the finish): one round trip per part, not two.
      // Nothing else is sent before it has landed.
      state.unconfirmed = { index, state: 'sent', remoteId, at: iso(), ...replyTo(previous) };
      log.info({ part: index, remoteId }, 'part sent');
      remoteIds.push(remoteId);
      previous = remoteId;
    }
    const doneAt = deps.now();
    await store.finishPublication(
      { ...kept, destination, state: 'published', updatedAt: doneAt.toISOString() },
      storyId,
      doneAt.getTime(),
      !record.story.tags.includes('digest'),
      {
        ...(state.unconfirmed ? { lastPart: state.unconfirmed } : {}),
        ...(lease ? { leaseToken: lease.token } : {}),
      },
    );
    state.unconfirmed = undefined;
    state.closed = lease !== undefined;
    log.info({ parts: total }, 'published');
    return { storyId, destination, remoteIds };

    /** The remote id of a part that needs no send, or undefined when it must be sent. */
    async function settledRemoteId(
      part: PartRecord | undefined,
      index: number,
      prev: string | undefined,
    ): Promise<string | undefined> {
      if (!part || part.state === 'failed') return undefined;
      if (part.state === 'sent' && part.remoteId !== undefined) return part.remoteId;
      if (part.state === 'unknown') {
        throw await needsAttention(index, part.reason ?? 'outcome unknown; an editor must decide');
      }
      // `sending`: a previous attempt died mid-call. Never resend blindly.
      const found = await sender.reconcile(record!, index, prev);
      if (typeof found === 'string') {
        await writePart({
          index,
          state: 'sent',
          remoteId: found,
          at: iso(),
          ...replyTo(prev),
        });
        log.warn({ part: index, remoteId: found }, 'reconciled: part had landed before the interruption');
        return found;
      }
      if (found === null) {
        await writePart({
          index,
          state: 'unknown',
          at: iso(),
          reason: 'interrupted while sending; it may have been posted',
        });
        throw await needsAttention(index, 'interrupted while sending; it may have been posted');
      }
      return undefined;
    }

    async function handleSendError(err: unknown, index: number, prev: string | undefined): Promise<string> {
      if (!(err instanceof PublishError)) {
        await markFailed(index, `unexpected error: ${(err as Error)?.message ?? String(err)}`);
        throw err;
      }
      switch (err.kind) {
        case 'unknown-outcome': {
          const found = await sender.reconcile(record!, index, prev).catch(() => null);
          if (typeof found === 'string') return found;
          if (found === undefined) {
            await markFailed(index, err.reason);
            throw err;
          }
          await writePart({
            index,
            state: 'unknown',
            at: iso(),
            reason: err.reason,
          });
          throw await needsAttention(index, `outcome unknown: ${err.reason}`);
        }
        case 'rate-limited': {
          await markFailed(index, err.reason);
          const waitMs = err.retryAfterMs ?? 5_000;
          log.warn({ part: index, waitMs }, 'rate limited; pausing this destination');
          // Every worker's next send to this destination waits too (jobs already running included),
          // not only the jobs this queue has yet to start.
          const nowMs = deps.now().getTime();
          await deps.pacer
            ?.recordLive(destination, {
              window: { remaining: 0, resetAtMs: nowMs + waitMs, observedAtMs: nowMs },
            })
            .catch(() => undefined);
          await deps.pauseDestination(waitMs);
          throw Worker.RateLimitError();
        }
        case 'transient': {
          await markFailed(index, err.reason);
          const attempt = (payload.failures ?? 0) + 1;
          if (attempt >= deps.retry.attempts) {
            await store.updatePublication(
              storyId,
              destination,
              'failed',
              iso(),
              `gave up after ${attempt} attempts: ${err.reason}`,
            );
            await alert('failed', index, `part ${index + 1} failed ${attempt} times: ${err.reason}`);
          } else {
            log.warn({ part: index, attempt, reason: err.reason }, 'transient failure; will retry');
          }
          throw err;
        }
        case 'permanent':
        case 'auth': {
          await markFailed(index, err.reason);
          await store.updatePublication(storyId, destination, 'failed', iso(), `${err.kind}: ${err.reason}`);
          await alert('failed', index, `part ${index + 1} refused by ${err.platform}: ${err.reason}`);
          log.error({ part: index, kind: err.kind, reason: err.reason }, 'publish failed');
          throw new UnrecoverableError(`${err.kind}: ${err.reason}`);
        }
      }
    }

    /** Waits for this destination's rate budget; a long wait puts the job back as delayed. */
    async function reserveAndMarkSending(part: PartRecord): Promise<void> {
      const index = part.index;
      const confirmed = state.unconfirmed;
      if (!deps.pacer) {
        if (confirmed) await writePart(confirmed);
        await writePart(part);
        state.unconfirmed = undefined;
        return;
      }
      const plain: ReservationMark = { storyId, part, ...(lease ? { leaseToken: lease.token } : {}) };
      let mark: ReservationMark = confirmed ? { ...plain, confirmed } : plain;
      for (;;) {
        const waitMs = await deps.pacer.reserve(destination, mark);
        // The confirmation is written by the first call, whether or not the send must wait.
        state.unconfirmed = undefined;
        mark = plain;
        if (waitMs <= 0) return;
        if (waitMs <= INLINE_PACING_WAIT_MS) {
          await new Promise((r) => setTimeout(r, waitMs));
          continue;
        }
        log.info({ part: index, waitMs }, 'paced: waiting for the rate budget');
        if (!token) throw new Error('cannot delay a job without its lock token');
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
    }

    async function alert(kind: 'failed' | 'unknown-outcome', index: number, message: string): Promise<void> {
      await deps.alerts
        ?.publish({ storyId, destination, kind, part: index, message })
        .catch((err: Error) => log.warn({ err: err.message }, 'could not publish alert'));
    }

    async function markFailed(index: number, reason: string): Promise<void> {
      await writePart({ index, state: 'failed', at: iso(), reason });
    }

    async function needsAttention(index: number, reason: string): Promise<UnrecoverableError> {
      await store.updatePublication(
        storyId,
        destination,
        'needs-attention',
        iso(),
        `part ${index + 1}: ${reason}`,
      );
      log.error({ part: index, reason }, 'needs an editor');
      await alert('unknown-outcome', index, reason);
      return new UnrecoverableError(`part ${index + 1}: ${reason}`);
    }
  }

  return processPublish;
}

function replyTo(previous: string | undefined): { replyTo?: string } {
  return previous === undefined ? {} : { replyTo: previous };
}

/** What a publish job has written, or still has to. */
interface JobWrites {
  /** The last part sent and not yet recorded as `sent` (it goes with the next reservation or the finish). */
  unconfirmed?: PartRecord;
  /** The finish released the lease already. */
  closed: boolean;
}
