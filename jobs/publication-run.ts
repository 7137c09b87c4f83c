import { UnrecoverableError } from 'bullmq';
import type { PartRecord, StoryRecord } from '../src/domain/publication.js';
import { PublishError, UNPAID_REFUSALS } from '../src/errors/publish-error.js';
import type { SentXPost } from '../src/format/x-duplicates.js';
import type { PublishMetrics } from '../src/ops/metrics.js';
import type { Alert, AlertBus } from '../src/ports/alert-bus.js';
import type { CreditHolds } from '../src/ports/credit-holds.js';
import type { Pacer, ReservationMark } from '../src/ports/pacer.js';
import type { PublicationLease } from '../src/ports/publication-lease.js';
import type { PublishSnapshot, StoryStore } from '../src/ports/story-store.js';
import type { Logger } from '../src/util/logger.js';
import type { PartSender } from './part-sender.js';
import { withAdvice } from './refusal-advice.js';
import type { BudgetGate } from './x-spend.js';

/**
 * Why a run stopped without finishing, for the BullMQ shell to act on (see `publish.job.ts`):
 * - `delay`: come back at `untilMs` (a pacing wait too long to sleep, or a part another attempt may
 *   still be sending);
 * - `rate-limited`: the platform said to wait; the destination is paused already.
 */
export class RunInterrupted extends Error {
  override readonly name = 'RunInterrupted';
  constructor(
    readonly kind: 'delay' | 'rate-limited',
    readonly untilMs: number,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * The run ended the publication for good and recorded why (failed, or waiting for an editor) and told
 * the editors: the worker's failure handler must not record it again (it would race an editor who is
 * already resuming it).
 */
export class RecordedFailure extends UnrecoverableError {
  readonly recorded = true;
}

/** What one run needs: the attempt's lease, the ledger as the begin step read it, and the platform. */
export interface PublicationRunDeps {
  readonly storyId: string;
  readonly destination: string;
  readonly snapshot: PublishSnapshot & { readonly record: StoryRecord };
  readonly lease: PublicationLease;
  readonly store: StoryStore;
  readonly sender: PartSender;
  readonly pacer?: Pacer;
  readonly alerts?: AlertBus;
  readonly metrics: PublishMetrics;
  /** Aborted when the lease may be lost: the in-flight send is cut off and nothing new starts. */
  readonly signal: AbortSignal;
  /**
   * How long a `sending` part of another attempt may still be in flight: that attempt's request timeout
   * plus the lease it held. Younger ones are waited out before they are reconciled.
   */
  readonly inFlightMs: number;
  /** True on the publication's last allowed attempt: an unanswerable reconcile goes to an editor. */
  readonly lastAttempt: boolean;
  /** Failed attempts so far, for the transient-failure message. */
  readonly failures: number;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Shared record of destinations whose account cannot pay: editors are told once per pause. */
  readonly creditHolds?: CreditHolds;
  /**
   * While the account cannot pay, how long this destination waits between tries (the next send is the
   * probe; a refused call is not billed). Default 10 minutes.
   */
  readonly creditsProbeMs?: number;
  /** Holds a story whose thread would take the spend over the budget, before its first part. */
  readonly budgetGate?: BudgetGate;
  /**
   * The recent post of another story or amendment that part `index` repeats, when the platform refused it
   * as duplicate content and it is not found as this story's own: then it was certainly not posted.
   */
  readonly repeats?: (record: StoryRecord, index: number) => Promise<SentXPost | undefined>;
}

/** How a run ended. `stopped`: cancelled or skipped meanwhile; what was out stays out. */
export interface RunOutcome {
  readonly remoteIds: readonly (string | undefined)[];
  readonly ended: 'published' | 'stopped';
}

// A pacing wait up to this long is slept in the worker; longer ones move the job back to delayed.
const INLINE_PACING_WAIT_MS = 1_500;
const DEFAULT_CREDITS_PROBE_MS = 10 * 60 * 1000;

/** A platform refusal that means the account cannot pay for calls (out of credits, spending limit). */
const isUnpaid = (err: PublishError): boolean =>
  err.refusal !== undefined && UNPAID_REFUSALS.has(err.refusal);

/**
 * The per-part ledger protocol of one publish attempt. Each part is recorded as `sending` (with this
 * attempt's token) before the platform call and `sent` with its remote id after it, so a part is never
 * sent twice and a thread resumes where it stopped, replying to the last confirmed tweet. A part whose
 * outcome is unknown is reconciled where the platform allows it, and otherwise left to an editor.
 */
export class PublicationRun {
  /** The last part sent and not yet recorded as `sent` (it goes with the next reservation or the finish). */
  private unconfirmed: PartRecord | undefined;
  /** A part this attempt marked `sending` whose send has not started (taken back if the run stops). */
  private markedNotSent: number | undefined;
  private readonly log: Logger;

