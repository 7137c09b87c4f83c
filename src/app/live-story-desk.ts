import type { DestinationConfig } from '../config/config.js';
import {
  type Amendment,
  type AmendmentOperation,
  type AmendmentStep,
  amendmentDestination,
  isConfirmed,
  liveAmendment,
} from '../domain/amendment.js';
import type { Actor } from '../domain/history.js';
import { expiredProposalRefusal } from '../domain/proposal-expiry.js';
import type { PartRecord, PublicationStatus, StoryRecord } from '../domain/publication.js';
import type { Rendered } from '../domain/rendered.js';
import { InputError } from '../errors/input-error.js';
import type { RenderOptions } from '../format/render-options.js';
import { renderUpdate } from '../format/update-render.js';
import type { AmendmentScheduler } from '../ports/amendment-scheduler.js';
import type { DeskResult } from '../ports/desk.js';
import type { AmendmentView } from '../ports/desk-amendments.js';
import type { StoryStore } from '../ports/story-store.js';
import { startAmendment, viewAmendment } from './amendment-desk.js';
import { appendAmendment, confirmProposed, replaceOpenProposal, whyNotOpen } from './amendment-records.js';
import { noStory, ok, refused } from './desk-result.js';
import { refuseXDuplicates } from './x-duplicate-check.js';

/** What the live-story use cases need. */
export interface LiveStoryDeskDeps {
  readonly store: StoryStore;
  readonly scheduler: AmendmentScheduler;
  readonly destinations: readonly DestinationConfig[];
  readonly format: RenderOptions;
  readonly now: () => Date;
}

const retractedMessage = (storyId: string) =>
  `story ${storyId} is retracted: it takes no updates and cannot go live`;

// An earlier update still in these states may still add tweets to the thread: the next one cannot know
// which tweet is the thread's last yet.
const UNSETTLED = new Set<string>(['scheduled', 'publishing', 'needs-attention']);

type SentPart = PartRecord & { readonly remoteId: string };
const sentParts = (parts: readonly PartRecord[]): SentPart[] =>
  parts
    .filter((p): p is SentPart => p.state === 'sent' && p.remoteId !== undefined)
    .sort((a, b) => a.index - b.index);

/**
 * Live stories: developments of a published story (`/update`), and its channel post pinned while it is
 * live (`/live`, `/close`). Each is an amendment stored with the story whose operation on each
 * destination runs as a publication of its own on the amend queue (its own ledger, lease and job), so it
 * goes out exactly once and resumes after a crash. An update is previewed first and sent when an editor
 * confirms it: on Telegram a reply to the channel post, on X a continuation of the thread from its last
 * tweet (after an earlier update, that update's last tweet).
 */
export class LiveStoryDesk {
  constructor(private readonly deps: LiveStoryDeskDeps) {}

  /**
   * Formats `text` as an update of a published story and stores it as a preview (nothing sent). Refused
   * for a story not published anywhere yet, a retracted one, or while an earlier update is still going
   * out on X.
   */
  async proposeUpdate(storyId: string, text: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    if (text.trim() === '') return { ok: false, code: 'invalid-input', error: 'an update needs its text' };
    const record = await this.deps.store.get(storyId);
    if (!record) return noStory(storyId);
    const retracted = this.#retracted(record);
    if (retracted) return retracted;
    const at = this.deps.now();
    let rendered: Rendered;
    try {
      rendered = renderUpdate(storyId, text, at.getTime(), this.deps.format);
    } catch (err) {
      if (err instanceof InputError) return { ok: false, code: 'invalid-input', error: err.message };
      throw err;
    }
    const amendments = record.amendments ?? [];
    const same = amendments.find((a) => a.kind === 'update' && isConfirmed(a) && a.text === text.trim());
    if (same) {
      return { ok: false, code: 'invalid-input', error: `update ${same.id} of ${storyId} already said this` };
    }
    const operations = await this.#updateOperations(record, rendered);
    if (!operations.ok) return operations;
    const update = await appendAmendment(this.deps.store, storyId, {
      kind: 'update',
      text: text.trim(),
      requestedAt: at.toISOString(),
      requestedBy: actor,
      operations: operations.value,
      proposed: true,
    });
    if (update === 'not-found') return noStory(storyId);
    if (update === 'retracted') return refused(retractedMessage(storyId));
    if ('raced' in update) return refused(`${update.raced} of ${storyId} was confirmed meanwhile`);
    return ok(await viewAmendment(this.deps.store, storyId, record.story.title, update));
  }

