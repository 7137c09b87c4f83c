import type { DestinationConfig } from '../config/config.js';
import {
  type Amendment,
  type AmendmentKind,
  type AmendmentOperation,
  type AmendmentStep,
  amendmentDestination,
  confirmedIds,
  isConfirmed,
  liveAmendment,
} from '../domain/amendment.js';
import type { Actor } from '../domain/history.js';
import { expiredProposalRefusal } from '../domain/proposal-expiry.js';
import type { PartRecord, StoryRecord } from '../domain/publication.js';
import type { TelegramPayload } from '../domain/rendered.js';
import { postAfterEdit, type TelegramEdit } from '../domain/telegram-edit.js';
import type { AmendmentOptions } from '../format/amendment-options.js';
import {
  type AmendmentText,
  correctionEdit,
  retractionEdit,
  xCorrectionText,
  xRetractionNotice,
} from '../format/amendment-text.js';
import type { AmendmentScheduler } from '../ports/amendment-scheduler.js';
import type { DeskResult } from '../ports/desk.js';
import type {
  AmendmentPreview,
  AmendmentProgress,
  AmendmentView,
  ChannelChange,
} from '../ports/desk-amendments.js';
import type { StoryStore } from '../ports/story-store.js';
import { appendAmendment, confirmProposed, replaceOpenProposal, whyNotOpen } from './amendment-records.js';
import { noStory, ok, refused } from './desk-result.js';
import { refuseXDuplicates } from './x-duplicate-check.js';

/** What the amendment use cases need. */
export interface AmendmentDeskDeps {
  readonly store: StoryStore;
  readonly scheduler: AmendmentScheduler;
  readonly destinations: readonly DestinationConfig[];
  readonly options: AmendmentOptions;
  readonly now: () => Date;
}

/**
 * Corrections and retractions of published stories. Each is stored with the story and its operation on
 * each destination runs as a job of its own with its own ledger (see `jobs/amend.job.ts`): on Telegram the
 * post is edited in place, or deleted (within 48 hours) or edited into a notice; on X a correction reply
 * goes under the first tweet, or the thread's tweets are deleted.
 */
export class AmendmentDesk {
  constructor(private readonly deps: AmendmentDeskDeps) {}

  /**
   * Corrects a published story: `note` is the correction ("Corrected HH:MM UTC: <note>" on Telegram,
   * "Correction: <note>" on X); `telegram`, when given, is the corrected post as the formatter renders the
   * corrected story (default: the post as published).
   */
  correct(
    storyId: string,
    note: string,
    actor: Actor,
    telegram?: TelegramPayload,
  ): Promise<DeskResult<AmendmentView>> {
    return this.#amend(storyId, 'correction', note, actor, telegram);
  }

  /** Retracts a published story for `reason`: deleted where the platform still allows it, else a notice. */
  retract(storyId: string, reason: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    return this.#amend(storyId, 'retraction', reason, actor);
  }

  /**
   * A correction or retraction as {@link correct} / {@link retract} would send it, stored as a proposal:
   * nothing is scheduled until {@link confirm}. The preview says what each channel post becomes.
   */
  async propose(
    storyId: string,
    kind: 'correction' | 'retraction',
    text: string,
    actor: Actor,
    telegram?: TelegramPayload,
  ): Promise<DeskResult<AmendmentPreview>> {
    const built = await this.#amend(storyId, kind, text, actor, telegram, true);
    if (!built.ok) return built;
    const record = await this.deps.store.get(storyId);
    const channel = record ? await this.#channelChanges(record, built.value.amendment) : [];
    return ok({ view: built.value, channel });
  }