  constructor(private readonly deps: PublicationRunDeps) {
    this.log = deps.logger.child({ storyId: deps.storyId, destination: deps.destination });
  }

  /** Sends every part not yet confirmed, in order, then finishes the publication. */
  async run(): Promise<RunOutcome> {
    const { snapshot, sender } = this.deps;
    const record = snapshot.record;
    const ledger = new Map(snapshot.parts.map((p) => [p.index, p]));
    const total = sender.partCount(record);
    const remoteIds: (string | undefined)[] = [];
    let previous: string | undefined;
    // Part 0 was reserved and recorded as `sending` by the begin step.
    let reserved = snapshot.firstSendWaitMs === 0;
    if (reserved) this.markedNotSent = 0;
    if (total === 0) {
      if (reserved) await this.markFailed({ index: 0 }, 'nothing to send to this destination');
      this.markedNotSent = undefined;
      return this.finish(remoteIds);
    }
    // Only a publication with nothing recorded but this attempt's own first mark: a story an editor sent
    // on after a hold (its first part then recorded as held) is not held again, unless the editor asked
    // for the budget to be checked again (its link dropped: part 0 then says so, nothing having gone out).
    const untouched = snapshot.parts.every(
      (p) =>
        (p.state === 'sending' && p.attempt === this.deps.lease.token) ||
        (p.index === 0 && p.state === 'failed' && p.recheckBudget === true),
    );
    if (this.deps.budgetGate && untouched) {
      const breaking = snapshot.publication?.reason?.startsWith('breaking') ?? false;
      const hold = await this.deps.budgetGate(record, breaking);
      if (hold) throw await this.holdForBudget(hold);
    }
    for (let index = 0; index < total; index++) {
      const part = ledger.get(index);
      const settled = await this.settled(record, part, index, previous);
      if (settled.done) {
        remoteIds.push(settled.remoteId);
        previous = settled.remoteId;
        continue;
      }
      const newThread = part?.newThread === true;
      const replyTo = newThread ? undefined : previous;
      if (sender.platform === 'x' && index > 0 && replyTo === undefined && !newThread) {
        throw await this.needsAttention(
          index,
          `tweet ${index} was confirmed without its link, and tweet ${index + 1} must reply to it: ` +
            'give its link (Mark as posted), or post the rest as a new thread',
        );
      }
      const mark: PartRecord = {
        index,
        state: 'sending',
        at: this.iso(),
        attempt: this.deps.lease.token,
        ...(replyTo === undefined ? {} : { replyTo }),
        ...(newThread ? { newThread: true } : {}),
      };
      if (reserved && index === 0) reserved = false;
      else if (!settled.ownMark) await this.reserveAndMarkSending(mark);
      this.markedNotSent = index;
      const remoteId = await this.sendPart(record, mark, replyTo);
      // A part an earlier attempt saw refused has now gone through: if that was for want of credits, the
      // account pays again (only resumed parts ask, so a fresh publication costs no extra round trip).
      if (part?.state === 'failed') await this.endCreditHold();
      // Written with the next part's reservation (or the finish): one round trip per part, not two.
      // Nothing else is sent before it has landed.
      this.unconfirmed = { ...mark, state: 'sent', remoteId, at: this.iso(), attempt: undefined };
      this.log.info({ part: index, remoteId }, 'part sent');
      remoteIds.push(remoteId);
      previous = remoteId;
    }
    return this.finish(remoteIds);
  }

