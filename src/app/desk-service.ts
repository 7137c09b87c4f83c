import type { DestinationConfig } from '../config/config.js';
import { liveAmendment, parseAmendmentDestination } from '../domain/amendment.js';
import { APPROVED_ACTION, type ApprovalPolicy } from '../domain/approval.js';
import type { Actor } from '../domain/history.js';
import type { PartRecord, PublicationState, PublicationStatus, StoryRecord } from '../domain/publication.js';
import { remoteIdFromRef } from '../domain/remote-ref.js';
import type { Rendered } from '../domain/rendered.js';
import { isStoryId, type Story, storyIdFor } from '../domain/story.js';
import { X_LINK_POLICIES, type XLinkPolicy } from '../domain/x-link-policy.js';
import { InputError } from '../errors/input-error.js';
import { renderDigest } from '../format/digest.js';
import { render } from '../format/render.js';
import type { RenderOptions } from '../format/render-options.js';
import { storyFromInput } from '../format/story-input.js';
import { type XPreflightProblem, xDuplicateProblems, xPreflight } from '../format/x-preflight.js';
import type { Alert, AlertBus } from '../ports/alert-bus.js';
import type { AmendmentScheduler } from '../ports/amendment-scheduler.js';
import type {
  Desk,
  DeskRefusal,
  DeskResult,
  DestinationPlan,
  DraftStoryOptions,
  StoryView,
  UpcomingItem,
  WhenRequest,
  XLinkChoice,
} from '../ports/desk.js';
import type {
  AmendmentPreview,
  AmendmentView,
  CorrectionRequest,
  PendingApproval,
} from '../ports/desk-amendments.js';
import type { IntakeBus, IntakeEvent } from '../ports/intake-bus.js';
import type { Pacer } from '../ports/pacer.js';
import type { PlanStore } from '../ports/plan-store.js';
import type { PublicationScheduler } from '../ports/publication-scheduler.js';
import type { ReplaceRefusal, StoryStore } from '../ports/story-store.js';
import type { XSpendReport } from '../ports/x-spend-report.js';
import { describeInstant } from '../schedule/describe-instant.js';
import { digestWindow } from '../schedule/digest-window.js';
import { type PublicationRequest, planPublication } from '../schedule/plan-publication.js';
import { type AmendmentDecision, decideAmendment } from './amendment-decisions.js';
import { AmendmentDesk, countAmendments } from './amendment-desk.js';
import { ApprovalGate } from './approval-gate.js';
import { noStory, ok, refuse } from './desk-result.js';
import { LiveStoryDesk } from './live-story-desk.js';
import { publicLinks } from './public-links.js';
import { recentXPosts } from './recent-x-posts.js';
import type { XSpendDesk } from './x-spend-desk.js';

/** What the desk works with: its config, the stores and queues behind ports, and a clock. */
export interface DeskServiceDeps {
  readonly destinations: readonly DestinationConfig[];
  readonly format: RenderOptions;
  readonly digest: {
    readonly hour: number;
    readonly minute: number;
    readonly timeZone: string;
    readonly maxStories: number;
  };
  readonly store: StoryStore;
  readonly plans: PlanStore;
  readonly scheduler: PublicationScheduler;
  readonly pacer?: Pacer;
  readonly alerts?: AlertBus;
  /** Carries feed-intake news to the bot (see {@link Desk.onIntake}). */
  readonly intake?: IntakeBus;
  /** Public handles for links in /status: the channel's @username, the X account's username. */
  readonly handles?: { readonly telegramChannel?: string; readonly xUsername?: string };
  /** Starts corrections' and retractions' jobs; without it the desk refuses them. */
  readonly amendments?: AmendmentScheduler;
  /** The two-person rule; without it no story waits for approval. */
  readonly approval?: ApprovalPolicy;
  /** X's spend as counted by the workers; without it `xSpend` reports nothing. */
  readonly xSpend?: XSpendDesk;
  readonly now: () => number;
}

// How many of the most recently queued stories the digest looks at for the day's corrections.
const DIGEST_AMENDMENT_LOOKBACK = 300;

// Rate windows look back at most 24 h; the planner needs what was sent in that span.
const LOOKBACK_MS = 24 * 3_600_000;

/** The same refusal, as a result of another type. */
const passOn = <T>(refusal: DeskRefusal): DeskResult<T> => refusal;

/**
 * {@link Desk}: every editor use case, over the ports (story and plan stores, the publication scheduler,
 * the pacer, the alert and intake buses). Pure of I/O itself; the composition root gives it Redis.
 */
export class DeskService implements Desk {
  private readonly byId: ReadonlyMap<string, DestinationConfig>;
  private readonly gate: ApprovalGate;
  private readonly amend: AmendmentDesk | undefined;
  private readonly liveStories: LiveStoryDesk | undefined;

  constructor(private readonly deps: DeskServiceDeps) {
    this.byId = new Map(deps.destinations.map((d) => [d.id, d]));
    this.gate = new ApprovalGate(deps.store, deps.approval);
    this.amend = deps.amendments
      ? new AmendmentDesk({
          store: deps.store,
          scheduler: deps.amendments,
          destinations: deps.destinations,
          options: deps.format.amendments,
          now: () => new Date(deps.now()),
        })
      : undefined;
    this.liveStories = deps.amendments
      ? new LiveStoryDesk({
          store: deps.store,
          scheduler: deps.amendments,
          destinations: deps.destinations,
          format: deps.format,
          now: () => new Date(deps.now()),
        })
      : undefined;
  }

  destinations(): readonly string[] {
    return this.deps.destinations.map((d) => d.id);
  }

  timeZone(): string {
    return this.deps.destinations[0]?.schedule.timeZone ?? this.deps.digest.timeZone;
  }