  /**
   * Sends a proposed correction or retraction: each destination's operation is scheduled exactly once.
   * A retraction's steps are taken again now (a correction confirmed since the preview has a reply to
   * delete too); the texts are the ones previewed. Refused when it was confirmed or cancelled already.
   */
  async confirm(storyId: string, amendmentId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    const resumed = await this.#resumeConfirmed(storyId, amendmentId, actor);
    if (resumed) return resumed;
    const found = await this.#proposal(storyId, amendmentId);
    if (!found.ok) return found;
    const { record, amendment } = found.value;
    let operations = amendment.operations;
    if (amendment.kind === 'retraction') {
      const rebuilt: AmendmentOperation[] = [];
      for (const destination of record.destinations) {
        const at = Date.parse(amendment.requestedAt);
        const op = await this.#operation(record, destination, 'retraction', amendment.text, at, undefined);
        if (!op.ok) return op;
        if (op.value) rebuilt.push(op.value);
      }
      operations = rebuilt;
    }
    const { proposed: _proposed, ...rest } = amendment;
    const confirmed: Amendment = { ...rest, operations, confirmedAt: this.deps.now().toISOString() };
    // Only a proposal still standing is confirmed (not one cancelled meanwhile), and a retraction only while
    // no other was confirmed since its steps were taken.
    const refusal = await confirmProposed(this.deps.store, storyId, confirmed, record);
    if (refusal === 'not-found') return noStory(storyId);
    if (refusal === 'not-proposed') {
      const meanwhile = `${amendment.kind} ${amendmentId} of ${storyId} was confirmed or cancelled meanwhile`;
      return refused(await whyNotOpen(this.deps.store, storyId, amendmentId, meanwhile));
    }
    if (refusal && amendment.kind === 'correction') return refused(racedMessage(storyId, refusal.raced));
    if (refusal) return refused(`${amendment.kind} ${refusal.raced} of ${storyId} was confirmed meanwhile`);
    const started = await startAmendment(
      this.deps.store,
      this.deps.scheduler,
      storyId,
      confirmed,
      actor,
      this.deps.now().toISOString(),
    );
    // Two presses at once: the ledger let one start it; the other sends nothing.
    if (!started) return refused(`${amendment.kind} ${amendmentId} of ${storyId} was confirmed already`);
    return ok(await viewAmendment(this.deps.store, storyId, record.story.title, confirmed));
  }

  /** Drops a proposed correction or retraction: nothing of it is sent. */
  async cancel(storyId: string, amendmentId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    const found = await this.#proposal(storyId, amendmentId);
    if (!found.ok) return found;
    const { record, amendment } = found.value;
    const { proposed: _proposed, ...rest } = amendment;
    const cancelled: Amendment = { ...rest, discarded: true };
    // A proposal confirmed meanwhile is out already: it cannot be cancelled any more.
    if (!(await replaceOpenProposal(this.deps.store, storyId, cancelled))) {
      const meanwhile = `${amendment.kind} ${amendmentId} of ${storyId} was confirmed or cancelled meanwhile`;
      return refused(await whyNotOpen(this.deps.store, storyId, amendmentId, meanwhile));
    }
    await this.deps.store.appendHistory(storyId, {
      at: this.deps.now().toISOString(),
      actor,
      action: `${amendment.kind} ${amendment.id} cancelled before sending`,
    });
    return ok(await viewAmendment(this.deps.store, storyId, record.story.title, cancelled));
  }

  /** Every amendment of the given stories (updates once confirmed), newest first. */
  async corrections(storyIds: readonly string[]): Promise<AmendmentView[]> {
    const views: AmendmentView[] = [];
    for (const id of storyIds) {
      const record = await this.deps.store.get(id);
      for (const amendment of (record?.amendments ?? []).filter(isConfirmed)) {
        views.push(await viewAmendment(this.deps.store, id, record?.story.title ?? '', amendment));
      }
    }
    return views.sort((a, b) => b.amendment.requestedAt.localeCompare(a.amendment.requestedAt));
  }