  /**
   * Writes what a stopped run still owes the ledger: the last part's confirmation, and takes back a
   * `sending` mark whose send never started. Never throws.
   */
  async settle(): Promise<void> {
    const { lease, storyId, destination } = this.deps;
    const sent = this.unconfirmed;
    if (sent) {
      await lease
        .setPart(sent)
        .catch((err: Error) =>
          this.log.warn({ part: sent.index, err: err.message }, 'could not record a sent part'),
        );
      this.unconfirmed = undefined;
    }
    const index = this.markedNotSent;
    if (index !== undefined) {
      this.markedNotSent = undefined;
      await lease
        .retractSending(index, 'not sent: the attempt stopped before sending it', this.iso())
        .catch((err: Error) =>
          this.log.warn(
            { storyId, destination, part: index, err: err.message },
            'could not take back a mark',
          ),
        );
    }
  }

  private async finish(remoteIds: (string | undefined)[]): Promise<RunOutcome> {
    const { store, storyId, destination, snapshot, lease } = this.deps;
    const { reason: _scheduledReason, ...kept } = snapshot.publication ?? {};
    const doneAt = this.deps.now();
    const ended = await store.finishPublication(
      { ...kept, destination, state: 'published', updatedAt: doneAt.toISOString() },
      storyId,
      doneAt.getTime(),
      !snapshot.record.story.tags.includes('digest'),
      { ...(this.unconfirmed ? { lastPart: this.unconfirmed } : {}), leaseToken: lease.token },
    );
    this.unconfirmed = undefined;
    if (ended === 'stopped')
      this.log.warn({ parts: remoteIds.length }, 'cancelled while its last part went out');
    else this.log.info({ parts: remoteIds.length }, 'published');
    return { remoteIds, ended };
  }

  /** Whether part `index` needs no send (and its remote id), or must be sent. */
  private async settled(
    record: StoryRecord,
    part: PartRecord | undefined,
    index: number,
    previous: string | undefined,
  ): Promise<{ done: true; remoteId: string | undefined } | { done: false; ownMark: boolean }> {
    if (!part || part.state === 'failed') return { done: false, ownMark: false };
    // An editor's confirmation may come without a remote id (Telegram cannot be looked up).
    if (part.state === 'sent') return { done: true, remoteId: part.remoteId };
    if (part.state === 'unknown') {
      throw await this.needsAttention(index, part.reason ?? 'outcome unknown; an editor must decide');
    }
    // `sending`, written by this very attempt (its begin step was re-sent after a reconnect): this
    // attempt knows it never called the platform.
    if (part.attempt === this.deps.lease.token) return { done: false, ownMark: true };
    // `sending` from another attempt: it may still be in flight. Wait it out, then never resend blindly.
    // (Without an attempt token it is an editor's Retry of an unknown part: nothing is in flight.)
    const ageMs = this.deps.now().getTime() - Date.parse(part.at);
    if (part.attempt !== undefined && Number.isFinite(ageMs) && ageMs < this.deps.inFlightMs) {
      const untilMs = Date.now() + (this.deps.inFlightMs - ageMs);
      throw new RunInterrupted('delay', untilMs, `part ${index + 1} may still be in flight elsewhere`);
    }
    const found = await this.reconcile(record, index, part.newThread ? undefined : previous, part.at);
    if (typeof found === 'string') {
      await this.deps.lease.setPart({
        ...part,
        state: 'sent',
        remoteId: found,
        at: this.iso(),
        attempt: undefined,
      });
      this.log.warn({ part: index, remoteId: found }, 'reconciled: part had landed before the interruption');
      return { done: true, remoteId: found };
    }
    if (found === null) {
      const reason = 'interrupted while sending; it may have been posted';
      await this.writeUnknown(part, reason);
      throw await this.needsAttention(index, reason);
    }
    return { done: false, ownMark: false };
  }