  /**
   * Sends a previewed update: its operations are rebuilt now (the thread's last tweet may have changed
   * since the preview) and scheduled, each exactly once. Refused when it was sent or discarded already.
   */
  async sendUpdate(storyId: string, updateId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    const found = await this.#proposal(storyId, updateId);
    if (!found.ok) return found;
    const { record, update } = found.value;
    const rendered = renderUpdate(storyId, update.text, Date.parse(update.requestedAt), this.deps.format);
    const operations = await this.#updateOperations(record, rendered);
    if (!operations.ok) return operations;
    const { proposed: _proposed, ...rest } = update;
    const sent: Amendment = {
      ...rest,
      operations: operations.value,
      confirmedAt: this.deps.now().toISOString(),
    };
    const refusal = await confirmProposed(this.deps.store, storyId, sent, record);
    if (refusal === 'not-found') return noStory(storyId);
    if (refusal === 'not-proposed') {
      const meanwhile = `update ${updateId} of ${storyId} was sent or discarded already`;
      return refused(await whyNotOpen(this.deps.store, storyId, updateId, meanwhile));
    }
    if (refusal) {
      return refused(
        `update ${refusal.raced} of ${storyId} was sent at the same moment; send ${updateId} once it is out (see /status ${storyId})`,
      );
    }
    await startAmendment(this.deps.store, this.deps.scheduler, storyId, sent, actor, this.#iso());
    return ok(await viewAmendment(this.deps.store, storyId, record.story.title, sent));
  }

  /** Drops a previewed update: nothing of it is sent. */
  async discardUpdate(storyId: string, updateId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    const found = await this.#proposal(storyId, updateId);
    if (!found.ok) return found;
    const { record, update } = found.value;
    const { proposed: _proposed, ...rest } = update;
    const discarded: Amendment = { ...rest, discarded: true };
    // Sent meanwhile (a Send pressed at the same moment): it is out, and stays so on the record.
    if (!(await replaceOpenProposal(this.deps.store, storyId, discarded))) {
      const meanwhile = `update ${updateId} of ${storyId} was sent or discarded already`;
      return refused(await whyNotOpen(this.deps.store, storyId, updateId, meanwhile));
    }
    await this.deps.store.appendHistory(storyId, {
      at: this.#iso(),
      actor,
      action: `update ${update.id} discarded before sending`,
    });
    return ok(await viewAmendment(this.deps.store, storyId, record.story.title, discarded));
  }

  /**
   * Marks a published story live and pins its channel post (a job of its own). Refused for a story that
   * is live already, retracted, or has no channel post yet.
   */
  async live(storyId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    const record = await this.deps.store.get(storyId);
    if (!record) return noStory(storyId);
    const refusal = this.#retracted(record);
    if (refusal) return refusal;
    const since = liveAmendment(record.amendments ?? []);
    if (since) {
      return refused(
        `story ${storyId} is live already (since ${since.requestedAt.slice(11, 16)} UTC, ${since.id})`,
      );
    }
    const publications = await this.deps.store.publications(storyId);
    const operations: AmendmentOperation[] = [];
    for (const destination of record.destinations) {
      if (this.#platform(destination) !== 'telegram') continue;
      const post = await this.#channelPost(storyId, destination, publications);
      if (post !== undefined)
        operations.push({ destination, steps: [{ kind: 'telegram-pin', messageId: post }] });
    }
    if (operations.length === 0) {
      return refused(
        `story ${storyId} has no channel post to pin: it is not published on Telegram yet (see /status ${storyId})`,
      );
    }
    return this.#start(record, 'live', 'pinned while live', operations, actor);
  }

  /** Ends a story's live state and unpins its channel post. Refused for a story that is not live. */
  async close(storyId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    const record = await this.deps.store.get(storyId);
    if (!record) return noStory(storyId);
    const refusal = this.#retracted(record);
    if (refusal) return refusal;
    const live = liveAmendment(record.amendments ?? []);
    if (!live) return refused(`story ${storyId} is not live (/live ${storyId} pins it while it is)`);
    const operations = live.operations.map((op) => ({
      destination: op.destination,
      steps: op.steps.flatMap((s): AmendmentStep[] =>
        s.kind === 'telegram-pin' ? [{ kind: 'telegram-unpin', messageId: s.messageId }] : [],
      ),
    }));
    return this.#start(record, 'close', 'unpinned, no longer live', operations, actor);
  }

  async #start(
    record: StoryRecord,
    kind: 'live' | 'close',
    text: string,
    operations: readonly AmendmentOperation[],
    actor: Actor,
  ): Promise<DeskResult<AmendmentView>> {
    const storyId = record.story.id;
    const amendment = await appendAmendment(this.deps.store, storyId, {
      kind,
      text,
      requestedAt: this.#iso(),
      requestedBy: actor,
      operations,
    });
    if (amendment === 'not-found') return noStory(storyId);
    if (amendment === 'retracted') return refused(retractedMessage(storyId));
    if ('raced' in amendment) return refused(`${amendment.raced} of ${storyId} was confirmed meanwhile`);
    await startAmendment(
      this.deps.store,
      this.deps.scheduler,
      storyId,
      amendment,
      actor,
      amendment.requestedAt,
    );
    return ok(await viewAmendment(this.deps.store, storyId, record.story.title, amendment));
  }

  /** An update's steps on every destination the story is published on, or why it cannot go out. */
  async #updateOperations(
    record: StoryRecord,
    rendered: Rendered,
  ): Promise<DeskResult<AmendmentOperation[]>> {
    const storyId = record.story.id;
    const refusal = this.#retracted(record);
    if (refusal) return refusal;
    const publications = await this.deps.store.publications(storyId);
    const operations: AmendmentOperation[] = [];
    for (const destination of record.destinations) {
      const platform = this.#platform(destination);
      if (platform === 'telegram') {
        const post = await this.#channelPost(storyId, destination, publications);
        if (post === undefined) continue;
        const steps = rendered.telegram.map(
          (payload): AmendmentStep => ({ kind: 'telegram-reply', replyToMessageId: post, payload }),
        );
        operations.push({ destination, steps });
      } else if (platform === 'x') {
        const end = await this.#threadEnd(record, destination, publications);
        if (!end.ok) return end;
        if (end.value === undefined) continue;
        const [first, ...rest] = rendered.x;
        if (!first) continue;
        const steps: AmendmentStep[] = [
          { kind: 'x-reply', replyToId: end.value, text: first.text },
          ...rest.map((post): AmendmentStep => ({ kind: 'x-continue', text: post.text })),
        ];
        operations.push({ destination, steps });
      }
    }
    if (operations.length === 0) {
      return refused(
        `story ${storyId} is not published yet: an update goes under a published story (see /status ${storyId})`,
      );
    }
    const { store, destinations, now } = this.deps;
    const repeated = await refuseXDuplicates(store, destinations, operations, now().getTime());
    return repeated ?? ok(operations);
  }