  async #amend(
    storyId: string,
    kind: AmendmentKind,
    text: string,
    actor: Actor,
    corrected?: TelegramPayload,
    proposed = false,
  ): Promise<DeskResult<AmendmentView>> {
    const { store } = this.deps;
    if (text.trim() === '') {
      return {
        ok: false,
        code: 'invalid-input',
        error: `a ${kind} needs ${kind === 'correction' ? 'its text' : 'a reason'}`,
      };
    }
    const record = await store.get(storyId);
    if (!record) return noStory(storyId);
    if (record.amendments?.some((a) => a.kind === 'retraction' && isConfirmed(a))) {
      return refused(`story ${storyId} is already retracted`);
    }
    const at = this.deps.now();
    const operations: AmendmentOperation[] = [];
    // The corrections whose lines this one's edit keeps: the record it is built from says which.
    const basedOn = kind === 'correction' ? confirmedIds(record.amendments ?? [], 'correction') : undefined;
    for (const destination of record.destinations) {
      const built = await this.#operation(record, destination, kind, text, at.getTime(), corrected);
      if (!built.ok) return built;
      if (built.value) operations.push(built.value);
    }
    if (operations.length === 0) {
      return {
        ok: false,
        code: 'refused-state',
        error: `story ${storyId} has nothing published to ${kind === 'correction' ? 'correct' : 'retract'}`,
      };
    }
    const repeated = await refuseXDuplicates(store, this.deps.destinations, operations, at.getTime());
    if (repeated) return repeated;
    const amendment = await appendAmendment(store, storyId, {
      kind,
      text: text.trim(),
      requestedAt: at.toISOString(),
      requestedBy: actor,
      operations,
      ...(proposed ? { proposed: true } : {}),
      ...(basedOn ? { basedOn } : {}),
    });
    if (amendment === 'not-found') return noStory(storyId);
    if (amendment === 'retracted') return refused(`story ${storyId} is already retracted`);
    if ('raced' in amendment) return refused(racedMessage(storyId, amendment.raced));
    if (!proposed)
      await startAmendment(store, this.deps.scheduler, storyId, amendment, actor, amendment.requestedAt);
    return ok(await viewAmendment(store, storyId, record.story.title, amendment));
  }

  /** The steps on one destination, or `undefined` when nothing of the story is out there. */
  async #operation(
    record: StoryRecord,
    destination: string,
    kind: AmendmentKind,
    text: string,
    atMs: number,
    corrected: TelegramPayload | undefined,
  ): Promise<DeskResult<AmendmentOperation | undefined>> {
    const platform = this.deps.destinations.find((d) => d.id === destination)?.platform;
    const sent = (await this.deps.store.parts(record.story.id, destination))
      .filter((p): p is PartRecord & { remoteId: string } => p.state === 'sent' && p.remoteId !== undefined)
      .sort((a, b) => a.index - b.index);
    const first = sent.find((p) => p.index === 0);
    if (!platform || !first) return ok(undefined);
    const options = this.deps.options;
    const steps: AmendmentStep[] = [];
    const refusal = <T>(text: AmendmentText<T>): DeskResult<never> | undefined =>
      text.ok ? undefined : { ok: false, code: 'invalid-input', error: `${destination}: ${text.reason}` };
    if (platform === 'telegram') {
      let payload = corrected ?? record.rendered.telegram[0];
      if (payload && kind === 'correction') {
        const soFar = await this.#correctedSoFar(record, destination, payload, corrected !== undefined);
        if (!soFar.ok) return soFar;
        payload = soFar.value;
      }
      const messageId = Number(first.remoteId);
      if (!payload || !Number.isSafeInteger(messageId)) return ok(undefined);
      const edit =
        kind === 'correction'
          ? correctionEdit(payload, text, atMs, options)
          : retractionEdit(payload, text, record.story.title, atMs, options);
      if (!edit.ok) return refusal(edit)!;
      if (kind === 'retraction') {
        // A live story's pin goes first (a post too old to delete stays, as a notice, unpinned); then its
        // updates' replies, newest first, so nothing of the story is left under a deleted post.
        if (liveAmendment(record.amendments ?? [])) steps.push({ kind: 'telegram-unpin', messageId });
        for (const reply of await this.#updateReplies(record, destination)) {
          const notice = retractionEdit(reply.payload, text, record.story.title, atMs, options);
          if (!notice.ok) return refusal(notice)!;
          steps.push({ kind: 'telegram-delete-or-edit', messageId: reply.messageId, fallback: notice.value });
        }
      }
      steps.push(
        kind === 'correction'
          ? { kind: 'telegram-edit', messageId, edit: edit.value }
          : { kind: 'telegram-delete-or-edit', messageId, fallback: edit.value },
      );
    } else if (kind === 'correction') {
      const reply = xCorrectionText(text, atMs, options);
      if (!reply.ok) return refusal(reply)!;
      steps.push({ kind: 'x-reply', replyToId: first.remoteId, text: reply.value });
    } else {
      // Earlier corrections' replies first, then the thread from its last tweet to its first: the
      // thread never shows a hole in the middle.
      for (const id of await this.#correctionReplies(record, destination))
        steps.push({ kind: 'x-delete', tweetId: id });
      for (const part of [...sent].reverse()) steps.push({ kind: 'x-delete', tweetId: part.remoteId });
      const notice = xRetractionNotice(text, record.story.title, atMs, options);
      if (notice && !notice.ok) return refusal(notice)!;
      if (notice?.ok) steps.push({ kind: 'x-post', text: notice.value });
    }
    return ok({ destination, steps });
  }

  /**
   * The channel post as the corrections that landed on it left it (each one's "Corrected" line kept), so a
   * further correction adds its line under theirs; refused while an earlier one is still going out (or
   * confirmed and not started). With `rewritten`, `post` is the corrected story's new post: the earlier
   * corrections' lines are written under it again, in order, as each one worded it.
   */
  async #correctedSoFar(
    record: StoryRecord,
    destination: string,
    original: TelegramPayload,
    rewritten: boolean,
  ): Promise<DeskResult<TelegramPayload>> {
    const storyId = record.story.id;
    const publications = await this.deps.store.publications(storyId);
    let post = original;
    for (const earlier of (record.amendments ?? []).filter(
      (a) => a.kind === 'correction' && isConfirmed(a),
    )) {
      const step = earlier.operations
        .find((o) => o.destination === destination)
        ?.steps.find((s) => s.kind === 'telegram-edit');
      if (step?.kind !== 'telegram-edit') continue;
      const name = amendmentDestination(destination, earlier.id);
      const state = publications.find((p) => p.destination === name)?.state ?? 'none';
      if (state === 'published' && rewritten) {
        const line = correctionEdit(post, earlier.text, Date.parse(earlier.requestedAt), this.deps.options);
        if (!line.ok) return { ok: false, code: 'invalid-input', error: `${destination}: ${line.reason}` };
        post = postAfterEdit(post, line.value);
      } else if (state === 'published') post = postAfterEdit(post, step.edit);
      else if (
        state === 'none' ||
        state === 'scheduled' ||
        state === 'publishing' ||
        state === 'needs-attention'
      ) {
        return {
          ok: false,
          code: 'refused-state',
          error:
            `correction ${earlier.id} of ${storyId} is still going out on ${destination} (${state}); ` +
            `correct again once it is out (see /status ${storyId})`,
        };
      }
    }
    return ok(post);
  }

  /** The channel replies of the story's updates on `destination` (message id and payload), newest first. */
  async #updateReplies(
    record: StoryRecord,
    destination: string,
  ): Promise<{ messageId: number; payload: TelegramPayload }[]> {
    const replies: { messageId: number; payload: TelegramPayload }[] = [];
    for (const update of (record.amendments ?? []).filter((a) => a.kind === 'update' && isConfirmed(a))) {
      const steps = update.operations.find((o) => o.destination === destination)?.steps ?? [];
      const parts = await this.deps.store.parts(
        record.story.id,
        amendmentDestination(destination, update.id),
      );
      for (const part of parts) {
        const step = steps[part.index];
        const messageId = Number(part.remoteId);
        if (part.state === 'sent' && step?.kind === 'telegram-reply' && Number.isSafeInteger(messageId))
          replies.push({ messageId, payload: step.payload });
      }
    }
    return replies.reverse();
  }

  /** Tweets earlier corrections and updates posted on `destination`, newest first. */
  async #correctionReplies(record: StoryRecord, destination: string): Promise<string[]> {
    const ids: string[] = [];
    for (const amendment of record.amendments ?? []) {
      if (!amendment.operations.some((o) => o.destination === destination)) continue;
      const parts = await this.deps.store.parts(
        record.story.id,
        amendmentDestination(destination, amendment.id),
      );
      for (const p of [...parts].sort((a, b) => a.index - b.index))
        if (p.state === 'sent' && p.remoteId && /^\d+$/.test(p.remoteId)) ids.push(p.remoteId);
    }
    return ids.reverse();
  }

  /** What each channel post of the amendment becomes: edited (with its text before), deleted, or a notice. */
  async #channelChanges(record: StoryRecord, amendment: Amendment): Promise<ChannelChange[]> {
    const changes: ChannelChange[] = [];
    const nowMs = this.deps.now().getTime();
    for (const op of amendment.operations) {
      const sentAt = await this.#sentTimes(record, op.destination);
      for (const step of op.steps) {
        const at =
          step.kind === 'telegram-edit' || step.kind === 'telegram-delete-or-edit'
            ? sentAt.get(String(step.messageId))
            : undefined;
        const base = { destination: op.destination, ...(at ? { sentAt: at.at } : {}) };
        if (step.kind === 'telegram-edit') {
          changes.push({
            ...base,
            messageId: step.messageId,
            action: 'edit',
            before: this.#currentText(record, op.destination),
            after: editText(step.edit),
          });
        } else if (step.kind === 'telegram-delete-or-edit') {
          const old = at !== undefined && nowMs - Date.parse(at.at) >= TELEGRAM_DELETE_WINDOW_MS;
          changes.push({
            ...base,
            messageId: step.messageId,
            action: old ? 'notice' : 'delete',
            before: at?.text ?? '',
            after: editText(step.fallback),
          });
        }
      }
    }
    return changes;
  }

  /** The channel post's text now: the last confirmed correction's, else as published. */
  #currentText(record: StoryRecord, destination: string): string {
    const corrections = (record.amendments ?? []).filter((a) => a.kind === 'correction' && isConfirmed(a));
    for (const correction of [...corrections].reverse()) {
      const step = correction.operations
        .find((o) => o.destination === destination)
        ?.steps.find((s) => s.kind === 'telegram-edit');
      if (step?.kind === 'telegram-edit') return editText(step.edit);
    }
    const first = record.rendered.telegram[0];
    return first ? payloadText(first) : '';
  }

  /** Message id → when it was sent and its text, for the story's post and its updates' replies on `destination`. */
  async #sentTimes(
    record: StoryRecord,
    destination: string,
  ): Promise<Map<string, { at: string; text: string }>> {
    const times = new Map<string, { at: string; text: string }>();
    for (const part of await this.deps.store.parts(record.story.id, destination)) {
      if (part.state === 'sent' && part.remoteId !== undefined && part.index === 0)
        times.set(part.remoteId, { at: part.at, text: this.#currentText(record, destination) });
    }
    for (const update of (record.amendments ?? []).filter((a) => a.kind === 'update' && isConfirmed(a))) {
      const steps = update.operations.find((o) => o.destination === destination)?.steps ?? [];
      for (const part of await this.deps.store.parts(
        record.story.id,
        amendmentDestination(destination, update.id),
      )) {
        const step = steps[part.index];
        if (part.state === 'sent' && part.remoteId !== undefined && step?.kind === 'telegram-reply')
          times.set(part.remoteId, { at: part.at, text: payloadText(step.payload) });
      }
    }
    return times;
  }

  /**
   * A Confirm pressed again on an amendment confirmed already whose operations never left `none` (the
   * process that confirmed it stopped before scheduling them): schedules them now, exactly once (the
   * ledger lets one caller start it). `undefined` when there is nothing to resume.
   */
  async #resumeConfirmed(
    storyId: string,
    amendmentId: string,
    actor: Actor,
  ): Promise<DeskResult<AmendmentView> | undefined> {
    const { store, scheduler } = this.deps;
    const record = await store.get(storyId);
    const amendment = record?.amendments?.find((a) => a.id === amendmentId);
    if (!record || !amendment || !isConfirmed(amendment) || amendment.operations.length === 0)
      return undefined;
    const publications = await store.publications(storyId);
    const started = amendment.operations.some((op) =>
      publications.some((p) => p.destination === amendmentDestination(op.destination, amendment.id)),
    );
    if (started) return undefined;
    const now = this.deps.now().toISOString();
    if (!(await startAmendment(store, scheduler, storyId, amendment, actor, now))) return undefined;
    return ok(await viewAmendment(store, storyId, record.story.title, amendment));
  }

  async #proposal(
    storyId: string,
    amendmentId: string,
  ): Promise<DeskResult<{ record: StoryRecord; amendment: Amendment }>> {
    const record = await this.deps.store.get(storyId);
    if (!record) return noStory(storyId);
    const amendment = record.amendments?.find(
      (a) => a.id === amendmentId && (a.kind === 'correction' || a.kind === 'retraction'),
    );
    if (!amendment) {
      return {
        ok: false,
        code: 'not-found',
        error: `story ${storyId} has no correction or retraction ${amendmentId}`,
      };
    }
    if (amendment.discarded)
      return refused(
        expiredProposalRefusal(storyId, amendment) ??
          `${amendment.kind} ${amendmentId} of ${storyId} was cancelled: nothing was sent`,
      );
    if (!amendment.proposed)
      return refused(`${amendment.kind} ${amendmentId} of ${storyId} was confirmed already`);
    if ((record.amendments ?? []).some((a) => a.kind === 'retraction' && isConfirmed(a)))
      return refused(`story ${storyId} is already retracted: ${amendmentId} sends nothing`);
    return ok({ record, amendment });
  }
}