  /**
   * Looks for part `index` on the platform. A read that fails is retried by the job, except on its last
   * attempt, where the part goes to an editor rather than to a dead end.
   */
  private async reconcile(
    record: StoryRecord,
    index: number,
    previous: string | undefined,
    sentAfter: string,
  ): Promise<string | undefined | null> {
    try {
      return await this.deps.sender.reconcile(record, index, previous, { sentAfter });
    } catch (err) {
      // The account cannot pay for the read: the part stays as it was, looked up again after the pause.
      if (err instanceof PublishError && isUnpaid(err)) throw await this.pauseUnpaid(index, err);
      // Refused (X answers 403 to timeline reads on some access levels): only an editor can tell.
      const refused = err instanceof PublishError && (err.kind === 'auth' || err.kind === 'permanent');
      if (refused || this.deps.lastAttempt) {
        this.log.warn({ part: index, err: (err as Error).message }, 'cannot look the part up');
        return null;
      }
      throw err;
    }
  }

  private async sendPart(
    record: StoryRecord,
    mark: PartRecord,
    replyTo: string | undefined,
  ): Promise<string> {
    const { sender, signal, metrics, destination } = this.deps;
    // The lease was checked atomically with the mark; an abort since then means it may be gone.
    if (signal.aborted) throw signal.reason;
    this.markedNotSent = undefined;
    const startedAt = Date.now();
    try {
      const remoteId = await sender.send(record, mark.index, replyTo, signal, {
        ...(mark.newThread ? { newThread: true } : {}),
      });
      metrics.partSent(destination, Date.now() - startedAt);
      return remoteId;
    } catch (err) {
      metrics.failure(destination, err instanceof PublishError ? err.kind : 'unexpected');
      return this.handleSendError(record, mark, replyTo, err);
    }
  }

  private async handleSendError(
    record: StoryRecord,
    mark: PartRecord,
    replyTo: string | undefined,
    err: unknown,
  ): Promise<string> {
    const { index } = mark;
    // Anything not mapped (a bug, a surprise from a library) may have come after the request was sent.
    const error =
      err instanceof PublishError
        ? err
        : new PublishError({
            kind: 'unknown-outcome',
            platform: this.deps.sender.platform,
            reason: `unexpected error: ${(err as Error)?.message ?? String(err)}`,
            cause: err,
          });
    if (error.kind === 'unknown-outcome' || error.refusal === 'duplicate') {
      const found = await this.reconcile(record, index, replyTo, mark.at);
      if (typeof found === 'string') {
        this.log.warn(
          { part: index, remoteId: found, reason: error.reason },
          'reconciled after an unknown outcome',
        );
        return found;
      }
      if (found === undefined && error.refusal === 'duplicate') {
        const same = await this.deps.repeats?.(record, index).catch(() => undefined);
        if (same) throw await this.refuseRepeat(mark, same);
      }
      // Otherwise X refusing a duplicate is proof an earlier attempt posted it, even when the timeline
      // misses it.
      if (found === undefined && error.refusal !== 'duplicate') {
        await this.markFailed(mark, `not posted (checked): ${error.reason}`);
        throw error;
      }
      const reason =
        error.refusal === 'duplicate'
          ? `${error.platform} refused it as a duplicate of a post already made: ${error.reason}`
          : `outcome unknown: ${error.reason}`;
      await this.writeUnknown(mark, reason);
      throw await this.needsAttention(index, reason);
    }
    switch (error.kind) {
      case 'rate-limited': {
        // Refused before acting: the part was not posted and is sent again after the wait.
        await this.markFailed(mark, error.reason);
        if (isUnpaid(error)) throw await this.pauseUnpaid(index, error);
        const waitMs = error.retryAfterMs ?? 5_000;
        this.log.warn({ part: index, waitMs }, 'rate limited; pausing this destination');
        // Every worker's next send to this destination waits too (jobs already running included).
        const nowMs = this.deps.now().getTime();
        await this.deps.pacer
          ?.recordLive(this.deps.destination, {
            window: { remaining: 0, resetAtMs: nowMs + waitMs, observedAtMs: nowMs },
          })
          .catch(() => undefined);
        throw new RunInterrupted('rate-limited', Date.now() + waitMs, error.reason);
      }
      case 'transient': {
        await this.markFailed(mark, error.reason);
        const attempt = this.deps.failures + 1;
        if (this.deps.lastAttempt) {
          await this.fail(index, `gave up after ${attempt} attempts: ${error.reason}`);
          await this.alert('failed', index, `part ${index + 1} failed ${attempt} times: ${error.reason}`);
          throw new RecordedFailure(`gave up after ${attempt} attempts: ${error.reason}`);
        } else {
          this.log.warn({ part: index, attempt, reason: error.reason }, 'transient failure; will retry');
        }
        throw error;
      }
      default: {
        await this.markFailed(mark, error.reason);
        await this.fail(index, `${error.kind}: ${error.reason}`);
        const replyRefused = error.refusal === 'reply-restricted' || error.refusal === 'reply-target-gone';
        await this.alert(
          'failed',
          index,
          replyRefused
            ? `the thread stops before tweet ${index + 1}: ${error.platform} refuses it as a reply (${error.reason}); nothing after it was sent`
            : withAdvice(`part ${index + 1} refused by ${error.platform}: ${error.reason}`, error.refusal),
        );
        this.log.error({ part: index, kind: error.kind, reason: error.reason }, 'publish failed');
        throw new RecordedFailure(`${error.kind}: ${error.reason}`);
      }
    }
  }

