import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Amendment } from '../src/domain/amendment.js';
import { expireProposals, isOpenProposal, proposalWait } from '../src/domain/proposal-expiry.js';
import type { AlertBus } from '../src/ports/alert-bus.js';
import type { Desk } from '../src/ports/desk.js';
import type { IntakeBus } from '../src/ports/intake-bus.js';
import type { PlanStore } from '../src/ports/plan-store.js';
import type { StoryStore } from '../src/ports/story-store.js';
import type { Logger } from '../src/util/logger.js';
import { settleAbandoned } from './abandoned-publication.js';
import type { AmendQueue } from './amend-queue.js';
import type { PublishQueues } from './publish-queues.js';
import { publishJobId } from './publish-queues.js';

/** The queue of regwire's own periodic jobs: the daily digest and the stuck-publication sweep. */
export const MAINTENANCE_QUEUE = 'maintenance';
/** The daily digest job: no payload; result `{ sent: true, stories }` or `{ sent: false, reason }`. */
export const DIGEST_JOB = 'digest';
/**
 * The editors' daily digest (to their chat, through the editors' news channel): no payload; result
 * `{ sent: true, day }` or `{ sent: false, reason }`.
 */
export const EDITORS_DIGEST_JOB = 'editors-digest';
/** The stuck-publication sweep: no payload; result `{ requeued, settled }` (see {@link sweep}). */
export const SWEEP_JOB = 'sweep';

/** What the maintenance jobs need: the desk (digest), the stores and queues (sweep), the alert bus. */
export interface MaintenanceDeps {
  readonly desk: Desk;
  readonly store: StoryStore;
  readonly plans: PlanStore;
  readonly queues: PublishQueues;
  /** The amend queue: its operations (corrections, retractions, updates, pins) are swept too. */
  readonly amendments?: AmendQueue;
  /** Tells the editors about publications the sweep found failed without anyone having been told. */
  readonly alerts?: AlertBus;
  /** Carries the editors' digest to their chat (the bot relays it); without it the digest is not sent. */
  readonly intake?: IntakeBus;
  readonly logger: Logger;
  /** Epoch ms. */
  readonly now: () => number;
  /**
   * A previewed correction, retraction or update nobody confirmed or cancelled within this long is discarded
   * by the sweep (`amendments.proposalTtlHours`). Default 24 h.
   */
  readonly proposalTtlMs?: number;
}

const DEFAULT_PROPOSAL_TTL_MS = 24 * 3_600_000;

// A publication this late with no job behind it was lost (e.g. Redis restored from an old snapshot).
const STUCK_AFTER_MS = 2 * 60_000;
// A job failed this long ago whose publication still says publishing: its worker died before recording
// the failure (recording it is the worker's own job right after the failure).
const UNRECORDED_FAILURE_AFTER_MS = 60_000;
const SWEEP_LOOKBACK_MS = 48 * 3_600_000;

/**
 * Creates the processor for digest and sweep jobs (neither has a payload); an unknown job name fails as
 * unrecoverable.
 */
export function createMaintenanceProcessor(deps: MaintenanceDeps) {
  return async function processMaintenance(job: Job): Promise<unknown> {
    if (job.name === DIGEST_JOB) {
      const result = await deps.desk.digest('scheduled', { kind: 'system', name: 'daily digest' });
      if (!result.ok) {
        deps.logger.info({ reason: result.error }, 'digest: nothing sent');
        return { sent: false, reason: result.error };
      }
      deps.logger.info({ stories: result.value.storyIds.length }, 'digest queued');
      return { sent: true, stories: result.value.storyIds };
    }
    if (job.name === EDITORS_DIGEST_JOB) return editorsDigest(deps);
    if (job.name === SWEEP_JOB) return sweep(deps);
    throw new UnrecoverableError(`unknown maintenance job "${job.name}"`);
  };
}

// A second digest for a day is refused for this long: past the age at which the first is still delivered.
const EDITORS_DIGEST_ONCE_MS = 3 * 86_400_000;

/**
 * Tells the editors what X cost yesterday (the UTC day before now) and this month against the budget, once
 * per day: a run again for a day already sent (a retry, a stalled job, a second process) sends nothing.
 */
