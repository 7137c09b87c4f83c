import type { DestinationConfig } from '../config/config.js';
import {
  type Amendment,
  type AmendmentKind,
  type AmendmentOperation,
  type AmendmentStep,
  amendmentDestination,
  isConfirmed,
  liveAmendment,
  nextAmendmentId,
} from '../domain/amendment.js';
import type { Actor } from '../domain/history.js';
import type { PartRecord, StoryRecord } from '../domain/publication.js';
import type { TelegramPayload } from '../domain/rendered.js';
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
import type { AmendmentProgress, AmendmentView } from '../ports/desk-amendments.js';
import type { StoryStore } from '../ports/story-store.js';

/** What the amendment use cases need. */
export interface AmendmentDeskDeps {
  readonly store: StoryStore;
  readonly scheduler: AmendmentScheduler;
  readonly destinations: readonly DestinationConfig[];
  readonly options: AmendmentOptions;
  readonly now: () => Date;
}

const ok = <T>(value: T): DeskResult<T> => ({ ok: true, value });

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
    if (!record) return { ok: false, code: 'not-found', error: `no story with id ${storyId}` };
    if (record.amendments?.some((a) => a.kind === 'retraction')) {
      return { ok: false, code: 'refused-state', error: `story ${storyId} is already retracted` };
    }
    const at = this.deps.now();
    const operations: AmendmentOperation[] = [];
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
    const amendment: Amendment = {
      id: nextAmendmentId(record.amendments ?? [], kind),
      kind,
      text: text.trim(),
      requestedAt: at.toISOString(),
      requestedBy: actor,
      operations,
    };
    await store.replace({ ...record, amendments: [...(record.amendments ?? []), amendment] });
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
      const payload = corrected ?? record.rendered.telegram[0];
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
}

/**
 * Schedules each operation of an amendment stored with its story (`none` → `scheduled` on its
 * {@link amendmentDestination}, a job of its own) and records it in the story's history at `at`.
 */
export async function startAmendment(
  store: StoryStore,
  scheduler: AmendmentScheduler,
  storyId: string,
  amendment: Amendment,
  actor: Actor,
  at: string,
): Promise<void> {
  for (const op of amendment.operations) {
    const name = amendmentDestination(op.destination, amendment.id);
    await store.transition(storyId, name, {
      from: ['none'],
      to: 'scheduled',
      at: amendment.requestedAt,
      reason: `${amendment.kind} ${amendment.id}`,
      set: { dueAt: amendment.requestedAt },
    });
    await scheduler.schedule(storyId, name);
  }
  const where = amendment.operations.map((o) => o.destination).join(', ');
  await store.appendHistory(storyId, {
    at,
    actor,
    action: `${amendment.kind} ${amendment.id} (${where}): ${amendment.text}`,
  });
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