  /**
   * A part X refused as duplicate content because it repeats another story's recent post: not posted, so
   * the publication fails for good (the text must change first) and the editors hear which post it repeats.
   */
  private async refuseRepeat(mark: PartRecord, same: SentXPost): Promise<RecordedFailure> {
    const { index } = mark;
    const at = same.at.slice(11, 16);
    const reason = `not posted: X refused it as duplicate content (it repeats ${same.what}, sent ${at} UTC)`;
    await this.markFailed(mark, reason);
    await this.fail(index, `permanent: ${reason}`);
    await this.alert(
      'failed',
      index,
      `part ${index + 1} was not posted: X refused it as duplicate content, the same text as ${same.what} ` +
        `(sent ${at} UTC). /edit the story so this tweet differs, then Retry; nothing after it was sent`,
    );
    this.log.error({ part: index, repeats: same.what }, 'publish failed: duplicate content');
    return new RecordedFailure(`permanent: ${reason}`);
  }

  /**
   * The account cannot pay (out of credits, at its spending limit): holds the destination for every
   * worker, tells the editors once per pause, and returns the interruption that makes this destination's
   * queue wait `creditsProbeMs` before its next try (the other destinations go on).
   */
  private async pauseUnpaid(index: number, error: PublishError): Promise<RunInterrupted> {
    const { destination, creditHolds } = this.deps;
    const waitMs = this.deps.creditsProbeMs ?? DEFAULT_CREDITS_PROBE_MS;
    const hold = { reason: error.reason, refusal: error.refusal ?? 'credits-depleted', since: this.iso() };
    // Without the shared record (or when it cannot be reached) editors may hear more than once, never not.
    const fresh = (await creditHolds?.hold(destination, hold).catch(() => true)) ?? true;
    this.log.warn({ part: index, waitMs, refusal: error.refusal, fresh }, 'account cannot pay; pausing');
    if (fresh) {
      const what = error.refusal === 'spend-cap' ? 'its spending limit is reached' : 'it is out of credits';
      await this.alert(
        'paused',
        index,
        `${destination} is paused: ${what} (${error.reason}). Its stories wait and go on by themselves, ` +
          `from the first part not yet out, once a post goes through again (tried every ${Math.round(waitMs / 60_000)} min).`,
      );
    }
    // The queue's own rate limit holds back every worker's next job; the pacer's window is left alone, so
    // planning does not report the pause as a full rate window (a job already running meets X's refusal
    // once more, unbilled and unannounced).
    return new RunInterrupted('rate-limited', Date.now() + waitMs, error.reason);
  }