export async function editorsDigest(
  deps: Pick<MaintenanceDeps, 'desk' | 'intake' | 'logger' | 'now'>,
): Promise<{ sent: true; day: string } | { sent: false; reason: string }> {
  if (!deps.intake) return { sent: false, reason: 'no channel to the editors' };
  const nowMs = deps.now();
  const day = new Date(nowMs - 86_400_000).toISOString().slice(0, 10);
  const event = {
    kind: 'editors-digest',
    day,
    madeAt: new Date(nowMs).toISOString(),
    spend: await deps.desk.xSpend(),
  } as const;
  if (!(await deps.intake.publishOnce(event, `editors-digest:${day}`, EDITORS_DIGEST_ONCE_MS))) {
    deps.logger.info({ day }, "editors' digest already sent for this day; not again");
    return { sent: false, reason: `the digest for ${day} was already sent` };
  }
  deps.logger.info({ day }, "editors' digest queued");
  return { sent: true, day };
}

/**
 * Finds publications that are due and still scheduled or publishing, but that nothing will move on:
 * with no job to run them it re-queues them (publishing resumes at the first unconfirmed part); with a
 * job that failed without the failure being recorded it marks them failed and tells the editors. Then it
 * discards proposals left unconfirmed too long (see {@link sweepProposals}): `expired` names them.
 */
export async function sweep(
  deps: Omit<MaintenanceDeps, 'desk'>,
): Promise<{ requeued: string[]; settled: string[]; expired: string[] }> {
  const nowMs = deps.now();
  const requeued: string[] = [];
  const settled: string[] = [];
  for (const destination of deps.queues.destinations()) {
    const due = await deps.plans.entries(destination, nowMs - SWEEP_LOOKBACK_MS, nowMs - STUCK_AFTER_MS);
    for (const entry of due) {
      const pub = (await deps.store.publications(entry.storyId)).find((p) => p.destination === destination);
      if (!pub || (pub.state !== 'scheduled' && pub.state !== 'publishing')) continue;
      const job = await deps.queues.queue(destination).getJob(publishJobId(entry.storyId, destination));
      const state = job ? await job.getState() : 'missing';
      if (state === 'missing' || state === 'unknown' || state === 'completed') {
        deps.logger.warn(
          { storyId: entry.storyId, destination, state },
          'sweep: publication had no job; re-queued',
        );
        if (job) await job.remove().catch(() => undefined);
        await deps.queues.schedule(entry.storyId, destination, nowMs);
        requeued.push(`${entry.storyId}-${destination}`);
      } else if (
        state === 'failed' &&
        job &&
        nowMs - (job.finishedOn ?? nowMs) > UNRECORDED_FAILURE_AFTER_MS
      ) {
        const reason = job.failedReason || 'the job failed';
        deps.logger.warn({ storyId: entry.storyId, destination, reason }, 'sweep: failed job never recorded');
        const settledNow = await settleAbandoned(deps.store, deps.alerts, {
          storyId: entry.storyId,
          destination,
          reason,
          at: new Date(nowMs).toISOString(),
          from: ['publishing', 'scheduled'],
        }).catch((err: Error) => {
          deps.logger.warn({ err: err.message }, 'sweep: could not settle or alert');
          return false;
        });
        if (!settledNow) continue;
        settled.push(`${entry.storyId}-${destination}`);
      }
    }
  }
  if (deps.amendments) requeued.push(...(await sweepAmendments(deps.amendments, deps, nowMs)));
  const expired = await sweepProposals(deps, nowMs);
  return { requeued, settled, expired };
}

/**
 * The sweep's part for previews nobody answered: on every story that may hold one, each correction,
 * retraction or update proposed `proposalTtlMs` or longer ago and neither confirmed nor cancelled is
 * discarded (nothing of it was sent), by compare-and-set on the story record, so a Confirm at the same
 * moment either lands first (and the proposal is no longer open) or finds it expired; and the story's
 * history says so ("correction c2 expired unconfirmed after 24 h"). Returns `<story>-<amendment>` for each.
 */
export async function sweepProposals(
  deps: Pick<MaintenanceDeps, 'store' | 'logger' | 'proposalTtlMs'>,
  nowMs: number,
): Promise<string[]> {
  const ttlMs = deps.proposalTtlMs ?? DEFAULT_PROPOSAL_TTL_MS;
  const expired: string[] = [];
  for (const storyId of await deps.store.proposalStories()) {
    let gone: readonly Amendment[] = [];
    const written = await deps.store.update(storyId, (current) => {
      const result = expireProposals(current.amendments ?? [], nowMs, ttlMs);
      gone = result.expired;
      return result.expired.length === 0 ? undefined : { ...current, amendments: result.amendments };
    });
    const at = new Date(nowMs).toISOString();
    for (const amendment of written ? gone : []) {
      const action = `${amendment.kind} ${amendment.id} expired unconfirmed after ${proposalWait(amendment)}`;
      deps.logger.info({ storyId, amendmentId: amendment.id }, `sweep: ${action}`);
      await deps.store.appendHistory(storyId, { at, actor: { kind: 'system', name: 'sweep' }, action });
      expired.push(`${storyId}-${amendment.id}`);
    }
    const record = written ?? (await deps.store.get(storyId));
    if (!(record?.amendments ?? []).some(isOpenProposal)) await deps.store.forgetProposalStory(storyId);
  }
  return expired;
}