  async createDraft(input: unknown, actor: Actor): Promise<DeskResult<StoryView>> {
    let story: Story;
    try {
      story = storyFromInput(input, this.deps.format);
    } catch (err) {
      if (err instanceof InputError) return refuse('invalid-input', err.message);
      throw err;
    }
    return this.draftStory(story, actor);
  }

  async draftStory(
    story: Story,
    actor: Actor,
    options: DraftStoryOptions = {},
  ): Promise<DeskResult<StoryView>> {
    if (!isStoryId(story.id)) return refuse('invalid-input', notAStoryId(story.id));
    const action = options.action ?? 'drafted';
    const stored = await this.storeNew(story, render(story, this.deps.format), actor, action);
    if (stored.ok || !options.resumeUnscheduled || stored.code !== 'duplicate') return stored;
    if (stored.existingId !== story.id) return stored;
    return (await this.resumeUnscheduled(story, actor, action)) ?? stored;
  }

  /**
   * The story stored by an earlier queue that stopped before scheduling it (its record written, some or
   * all of its drafts not): writes the missing drafts and answers its view; `undefined` when any of its
   * publications left `draft` (it is queued: a duplicate).
   */
  private async resumeUnscheduled(
    story: Story,
    actor: Actor,
    action: string,
  ): Promise<DeskResult<StoryView> | undefined> {
    const publications = await this.deps.store.publications(story.id);
    if (publications.some((p) => p.state !== 'draft')) return undefined;
    const now = this.iso();
    for (const destination of this.destinations()) {
      if (publications.some((p) => p.destination === destination)) continue;
      // Compare-and-set from none: a second queue resuming at the same moment writes nothing twice.
      await this.deps.store.transition(story.id, destination, {
        from: ['none'],
        to: 'draft',
        at: now,
        ...(story.embargoUntil ? { set: { embargoUntil: story.embargoUntil } } : {}),
      });
    }
    await this.record(story.id, actor, `${action} (again: stored before but never scheduled)`);
    return this.view(story.id);
  }

  /** Stores a new story as a draft on every destination; refused when it is already known. */
  private async storeNew(
    story: Story,
    rendered: Rendered,
    actor: Actor,
    action: string,
  ): Promise<DeskResult<StoryView>> {
    const now = this.iso();
    const destinations = this.destinations();
    if (destinations.length === 0)
      return refuse('not-configured', 'no destination is configured to publish to');
    const created = await this.deps.store.create({ story, rendered, queuedAt: now, destinations });
    if (!created.created) {
      return {
        ok: false,
        code: 'duplicate',
        existingId: created.existingId,
        error: `already queued as ${created.existingId} (same story or same URL); see /status ${created.existingId}`,
      };
    }
    for (const destination of destinations) {
      await this.deps.store.setPublication(story.id, {
        destination,
        state: 'draft',
        updatedAt: now,
        ...(story.embargoUntil ? { embargoUntil: story.embargoUntil } : {}),
      });
    }
    await this.record(story.id, actor, action);
    return this.view(story.id);
  }