  /**
   * The tweet an update on `destination` replies to: the last tweet of the story's thread, or of the last
   * update that posted there. `undefined` when the thread is not (all) out; refused while an earlier
   * update is still going out there.
   */
  async #threadEnd(
    record: StoryRecord,
    destination: string,
    publications: readonly PublicationStatus[],
  ): Promise<DeskResult<string | undefined>> {
    const storyId = record.story.id;
    const state = (name: string) => publications.find((p) => p.destination === name)?.state;
    if (state(destination) !== 'published') return ok(undefined);
    let end = sentParts(await this.deps.store.parts(storyId, destination)).at(-1)?.remoteId;
    if (end === undefined) return ok(undefined);
    for (const update of (record.amendments ?? []).filter((a) => a.kind === 'update' && isConfirmed(a))) {
      if (!update.operations.some((o) => o.destination === destination)) continue;
      const name = amendmentDestination(destination, update.id);
      const now = state(name);
      if (now !== undefined && UNSETTLED.has(now)) {
        return refused(
          `update ${update.id} of ${storyId} is still going out on ${destination} (${now}); ` +
            `send this one once it is out (see /status ${storyId})`,
        );
      }
      const last = sentParts(await this.deps.store.parts(storyId, name)).at(-1)?.remoteId;
      if (last !== undefined) end = last;
    }
    return ok(end);
  }

  /** The channel post's message id on a Telegram destination where the story is published. */
  async #channelPost(
    storyId: string,
    destination: string,
    publications: readonly PublicationStatus[],
  ): Promise<number | undefined> {
    const published = publications.find((p) => p.destination === destination)?.state === 'published';
    if (!published) return undefined;
    const first = sentParts(await this.deps.store.parts(storyId, destination)).find((p) => p.index === 0);
    const id = Number(first?.remoteId);
    return Number.isSafeInteger(id) ? id : undefined;
  }

  async #proposal(
    storyId: string,
    updateId: string,
  ): Promise<DeskResult<{ record: StoryRecord; update: Amendment }>> {
    const record = await this.deps.store.get(storyId);
    if (!record) return noStory(storyId);
    const update = record.amendments?.find((a) => a.kind === 'update' && a.id === updateId);
    if (!update) return { ok: false, code: 'not-found', error: `story ${storyId} has no update ${updateId}` };
    if (update.discarded)
      return refused(
        expiredProposalRefusal(storyId, update) ?? `update ${updateId} of ${storyId} was discarded`,
      );
    if (!update.proposed) return refused(`update ${updateId} of ${storyId} was sent already`);
    return ok({ record, update });
  }

  #retracted(record: StoryRecord): DeskResult<never> | undefined {
    if (!record.amendments?.some((a) => a.kind === 'retraction' && isConfirmed(a))) return undefined;
    return refused(retractedMessage(record.story.id));
  }

  #platform(destination: string): 'telegram' | 'x' | undefined {
    return this.deps.destinations.find((d) => d.id === destination)?.platform;
  }

  #iso(): string {
    return this.deps.now().toISOString();
  }
}