/**
 * The amend queue's part of the sweep: an operation started at least {@link STUCK_AFTER_MS} ago whose
 * publication is still scheduled or publishing but has no job waiting, delayed or running is queued again
 * (its ledger says what is left); settled ones, and ones that never left `none` (a crash between noting
 * and starting them), are dropped from the index.
 */
export async function sweepAmendments(
  amendments: AmendQueue,
  deps: Pick<MaintenanceDeps, 'store' | 'logger'>,
  nowMs: number,
): Promise<string[]> {
  const requeued: string[] = [];
  for (const { storyId, destination, sinceMs } of await amendments.pending()) {
    const pub = (await deps.store.publications(storyId)).find((p) => p.destination === destination);
    const state = pub?.state ?? 'none';
    const old = nowMs - sinceMs > STUCK_AFTER_MS;
    if (state !== 'scheduled' && state !== 'publishing') {
      if (state !== 'none' || old) await amendments.forget(storyId, destination);
      continue;
    }
    if (!old) continue;
    const job = await amendments.jobState(storyId, destination);
    if (job === 'missing' || job === 'unknown' || job === 'completed') {
      deps.logger.warn(
        { storyId, destination, state: job },
        'sweep: amendment operation had no job; re-queued',
      );
      await amendments.schedule(storyId, destination);
      requeued.push(`${storyId}-${destination}`);
    }
  }
  return requeued;
}

/** Where {@link startMaintenance} runs and when its jobs come round. */
export interface MaintenanceOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix of the maintenance queue (see `bullPrefix`). */
  readonly prefix: string;
  /** The daily digest, at `hour`:`minute` in `timeZone` (IANA), when enabled. */
  readonly digest: {
    readonly enabled: boolean;
    readonly hour: number;
    readonly minute: number;
    readonly timeZone: string;
  };
  /** The editors' daily digest (X spend), at `hour`:`minute` in `timeZone`, when given and enabled. */
  readonly editorsDigest?: {
    readonly enabled: boolean;
    readonly hour: number;
    readonly minute: number;
    readonly timeZone: string;
  };
  /** How often the sweep runs, in ms. */
  readonly sweepEveryMs: number;
}

/** Registers the job schedulers (idempotent: upserted on every start) and starts the worker. */
export async function startMaintenance(options: MaintenanceOptions, deps: MaintenanceDeps) {
  const queue = new Queue(MAINTENANCE_QUEUE, { connection: options.connection, prefix: options.prefix });
  // Without a listener BullMQ prints the error with console.error, past the logger's secret scrubbing.
  queue.on('error', (err) => deps.logger.error({ err: err.message }, 'maintenance queue error'));
  if (options.digest.enabled) {
    await queue.upsertJobScheduler(
      DIGEST_JOB,
      { pattern: `${options.digest.minute} ${options.digest.hour} * * *`, tz: options.digest.timeZone },
      { name: DIGEST_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
  } else {
    await queue.removeJobScheduler(DIGEST_JOB);
  }
  const editors = options.editorsDigest;
  if (editors?.enabled) {
    await queue.upsertJobScheduler(
      EDITORS_DIGEST_JOB,
      { pattern: `${editors.minute} ${editors.hour} * * *`, tz: editors.timeZone },
      { name: EDITORS_DIGEST_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
  } else {
    await queue.removeJobScheduler(EDITORS_DIGEST_JOB);
  }
  await queue.upsertJobScheduler(
    SWEEP_JOB,
    { every: options.sweepEveryMs },
    { name: SWEEP_JOB, opts: { removeOnComplete: 10, removeOnFail: 50 } },
  );
  const worker = new Worker(MAINTENANCE_QUEUE, createMaintenanceProcessor(deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
  });
  worker.on('error', (err) => deps.logger.error({ err: err.message }, 'maintenance worker error'));
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