  async note(storyId: string, actor: Actor, action: string): Promise<DeskResult<void>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    await this.record(record.value.story.id, actor, action);
    return ok(undefined);
  }

  async view(storyId: string): Promise<DeskResult<StoryView>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    const { story, rendered } = record.value;
    const publications = await this.deps.store.publications(story.id);
    const plans: DestinationPlan[] = [];
    for (const pub of publications) {
      // A correction's or retraction's operation (`x~c1`) is on its destination's platform.
      const dest = this.byId.get(parseAmendmentDestination(pub.destination)?.destination ?? pub.destination);
      const parts = await this.deps.store.parts(story.id, pub.destination);
      plans.push(this.toPlan(pub, dest?.platform ?? 'telegram', parts));
    }
    const drafts = publications.filter((p) => p.state === 'draft');
    const wouldPublish = [];
    for (const pub of drafts) {
      const embargo = pub.embargoUntil ? { embargoUntilMs: Date.parse(pub.embargoUntil) } : {};
      const plan = await this.plan(story.id, record.value, pub.destination, {
        mode: 'next-slot',
        ...embargo,
      });
      if (plan.ok) wouldPublish.push({ destination: pub.destination, atMs: plan.atMs, reason: plan.reason });
    }
    const live = liveAmendment(record.value.amendments ?? []);
    return ok({
      story,
      rendered,
      queuedAt: record.value.queuedAt,
      destinations: plans,
      history: await this.deps.store.history(story.id),
      ...(live ? { live: { id: live.id, since: live.requestedAt } } : {}),
      ...(record.value.post ? { post: record.value.post } : {}),
      ...(wouldPublish.length > 0 ? { wouldPublish } : {}),
    });
  }

  async schedule(
    storyId: string,
    when: WhenRequest,
    actor: Actor,
    only?: readonly string[],
  ): Promise<DeskResult<StoryView>> {
    // The two-person rule: whoever asks (an editor, the CLI, the page, a feed), however (Post now,
    // Breaking, a time, the next slot), nothing is scheduled before a second editor approved.
    const held = await this.gate.holds(storyId.trim().toLowerCase());
    if (held) return refuse('needs-approval', held);
    const found = await this.targetStates(storyId, only);
    if (!found.ok) return found;
    const { record, targets } = found.value;
    const done: string[] = [];
    const skipped: string[] = [];
    for (const { destination, state, publication } of targets) {
      const embargoUntil = publication?.embargoUntil;
      if (isStartedOrClosed(state)) {
        skipped.push(`${destination} is ${state}`);
        continue;
      }
      const embargoMs = embargoUntil ? Date.parse(embargoUntil) : undefined;
      const request = toRequest(when, embargoMs);
      const result = await this.deps.plans.withLock(destination, async () => {
        const plan = await this.plan(storyId, record, destination, request);
        if (!plan.ok) return plan;
        // Compare-and-set: a job that began meanwhile wins, and the editor hears so.
        const changed = await this.deps.store.transition(storyId, destination, {
          from: SCHEDULABLE,
          to: 'scheduled',
          at: this.iso(),
          reason: plan.reason,
          set: { dueAt: new Date(plan.atMs).toISOString(), moved: plan.moved ?? null },
        });
        if (!changed.ok) return { ok: false as const, error: `it is ${changed.current} now` };
        await this.deps.plans.put(
          destination,
          {
            storyId,
            atMs: plan.atMs,
            units: this.units(record, destination),
            breaking: when.mode === 'breaking',
          },
          this.deps.now(),
        );
        await this.deps.scheduler.schedule(storyId, destination, plan.atMs);
        return plan;
      });
      if (!result.ok) return refuse('refused-state', `${destination}: ${result.error}`);
      if (result.moved) await this.alert({ storyId, destination, kind: 'moved', message: result.moved });
      done.push(`${destination} ${describeInstant(result.atMs, this.timeZone())}`);
    }
    if (done.length === 0) return refuse('refused-state', `nothing to schedule: ${skipped.join(', ')}`);
    await this.record(storyId, actor, `scheduled (${when.mode}): ${done.join('; ')}`);
    return this.view(storyId);
  }

  async edit(
    storyId: string,
    changes: { title?: string; body?: string },
    actor: Actor,
  ): Promise<DeskResult<StoryView>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    if (changes.title === undefined && changes.body === undefined)
      return refuse('invalid-input', 'give a new title or body');
    const old = record.value.story;
    let story: Story;
    try {
      story = storyFromInput(
        {
          title: changes.title ?? old.title,
          body: changes.body ?? old.body,
          tags: old.tags,
          ...(old.url ? { url: old.url } : {}),
          ...(old.source ? { source: old.source } : {}),
          ...(old.publishedAt ? { publishedAt: old.publishedAt } : {}),
          ...(old.imageUrl ? { imageUrl: old.imageUrl } : {}),
          ...(old.embargoUntil ? { embargo: old.embargoUntil } : {}),
        },
        this.deps.format,
      );
    } catch (err) {
      if (err instanceof InputError) return refuse('invalid-input', err.message);
      throw err;
    }
    // The id stays: editors and jobs already refer to it; so does an editor's link policy.
    const edited: Story = { ...story, id: storyId, ...(old.xLink ? { xLink: old.xLink } : {}) };
    // Atomic with the publish jobs' start: a publication sends the version it started with, whole.
    const refused = await this.deps.store.replaceIfUnsent({
      ...record.value,
      story: edited,
      rendered: render(edited, this.deps.format),
    });
    if (refused)
      return refuse(refused.kind === 'gone' ? 'not-found' : 'refused-state', editRefusal(storyId, refused));
    const what = [
      changes.title !== undefined ? 'title' : '',
      changes.body !== undefined ? 'body' : '',
    ].filter(Boolean);
    await this.record(storyId, actor, `edited ${what.join(' and ')}`);
    return this.view(storyId);
  }

  async cancel(storyId: string, actor: Actor, only?: readonly string[]): Promise<DeskResult<StoryView>> {
    const found = await this.targetStates(storyId, only);
    if (!found.ok) return found;
    const cancelled: string[] = [];
    const refused: string[] = [];
    for (const { destination, state } of found.value.targets) {
      if (state === 'published' || state === 'cancelled') {
        refused.push(`${destination} is already ${state}`);
        continue;
      }
      const withdrawn = await this.withdraw(storyId, destination, `cancelled by ${actor.name}`);
      if (withdrawn.ok) cancelled.push(withdrawn.value);
      else refused.push(withdrawn.error);
    }
    if (cancelled.length === 0) return refuse('refused-state', `nothing to cancel: ${refused.join(', ')}`);
    await this.record(storyId, actor, `cancelled: ${cancelled.join('; ')}`);
    return this.view(storyId);
  }

  async retry(storyId: string, actor: Actor, only?: readonly string[]): Promise<DeskResult<StoryView>> {
    const operation =
      only?.length === 1 && only[0] && parseAmendmentDestination(only[0]) ? only[0] : undefined;
    if (operation) return this.decideAmendment(storyId, operation, 'retry', actor);
    const found = await this.targetStates(storyId, only);
    if (!found.ok) return found;
    const retried: string[] = [];
    for (const { destination, state } of found.value.targets) {
      if (state !== 'failed' && state !== 'needs-attention') continue;
      const platform = this.byId.get(destination)?.platform;
      const parts = await this.deps.store.parts(storyId, destination);
      const unknown = parts.find((p) => p.state === 'unknown');
      // X: a `sending` entry makes the worker look for the tweet before posting it again (no attempt
      // token: nothing is in flight, so it looks at once). Telegram cannot be searched, so an editor's
      // Retry means "it was not posted: send it".
      const part: PartRecord | undefined = unknown && {
        ...withoutAttempt(unknown),
        state: platform === 'x' ? 'sending' : 'failed',
        at: this.iso(),
        reason: `retry requested by ${actor.name}`,
      };
      const changed = await this.resume(
        storyId,
        destination,
        `retry by ${actor.name}`,
        ['failed', 'needs-attention'],
        part,
      );
      if (changed) retried.push(destination);
    }
    if (retried.length === 0)
      return refuse(
        'nothing-to-do',
        `nothing to retry on ${storyId}: only failed or unresolved publications can be retried`,
      );
    await this.record(storyId, actor, `retried on ${retried.join(', ')}`);
    return this.view(storyId);
  }

  async markPosted(
    storyId: string,
    destination: string,
    actor: Actor,
    remoteRef?: string,
  ): Promise<DeskResult<StoryView>> {
    if (parseAmendmentDestination(destination))
      return this.decideAmendment(storyId, destination, 'posted', actor, remoteRef);
    const open = await this.openPart(storyId, destination);
    if (!open.ok) return open;
    const { part, total, platform } = open.value;
    let remoteId: string | undefined;
    if (remoteRef !== undefined && remoteRef.trim() !== '') {
      remoteId = remoteIdFromRef(platform, remoteRef);
      if (remoteId === undefined) {
        return refuse(
          'invalid-input',
          platform === 'x'
            ? `"${remoteRef}" is not a link to a post on X (https://x.com/<account>/status/<id>) or a post id`
            : `"${remoteRef}" is not a link to a channel message (https://t.me/<channel>/<id>) or a message id`,
        );
      }
    }
    if (platform === 'x' && remoteId === undefined && part.index < total - 1) {
      return refuse(
        'invalid-input',
        `tweet ${part.index + 2} must reply to tweet ${part.index + 1}: give the link of tweet ` +
          `${part.index + 1} as X shows it (Mark as posted with the link), or post the rest as a new thread`,
      );
    }
    const confirmed: PartRecord = {
      ...withoutAttempt(part),
      state: 'sent',
      at: this.iso(),
      ...(remoteId === undefined ? {} : { remoteId }),
      confirmedBy: actor.name,
      reason: `confirmed posted by ${actor.name}`,
    };
    const changed = await this.resume(
      storyId,
      destination,
      `confirmed by ${actor.name}`,
      ['failed', 'needs-attention'],
      confirmed,
    );
    if (!changed)
      return refuse(
        'refused-state',
        `${destination} is no longer waiting for a decision; see /status ${storyId}`,
      );
    const what = platform === 'x' ? 'tweet' : 'part';
    await this.record(
      storyId,
      actor,
      `marked ${what} ${part.index + 1} on ${destination} as posted${remoteId ? ` (${remoteId})` : ''}`,
    );
    return this.view(storyId);
  }

  async newThread(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>> {
    const open = await this.openPart(storyId, destination);
    if (!open.ok) return open;
    const { part, platform } = open.value;
    if (platform !== 'x') return refuse('refused-state', 'only an X thread can go on as a new thread');
    if (part.index === 0) return refuse('refused-state', 'the thread has not started: use Retry');
    const changed = await this.resume(
      storyId,
      destination,
      `new thread by ${actor.name}`,
      ['failed', 'needs-attention'],
      {
        ...withoutAttempt(part),
        state: 'failed',
        at: this.iso(),
        newThread: true,
        reason: `the rest goes out as a new thread (${actor.name})`,
      },
    );
    if (!changed)
      return refuse(
        'refused-state',
        `${destination} is no longer waiting for a decision; see /status ${storyId}`,
      );
    await this.record(storyId, actor, `tweets ${part.index + 1}+ on ${destination} go out as a new thread`);
    return this.view(storyId);
  }

  async embargo(storyId: string, untilMs: number | null, actor: Actor): Promise<DeskResult<StoryView>> {
    const found = await this.targetStates(storyId, undefined);
    if (!found.ok) return found;
    if (untilMs !== null && !Number.isFinite(untilMs))
      return refuse('invalid-input', 'give the embargo as a time');
    const until = untilMs === null ? null : new Date(untilMs).toISOString();
    const changed: string[] = [];
    const refused: string[] = [];
    const moved: string[] = [];
    for (const { destination, state, publication } of found.value.targets) {
      if (state === undefined || state === 'published' || state === 'cancelled' || state === 'publishing') {
        refused.push(
          `${destination} is ${state === 'publishing' ? 'going out right now' : (state ?? 'not planned')}`,
        );
        continue;
      }
      // Same state, new embargo: compare-and-set against a job that starts meanwhile.
      const set = await this.deps.store.transition(storyId, destination, {
        from: [state],
        to: state,
        at: this.iso(),
        // The reason is not this change's to clear.
        ...(publication?.reason ? { reason: publication.reason } : {}),
        set: { embargoUntil: until },
      });
      if (!set.ok) {
        refused.push(`${destination} is ${set.current} now`);
        continue;
      }
      changed.push(destination);
      // Same state, so the due time read before the change still holds.
      const dueMs = publication?.dueAt ? Date.parse(publication.dueAt) : undefined;
      // A scheduled time inside the embargo moves to its end (the planner picks the first allowed slot).
      if (state === 'scheduled' && untilMs !== null && dueMs !== undefined && dueMs < untilMs) {
        const rescheduled = await this.schedule(storyId, { mode: 'at', atMs: dueMs }, actor, [destination]);
        if (rescheduled.ok) moved.push(destination);
        else refused.push(rescheduled.error);
      }
    }
    if (changed.length === 0) return refuse('refused-state', `no embargo set: ${refused.join(', ')}`);
    const when = until === null ? 'lifted' : `until ${describeInstant(untilMs ?? 0, this.timeZone())}`;
    const notes = [moved.length > 0 ? `moved ${moved.join(', ')} to after it` : '', ...refused].filter(
      Boolean,
    );
    await this.record(
      storyId,
      actor,
      `embargo ${when} on ${changed.join(', ')}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    );
    return this.view(storyId);
  }

  async skip(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>> {
    if (parseAmendmentDestination(destination))
      return this.decideAmendment(storyId, destination, 'skip', actor);
    const record = await this.load(storyId);
    if (!record.ok) return record;
    if (!record.value.destinations.includes(destination))
      return refuse('not-found', `${storyId} is not planned on ${destination}`);
    const withdrawn = await this.withdraw(storyId, destination, `skipped by ${actor.name}`);
    if (!withdrawn.ok) return withdrawn;
    await this.record(storyId, actor, `skipped: ${withdrawn.value}`);
    return this.view(storyId);
  }

  async upcoming(options: {
    destination?: string;
    offset: number;
    limit: number;
  }): Promise<readonly UpcomingItem[]> {
    const destinations = options.destination ? [options.destination] : this.destinations();
    const fromMs = this.deps.now() - 60_000;
    const want = options.offset + options.limit;
    const merged = (
      await Promise.all(destinations.map((d) => this.deps.plans.upcoming(d, fromMs, 0, want)))
    ).flat();
    merged.sort((a, b) => a.atMs - b.atMs || a.storyId.localeCompare(b.storyId));
    const page = merged.slice(options.offset, want);
    const items: UpcomingItem[] = [];
    for (const e of page) {
      const pub = (await this.deps.store.publications(e.storyId)).find(
        (p) => p.destination === e.destination,
      );
      if (pub && pub.state !== 'scheduled') continue;
      const record = await this.deps.store.get(e.storyId);
      items.push({
        storyId: e.storyId,
        destination: e.destination,
        atMs: e.atMs,
        title: record?.story.title ?? '?',
      });
    }
    return items;
  }

  async setXLink(storyId: string, link: XLinkPolicy, actor: Actor): Promise<DeskResult<StoryView>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    const story: Story = { ...record.value.story, xLink: link };
    // Only the thread changes: the channel post keeps its payload, so a post already out there (a story X's
    // budget held) does not stop the choice; X's publications must still have nothing out.
    const onX = record.value.destinations.filter((d) => this.byId.get(d)?.platform === 'x');
    const refused = await this.deps.store.replaceIfUnsent(
      {
        ...record.value,
        story,
        rendered: { ...record.value.rendered, story, x: render(story, this.deps.format).x },
      },
      onX,
    );
    if (refused)
      return refuse(refused.kind === 'gone' ? 'not-found' : 'refused-state', editRefusal(storyId, refused));
    await this.record(storyId, actor, `X link policy: ${link}`);
    return this.view(storyId);
  }

  async setPostFlags(
    storyId: string,
    flags: { readonly silent?: boolean; readonly protectContent?: boolean },
    actor: Actor,
  ): Promise<DeskResult<{ readonly silent?: boolean; readonly protectContent?: boolean }>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    const onTelegram = record.value.destinations.filter((d) => this.byId.get(d)?.platform === 'telegram');
    if (onTelegram.length === 0) return refuse('refused-state', `${storyId} goes to no Telegram destination`);
    const post = { ...record.value.post, ...flags };
    const refused = await this.deps.store.replaceIfUnsent({ ...record.value, post }, onTelegram);
    if (refused) {
      if (refused.kind === 'gone') return refuse('not-found', editRefusal(storyId, refused));
      return refuse(
        'refused-state',
        `${storyId}'s channel post is already out or going out; Telegram cannot change how it was sent`,
      );
    }
    const said = [
      ...(flags.silent !== undefined ? [`sent silently: ${flags.silent ? 'on' : 'off'}`] : []),
      ...(flags.protectContent !== undefined ? [`protected: ${flags.protectContent ? 'on' : 'off'}`] : []),
    ];
    await this.record(record.value.story.id, actor, `Telegram ${said.join(', ')}`);
    return ok(post);
  }

  xLinkChoices(story: Story): readonly XLinkChoice[] {
    const current = story.xLink ?? this.deps.format.x.linkPlacement;
    return X_LINK_POLICIES.map((link) => ({
      link,
      current: link === current,
      x: render({ ...story, xLink: link }, this.deps.format).x,
    }));
  }

  async xPreflight(rendered: Rendered): Promise<readonly XPreflightProblem[]> {
    const { story, x } = rendered;
    const problems = xPreflight(x, {
      maxWeightedLength: this.deps.format.x.maxWeightedLength,
      ...(story.url ? { url: story.url } : {}),
      // The story's image goes with the first tweet.
      mediaPerPost: x.map((_, i) => (i === 0 && story.imageUrl ? 1 : 0)),
    });
    const recent = await recentXPosts(this.deps.store, {
      xDestinations: this.deps.destinations.filter((d) => d.platform === 'x').map((d) => d.id),
      nowMs: this.deps.now(),
      excludeStoryId: story.id,
    });
    return [...problems, ...xDuplicateProblems(x, recent)];
  }

  async postWithoutLink(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>> {
    const open = await this.openPart(storyId, destination);
    if (!open.ok) return open;
    if (open.value.platform !== 'x')
      return refuse('refused-state', 'only a story on X can go without its link');
    if (open.value.part.index !== 0)
      return refuse(
        'refused-state',
        `tweets of ${storyId} are already out on ${destination}: the thread can no longer lose its link`,
      );
    const linked = await this.setXLink(storyId, 'none', actor);
    if (!linked.ok) return linked;
    const changed = await this.resume(
      storyId,
      destination,
      `posted without its link by ${actor.name}`,
      ['failed', 'needs-attention'],
      {
        index: 0,
        state: 'failed',
        at: this.iso(),
        reason: `link dropped by ${actor.name}; the budget is checked again`,
        recheckBudget: true,
      },
    );
    if (!changed)
      return refuse(
        'refused-state',
        `${destination} is no longer waiting for a decision; see /status ${storyId}`,
      );
    await this.record(storyId, actor, `sent on without its link on ${destination} (budget checked again)`);
    return this.view(storyId);
  }

  async xSpend(storyId?: string): Promise<XSpendReport> {
    return (await this.deps.xSpend?.report(storyId)) ?? { lines: [], pricesReadOn: '' };
  }

  async digest(
    action: 'preview' | 'send' | 'scheduled',
    actor: Actor,
  ): Promise<DeskResult<{ readonly rendered: Rendered; readonly storyIds: readonly string[] }>> {
    const nowMs = this.deps.now();
    const { digest } = this.deps;
    // Preview shows what the next run would cover (today so far), and an editor's send sends just that;
    // the scheduled run covers the window that just ended.
    const window = digestWindow(digest, nowMs);
    const soFar = action !== 'scheduled';
    const startMs = soFar ? window.endMs : window.startMs;
    const endMs = soFar ? nowMs + 1 : window.endMs;
    const ids = (await this.deps.store.publishedBetween(startMs, endMs)).slice(-digest.maxStories);
    const stories: Story[] = [];
    for (const id of ids) {
      const r = await this.deps.store.get(id);
      if (r) stories.push(r.story);
    }
    if (stories.length === 0)
      return refuse('nothing-to-do', 'no stories were published in the digest period; nothing to send');
    const dateLabel = describeInstant(soFar ? nowMs : endMs - 1, digest.timeZone).replace(
      /, \d\d:\d\d.*$/,
      '',
    );
    const title = `Crypto regulation today — ${dateLabel}`;
    const body = stories.map((s) => s.title).join('\n');
    const draft = { title, body, tags: ['digest'] };
    const digestStory: Story = { id: storyIdFor(draft), ...draft, changes: [] };
    // Stories corrected in the period may be older than it: the most recently queued are looked at.
    const recent = await this.deps.store.recent(DIGEST_AMENDMENT_LOOKBACK);
    const amendments = await countAmendments(this.deps.store, recent, startMs, endMs);
    const rendered = renderDigest(digestStory, stories, { dateLabel, maxTweets: 6, amendments });
    if (action === 'preview') return ok({ rendered, storyIds: ids });
    const stored = await this.storeNew(digestStory, rendered, actor, 'digest created');
    if (!stored.ok) return passOn(stored);
    const scheduled = await this.schedule(digestStory.id, { mode: 'now' }, actor);
    if (!scheduled.ok) return passOn(scheduled);
    return ok({ rendered, storyIds: ids });
  }

  onAlert(listener: (alert: Alert) => void | Promise<void>): () => void {
    return this.deps.alerts?.subscribe(listener) ?? (() => undefined);
  }

  onIntake(listener: (event: IntakeEvent) => void | Promise<void>): () => void {
    return this.deps.intake?.subscribe(listener) ?? (() => undefined);
  }

  // ---- helpers

  async correct(
    storyId: string,
    correction: CorrectionRequest,
    actor: Actor,
  ): Promise<DeskResult<AmendmentView>> {
    return this.amending(storyId, 'corrections', (amend, id) => {
      const corrected = this.correctedPost(id, correction);
      if (!corrected.ok) return Promise.resolve(corrected);
      return amend.correct(id, correction.note, actor, corrected.value);
    });
  }

  async proposeAmendment(
    storyId: string,
    request:
      | { readonly kind: 'correction'; readonly correction: CorrectionRequest }
      | { readonly kind: 'retraction'; readonly reason: string },
    actor: Actor,
  ): Promise<DeskResult<AmendmentPreview>> {
    return this.amending(storyId, `${request.kind}s`, (amend, id) => {
      if (request.kind === 'retraction') return amend.propose(id, 'retraction', request.reason, actor);
      const corrected = this.correctedPost(id, request.correction);
      if (!corrected.ok) return Promise.resolve(corrected);
      return amend.propose(id, 'correction', request.correction.note, actor, corrected.value);
    });
  }

  async confirmAmendment(
    storyId: string,
    amendmentId: string,
    actor: Actor,
  ): Promise<DeskResult<AmendmentView>> {
    return this.amending(storyId, 'corrections', (amend, id) => amend.confirm(id, amendmentId, actor));
  }

  async cancelAmendment(
    storyId: string,
    amendmentId: string,
    actor: Actor,
  ): Promise<DeskResult<AmendmentView>> {
    return this.amending(storyId, 'corrections', (amend, id) => amend.cancel(id, amendmentId, actor));
  }

  /** Runs an amendment use case on a story that exists (its full id), or says why it cannot run. */
  private async amending<T>(
    storyId: string,
    what: string,
    run: (amend: AmendmentDesk, id: string) => Promise<DeskResult<T>>,
  ): Promise<DeskResult<T>> {
    if (!this.amend) return refuse('not-configured', `${what} need the worker role (the amend queue)`);
    const record = await this.load(storyId);
    if (!record.ok) return record;
    return run(this.amend, record.value.story.id);
  }

  /** The corrected story's channel post, when the correction brings one. */
  private correctedPost(
    storyId: string,
    correction: CorrectionRequest,
  ): DeskResult<Rendered['telegram'][number] | undefined> {
    if (correction.story === undefined) return ok(undefined);
    try {
      const story = storyFromInput(correction.story, this.deps.format);
      return ok(render({ ...story, id: storyId }, this.deps.format).telegram[0]);
    } catch (err) {
      if (err instanceof InputError) return refuse('invalid-input', err.message);
      throw err;
    }
  }

  async retract(storyId: string, reason: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    return this.amending(storyId, 'retractions', (amend, id) => amend.retract(id, reason, actor));
  }

  async corrections(limit = 50): Promise<readonly AmendmentView[]> {
    return this.amend ? this.amend.corrections(await this.deps.store.recent(limit)) : [];
  }

  async approve(storyId: string, actor: Actor): Promise<DeskResult<StoryView>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    const id = record.value.story.id;
    const allowed = await this.gate.mayApprove(id, actor);
    if (!allowed.ok) return allowed;
    await this.record(id, actor, APPROVED_ACTION);
    return this.view(id);
  }

  async pending(limit = 50): Promise<readonly PendingApproval[]> {
    return this.gate.pending(await this.deps.store.recent(limit));
  }

  proposeUpdate(storyId: string, text: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    return this.#live(storyId, (desk, id) => desk.proposeUpdate(id, text, actor));
  }

  sendUpdate(storyId: string, updateId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    return this.#live(storyId, (desk, id) => desk.sendUpdate(id, updateId, actor));
  }

  discardUpdate(storyId: string, updateId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    return this.#live(storyId, (desk, id) => desk.discardUpdate(id, updateId, actor));
  }

  live(storyId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    return this.#live(storyId, (desk, id) => desk.live(id, actor));
  }

  close(storyId: string, actor: Actor): Promise<DeskResult<AmendmentView>> {
    return this.#live(storyId, (desk, id) => desk.close(id, actor));
  }

  /**
   * An editor's decision on an amendment's operation (`telegram~u1`…) that stopped: Retry, Mark as posted
   * (with the post's link or id, `remoteRef`) or Skip, from an alert's buttons or `/retry`.
   */
  private async decideAmendment(
    storyId: string,
    operation: string,
    decision: AmendmentDecision,
    actor: Actor,
    remoteRef?: string,
  ): Promise<DeskResult<StoryView>> {
    const scheduler = this.deps.amendments;
    if (!scheduler) return refuse('not-configured', 'amendments need the worker role (the amend queue)');
    const record = await this.load(storyId);
    if (!record.ok) return record;
    const id = record.value.story.id;
    const platform = this.byId.get(parseAmendmentDestination(operation)?.destination ?? '')?.platform;
    let remoteId: string | undefined;
    if (platform && remoteRef !== undefined && remoteRef.trim() !== '') {
      remoteId = remoteIdFromRef(platform, remoteRef);
      if (remoteId === undefined)
        return refuse('invalid-input', `"${remoteRef}" is not a link to a post or its id`);
    }
    const deps = {
      store: this.deps.store,
      scheduler,
      destinations: this.deps.destinations,
      now: () => new Date(this.deps.now()),
    };
    const decided = await decideAmendment(deps, id, operation, decision, actor, remoteId);
    if (!decided.ok) return decided;
    await this.record(id, actor, decided.value);
    return this.view(id);
  }

  /** A live-story use case on a known story (its id normalized); refused without the amend queue. */
  async #live(
    storyId: string,
    use: (desk: LiveStoryDesk, id: string) => Promise<DeskResult<AmendmentView>>,
  ): Promise<DeskResult<AmendmentView>> {
    if (!this.liveStories)
      return refuse('not-configured', 'live stories need the worker role (the amend queue)');
    const record = await this.load(storyId);
    if (!record.ok) return record;
    return use(this.liveStories, record.value.story.id);
  }

  private iso(): string {
    return new Date(this.deps.now()).toISOString();
  }

  private async load(storyId: string): Promise<DeskResult<StoryRecord>> {
    const id = storyId.trim().toLowerCase();
    if (!isStoryId(id)) return refuse('invalid-input', notAStoryId(storyId));
    const record = await this.deps.store.get(id);
    return record ? ok(record) : noStory(id);
  }

  private targets(record: StoryRecord, only?: readonly string[]): DeskResult<readonly string[]> {
    if (!only || only.length === 0) return ok(record.destinations);
    const unknown = only.filter((d) => !record.destinations.includes(d));
    if (unknown.length > 0) {
      return refuse(
        'not-found',
        `unknown destination ${unknown.join(', ')}; this story goes to ${record.destinations.join(', ')}`,
      );
    }
    return ok(only);
  }

  /** The story, and the publication state of each destination asked for (all of the story's when none). */
  private async targetStates(
    storyId: string,
    only: readonly string[] | undefined,
  ): Promise<DeskResult<{ readonly record: StoryRecord; readonly targets: readonly TargetState[] }>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    const targets = this.targets(record.value, only);
    if (!targets.ok) return targets;
    const publications = new Map(
      (await this.deps.store.publications(storyId)).map((p) => [p.destination, p]),
    );
    return ok({
      record: record.value,
      targets: targets.value.map((destination) => {
        const pub = publications.get(destination);
        return { destination, state: pub?.state, ...(pub ? { publication: pub } : {}) };
      }),
    });
  }

  /**
   * Marks a destination cancelled (compare-and-set: a publication that is running stops before its next
   * part), then takes it out of the schedule. Says what is already out or in flight, which stays.
   */
  private async withdraw(storyId: string, destination: string, reason: string): Promise<DeskResult<string>> {
    const changed = await this.deps.store.transition(storyId, destination, {
      from: WITHDRAWABLE,
      to: 'cancelled',
      at: this.iso(),
      reason,
    });
    if (!changed.ok) return refuse('refused-state', `${destination} is already ${changed.current}`);
    // The job may be running (it stops at its next part) or parked; either way it sends nothing more.
    await this.deps.scheduler.cancel(storyId, destination);
    await this.deps.plans.remove(destination, storyId);
    const parts = await this.deps.store.parts(storyId, destination);
    return ok(
      `${destination}${describeWhatStays(parts, this.byId.get(destination)?.platform ?? 'telegram')}`,
    );
  }

  /**
   * Marks a destination scheduled again (compare-and-set from `from`, with an editor's ledger entry in the
   * same step) and runs its job now. False when the publication was not in one of `from`.
   */
  private async resume(
    storyId: string,
    destination: string,
    reason: string,
    from: readonly PublicationState[],
    part?: PartRecord,
  ): Promise<boolean> {
    const changed = await this.deps.store.transition(storyId, destination, {
      from,
      to: 'scheduled',
      at: this.iso(),
      reason,
      ...(part ? { part } : {}),
    });
    if (!changed.ok) return false;
    await this.deps.scheduler.schedule(storyId, destination, this.deps.now());
    return true;
  }

  /** The first part of a failed or unresolved publication that is not confirmed: what an editor decides on. */
  private async openPart(
    storyId: string,
    destination: string,
  ): Promise<DeskResult<{ part: PartRecord; total: number; platform: 'telegram' | 'x' }>> {
    const record = await this.load(storyId);
    if (!record.ok) return record;
    const platform = this.byId.get(destination)?.platform;
    if (!platform || !record.value.destinations.includes(destination))
      return refuse('not-found', `${storyId} is not planned on ${destination}`);
    const pub = (await this.deps.store.publications(storyId)).find((p) => p.destination === destination);
    if (pub?.state !== 'failed' && pub?.state !== 'needs-attention')
      return refuse(
        'refused-state',
        `no part of ${storyId} on ${destination} is waiting for a decision (it is ${pub?.state ?? 'not planned'})`,
      );
    const total = this.units(record.value, destination);
    const parts = new Map((await this.deps.store.parts(storyId, destination)).map((p) => [p.index, p]));
    for (let index = 0; index < total; index++) {
      const part = parts.get(index);
      if (part?.state === 'sent') continue;
      if (part?.state === 'sending')
        return refuse(
          'refused-state',
          `part ${index + 1} on ${destination} is being sent right now; wait for its outcome`,
        );
      return ok({ part: part ?? { index, state: 'failed', at: this.iso() }, total, platform });
    }
    return refuse('refused-state', `every part of ${storyId} on ${destination} is already posted`);
  }

  private units(record: StoryRecord, destination: string): number {
    const platform = this.byId.get(destination)?.platform;
    return Math.max(1, platform === 'x' ? record.rendered.x.length : record.rendered.telegram.length);
  }

  private async plan(storyId: string, record: StoryRecord, destination: string, request: PublicationRequest) {
    const dest = this.byId.get(destination);
    if (!dest) return { ok: false as const, error: `unknown destination ${destination}` };
    const nowMs = this.deps.now();
    const horizon = request.mode === 'next-slot' ? Number.POSITIVE_INFINITY : nowMs + 2 * LOOKBACK_MS;
    const planned = await this.deps.plans.entries(destination, nowMs - LOOKBACK_MS, horizon);
    const live = dest.platform === 'x' ? await this.deps.pacer?.live(destination) : undefined;
    return planPublication({
      request,
      units: this.units(record, destination),
      storyId,
      schedule: dest.schedule,
      planned,
      ...(live ? { live } : {}),
      nowMs,
    });
  }

  private toPlan(
    pub: PublicationStatus,
    platform: 'telegram' | 'x',
    parts: readonly PartRecord[],
  ): DestinationPlan {
    const atMs = pub.dueAt ? Date.parse(pub.dueAt) : undefined;
    return {
      destination: pub.destination,
      platform,
      state: pub.state,
      ...(atMs !== undefined ? { atMs } : {}),
      ...(pub.reason ? { reason: pub.reason } : {}),
      ...(pub.moved ? { moved: pub.moved } : {}),
      ...(pub.embargoUntil ? { embargoUntilMs: Date.parse(pub.embargoUntil) } : {}),
      updatedAt: pub.updatedAt,
      parts,
      links: publicLinks(platform, parts, this.deps.handles ?? {}),
    };
  }

  private async record(storyId: string, actor: Actor, action: string): Promise<void> {
    await this.deps.store.appendHistory(storyId, { at: this.iso(), actor, action });
  }

  private async alert(alert: Alert): Promise<void> {
    await this.deps.alerts?.publish(alert).catch(() => undefined);
  }
}