// A bot can delete a channel message for everyone for 48 hours after sending it.
const TELEGRAM_DELETE_WINDOW_MS = 48 * 3_600_000;

/** A correction refused because another was confirmed since its edit was built: sent, it would drop that one's line. */
const racedMessage = (storyId: string, raced: string): string =>
  `correction ${raced} of ${storyId} was confirmed after this one was prepared, and sending this one would ` +
  `take its "Corrected" line off the post: correct again to build on it (nothing of this one was sent)`;

const editText = (edit: TelegramEdit): string =>
  edit.method === 'editMessageText' ? edit.text : edit.caption;
const payloadText = (payload: TelegramPayload): string =>
  payload.method === 'sendMessage' ? payload.text : payload.caption;

/**
 * Schedules each operation of an amendment stored with its story (`none` → `scheduled` on its
 * {@link amendmentDestination}, a job of its own) and records it in the story's history at `at`. Resolves
 * to false, starting nothing, when its first operation had left `none` already (it was started before).
 */
export async function startAmendment(
  store: StoryStore,
  scheduler: AmendmentScheduler,
  storyId: string,
  amendment: Amendment,
  actor: Actor,
  at: string,
): Promise<boolean> {
  let started = 0;
  for (const op of amendment.operations) {
    const name = amendmentDestination(op.destination, amendment.id);
    await scheduler.remember(storyId, name);
    const changed = await store.transition(storyId, name, {
      from: ['none'],
      to: 'scheduled',
      at: amendment.requestedAt,
      reason: `${amendment.kind} ${amendment.id}`,
      set: { dueAt: amendment.requestedAt },
    });
    // The caller that moves the first operation out of `none` starts the amendment; a second
    // confirmation at the same time stops there and sends nothing.
    if (!changed.ok && started === 0) return false;
    if (!changed.ok) continue;
    started++;
    await scheduler.schedule(storyId, name);
  }
  if (started === 0) return false;
  const where = amendment.operations.map((o) => o.destination).join(', ');
  await store.appendHistory(storyId, {
    at,
    actor,
    action: `${amendment.kind} ${amendment.id} (${where}): ${amendment.text}`,
  });
  return true;
}