  /**
   * Holds the publication for an editor, nothing sent: its first part is recorded as held (so Retry posts
   * it anyway) and the editors hear why, with the figures.
   */
  private async holdForBudget(reason: string): Promise<RecordedFailure> {
    await this.markFailed({ index: 0 }, reason);
    // The begin step's mark of part 0 is replaced by that record: nothing to take back.
    this.markedNotSent = undefined;
    const { store, storyId, destination } = this.deps;
    await store.transition(storyId, destination, {
      from: ['publishing'],
      to: 'needs-attention',
      at: this.iso(),
      reason,
    });
    this.log.warn({ reason }, 'held: over the budget');
    await this.alert(
      'held',
      0,
      `${reason}. Post anyway sends it over the budget (this story only); Post without link drops its link on ` +
        `${destination} and checks the budget again; Hold keeps it held.`,
    );
    return new RecordedFailure(reason);
  }

  /** Ends this destination's credit hold, if there was one (a send went through). Never throws. */
  private async endCreditHold(): Promise<void> {
    const { creditHolds, destination } = this.deps;
    const ended = await creditHolds?.release(destination).catch(() => false);
    if (ended) this.log.info('account pays again; pause over');
  }

  /** Waits for this destination's rate budget, then marks the part `sending` in the same atomic step. */
  private async reserveAndMarkSending(part: PartRecord): Promise<void> {
    const { pacer, lease, storyId, destination } = this.deps;
    const confirmed = this.unconfirmed;
    if (!pacer) {
      if (confirmed) await lease.setPart(confirmed);
      this.unconfirmed = undefined;
      await lease.setPart(part);
      return;
    }
    const plain: ReservationMark = { storyId, part, leaseToken: lease.token };
    let mark: ReservationMark = confirmed ? { ...plain, confirmed } : plain;
    for (;;) {
      const waitMs = await pacer.reserve(destination, mark);
      // The confirmation is written by the first call, whether or not the send must wait.
      this.unconfirmed = undefined;
      mark = plain;
      if (waitMs <= 0) return;
      if (waitMs > INLINE_PACING_WAIT_MS) {
        this.log.info({ part: part.index, waitMs }, 'paced: waiting for the rate budget');
        throw new RunInterrupted('delay', Date.now() + waitMs, 'paced');
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }

  private async markFailed(mark: Pick<PartRecord, 'index' | 'newThread'>, reason: string): Promise<void> {
    await this.deps.lease.setPart({
      index: mark.index,
      state: 'failed',
      at: this.iso(),
      reason,
      ...(mark.newThread ? { newThread: true } : {}),
    });
  }

  private async writeUnknown(part: PartRecord, reason: string): Promise<void> {
    const { attempt: _attempt, ...rest } = part;
    await this.deps.lease.setPart({ ...rest, state: 'unknown', at: this.iso(), reason });
  }

  private async fail(index: number, reason: string): Promise<void> {
    const { store, storyId, destination } = this.deps;
    await store.transition(storyId, destination, {
      from: ['publishing'],
      to: 'failed',
      at: this.iso(),
      reason: `part ${index + 1}: ${reason}`,
    });
  }

  private async needsAttention(index: number, reason: string): Promise<RecordedFailure> {
    const { store, storyId, destination } = this.deps;
    await store.transition(storyId, destination, {
      from: ['publishing'],
      to: 'needs-attention',
      at: this.iso(),
      reason: `part ${index + 1}: ${reason}`,
    });
    this.log.error({ part: index, reason }, 'needs an editor');
    await this.alert('unknown-outcome', index, reason);
    return new RecordedFailure(`part ${index + 1}: ${reason}`);
  }

  private async alert(kind: Alert['kind'], index: number, message: string): Promise<void> {
    const { alerts, storyId, destination } = this.deps;
    await alerts
      ?.publish({ storyId, destination, kind, part: index, message })
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not publish alert'));
  }

  private iso(): string {
    return this.deps.now().toISOString();
  }
}