interface TargetState {
  readonly destination: string;
  readonly state: PublicationState | undefined;
  /** The publication as read with the others (absent when the story is not planned there). */
  readonly publication?: PublicationStatus;
}

// What an editor may move to `scheduled`, and what may still be cancelled (a running publication stops
// before its next part).
const SCHEDULABLE: readonly (PublicationState | 'none')[] = [
  'draft',
  'scheduled',
  'failed',
  'needs-attention',
];
const WITHDRAWABLE: readonly (PublicationState | 'none')[] = [
  'draft',
  'scheduled',
  'publishing',
  'failed',
  'needs-attention',
];

/** The refusal for text that is not a story id. */
function notAStoryId(text: string): string {
  return `"${text}" is not a story id (8 letters and digits, e.g. k3f9x2ab)`;
}

function withoutAttempt(part: PartRecord): PartRecord {
  const { attempt: _attempt, ...rest } = part;
  return rest;
}

/** ": 2 of 5 tweets are live and stay; tweet 3 was being sent and may appear" (or "" when nothing is out). */
function describeWhatStays(parts: readonly PartRecord[], platform: 'telegram' | 'x'): string {
  const noun = platform === 'x' ? 'tweet' : 'part';
  const live = parts.filter((p) => p.state === 'sent').map((p) => p.index + 1);
  const maybe = parts.filter((p) => p.state === 'sending' || p.state === 'unknown').map((p) => p.index + 1);
  const notes = [
    live.length > 0 ? `${noun} ${live.join(', ')} already out (stays)` : '',
    maybe.length > 0 ? `${noun} ${maybe.join(', ')} was being sent and may appear` : '',
  ].filter(Boolean);
  return notes.length > 0 ? ` (${notes.join('; ')}; nothing more will be sent)` : '';
}

function editRefusal(storyId: string, why: ReplaceRefusal): string {
  switch (why.kind) {
    case 'gone':
      return `no story with id ${storyId}`;
    case 'state':
      return `${storyId} is already ${why.state} on ${why.destination} with the text it started with; it can no longer be edited`;
    case 'part':
      return why.state === 'sent'
        ? `part ${why.index + 1} of ${storyId} is already posted on ${why.destination}; it can no longer be edited`
        : `part ${why.index + 1} of ${storyId} on ${why.destination} is ${why.state === 'unknown' ? 'of unknown outcome' : 'being sent'}; resolve it first (an edit now would mix versions)`;
  }
}

/** Neither scheduling nor cancelling applies any more: the publication has started or is over. */
function isStartedOrClosed(state: PublicationState | undefined): boolean {
  return state === 'published' || state === 'publishing' || state === 'cancelled';
}

function toRequest(when: WhenRequest, embargoUntilMs?: number): PublicationRequest {
  const embargo = embargoUntilMs !== undefined && Number.isFinite(embargoUntilMs) ? { embargoUntilMs } : {};
  return when.mode === 'at' ? { mode: 'at', atMs: when.atMs, ...embargo } : { mode: when.mode, ...embargo };
}