/** An amendment with its progress on each destination. */
export async function viewAmendment(
  store: StoryStore,
  storyId: string,
  title: string,
  amendment: Amendment,
): Promise<AmendmentView> {
  const publications = await store.publications(storyId);
  const progress: AmendmentProgress[] = [];
  for (const op of amendment.operations) {
    const name = amendmentDestination(op.destination, amendment.id);
    const parts = await store.parts(storyId, name);
    progress.push({
      destination: op.destination,
      state: publications.find((p) => p.destination === name)?.state ?? 'none',
      done: op.steps.map((_s, i) => parts.find((p) => p.index === i && p.state === 'sent')?.remoteId),
    });
  }
  return { storyId, title, amendment, progress };
}

/**
 * How many corrections and retractions of the given stories were confirmed (sent, not previews or
 * cancelled) at a time in `[startMs, endMs)`, by when they were confirmed (a preview of yesterday
 * confirmed today counts today): the daily digest's footer.
 */
export async function countAmendments(
  store: StoryStore,
  storyIds: readonly string[],
  startMs: number,
  endMs: number,
): Promise<{ corrections: number; retractions: number }> {
  const counts = { corrections: 0, retractions: 0 };
  for (const id of storyIds) {
    for (const a of (await store.get(id))?.amendments ?? []) {
      const at = Date.parse(a.confirmedAt ?? a.requestedAt);
      if (!isConfirmed(a) || at < startMs || at >= endMs) continue;
      if (a.kind === 'correction') counts.corrections++;
      if (a.kind === 'retraction') counts.retractions++;
    }
  }
  return counts;
}
