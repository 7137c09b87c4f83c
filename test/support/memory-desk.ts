import { DateTime } from 'luxon';
import type {
  Actor,
  Alert,
  Desk,
  DeskResult,
  DestinationPlan,
  HistoryEntry,
  IntakeEvent,
  StoryView,
  UpcomingItem,
  WhenRequest,
} from '../../src/app/desk.js';
import type { PartRecord } from '../../src/domain/publication.js';
import type { Story } from '../../src/domain/story.js';
import { storyFromInput } from '../../src/domain/story-intake.js';
import { InputError } from '../../src/errors/input-error.js';
import { defaultRenderOptions, render } from '../../src/format/index.js';
import type { Rendered } from '../../src/format/types.js';

/** A destination of the memory desk. */
export interface MemoryDestination {
  readonly id: string;
  readonly platform: 'telegram' | 'x';
}

/** Publishes one story to one destination for real (e.g. to a stand-in); returns what was posted. */
export type MemoryPublisher = (
  rendered: Rendered,
  storyId: string,
) => Promise<{ readonly remoteIds: readonly string[]; readonly links: readonly string[] }>;

export interface MemoryDeskOptions {
  readonly destinations?: readonly MemoryDestination[];
  readonly timeZone?: string;
  readonly now?: () => number;
  /** The next free slot is this far from now. Default 30 min. */
  readonly slotMs?: number;
  /** Called when a story goes out now (Post now, Breaking, /now, retry); without one it stays `scheduled`. */
  readonly publishers?: Readonly<Record<string, MemoryPublisher>>;
}

/** Every desk call, for tests to assert that nothing changed. */
export interface MemoryDeskCall {
  readonly method: string;
  readonly storyId?: string;
  readonly actor?: Actor;
  readonly ok: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Plan = Mutable<Omit<DestinationPlan, 'parts' | 'links'>> & { parts: PartRecord[]; links: string[] };

interface Entry {
  story: Story;
  rendered: Rendered;
  readonly plans: Map<string, Plan>;
  readonly history: HistoryEntry[];
  discarded: boolean;
  publishedAtMs?: number;
}

const DONE_STATES = new Set<DestinationPlan['state']>(['published', 'publishing']);
const ATTENTION_STATES = new Set<DestinationPlan['state']>(['failed', 'needs-attention']);

/**
 * An in-memory {@link Desk} for bot tests: drafts, scheduling, cancel, retry, edit refused once anything was
 * published, alerts and intake events the test emits, and published states the test sets (or real publishers it passes).
 */
export class MemoryDesk implements Desk {
  readonly calls: MemoryDeskCall[] = [];
  readonly digestsSent: string[][] = [];
  readonly #stories = new Map<string, Entry>();
  readonly #listeners = new Set<(alert: Alert) => void>();
  readonly #intakeListeners = new Set<(event: IntakeEvent) => void>();
  readonly #destinations: readonly MemoryDestination[];
  readonly #timeZone: string;
  readonly #now: () => number;
  readonly #slotMs: number;
  #publishers: Readonly<Record<string, MemoryPublisher>>;

  constructor(options: MemoryDeskOptions = {}) {
    this.#destinations = options.destinations ?? [
      { id: 'telegram-main', platform: 'telegram' },
      { id: 'x-main', platform: 'x' },
    ];
    this.#timeZone = options.timeZone ?? 'Europe/Berlin';
    this.#now = options.now ?? Date.now;
    this.#slotMs = options.slotMs ?? 30 * 60_000;
    this.#publishers = options.publishers ?? {};
  }

  destinations(): readonly string[] {
    return this.#destinations.map((d) => d.id);
  }

  timeZone(): string {
    return this.#timeZone;
  }

  /** Calls that changed something (`ok`), other than reads. */
  changes(): MemoryDeskCall[] {
    return this.calls.filter((call) => call.ok);
  }

  async createDraft(input: unknown, actor: Actor): Promise<DeskResult<StoryView>> {
    let story: Story;
    try {
      story = storyFromInput(input, defaultRenderOptions);
    } catch (error) {
      if (error instanceof InputError) return this.#fail('createDraft', undefined, actor, error.message);
      throw error;
    }
    if (this.#stories.has(story.id)) {
      return this.#fail('createDraft', story.id, actor, `this story is already queued as ${story.id}`);
    }
    const plans = new Map<string, Plan>();
    for (const d of this.#destinations) {
      plans.set(d.id, { destination: d.id, platform: d.platform, state: 'draft', parts: [], links: [] });
    }
    const entry: Entry = {
      story,
      rendered: render(story, defaultRenderOptions),
      plans,
      history: [],
      discarded: false,
    };
    this.#stories.set(story.id, entry);
    this.#record(entry, actor, 'created draft');
    return this.#ok('createDraft', story.id, actor, entry);
  }

  async view(storyId: string): Promise<DeskResult<StoryView>> {
    const entry = this.#stories.get(storyId);
    if (!entry) return { ok: false, error: `no story with id ${storyId} (see /list)` };
    return { ok: true, value: this.#viewOf(entry) };
  }

  async schedule(
    storyId: string,
    when: WhenRequest,
    actor: Actor,
    destinations?: readonly string[],
  ): Promise<DeskResult<StoryView>> {
    const found = this.#targets('schedule', storyId, actor, destinations);
    if (!found.ok) return found;
    const { entry, plans } = found;
    const open = plans.filter((plan) => !DONE_STATES.has(plan.state));
    if (open.length === 0) {
      return this.#fail(
        'schedule',
        storyId,
        actor,
        `${storyId} is already published on ${plans.map((p) => p.destination).join(', ')}`,
      );
    }
    if (when.mode === 'at' && when.atMs < this.#now()) {
      return this.#fail('schedule', storyId, actor, 'that time is in the past');
    }
    const atMs =
      when.mode === 'at' ? when.atMs : when.mode === 'next-slot' ? this.#now() + this.#slotMs : this.#now();
    for (const plan of open) {
      plan.state = 'scheduled';
      plan.atMs = atMs;
      plan.reason =
        when.mode === 'next-slot' ? 'next free slot' : when.mode === 'breaking' ? 'breaking news' : undefined;
    }
    this.#record(entry, actor, `scheduled (${when.mode}) on ${open.map((p) => p.destination).join(', ')}`);
    if (when.mode === 'now' || when.mode === 'breaking') await this.#publish(entry, open);
    return this.#ok('schedule', storyId, actor, entry);
  }

  async edit(
    storyId: string,
    changes: { title?: string; body?: string },
    actor: Actor,
  ): Promise<DeskResult<StoryView>> {
    const entry = this.#stories.get(storyId);
    if (!entry || entry.discarded)
      return this.#fail('edit', storyId, actor, `no story with id ${storyId} (see /list)`);
    const out = [...entry.plans.values()].find(
      (p) => DONE_STATES.has(p.state) || p.parts.some((part) => part.state === 'sent'),
    );
    if (out)
      return this.#fail(
        'edit',
        storyId,
        actor,
        `${storyId} is already published on ${out.destination}; it can no longer be edited`,
      );
    const { story } = entry;
    let next: Story;
    try {
      next = storyFromInput(
        {
          title: changes.title ?? story.title,
          body: changes.body ?? story.body,
          tags: [...story.tags],
          ...(story.url ? { url: story.url } : {}),
          ...(story.imageUrl ? { imageUrl: story.imageUrl } : {}),
        },
        defaultRenderOptions,
      );
    } catch (error) {
      if (error instanceof InputError) return this.#fail('edit', storyId, actor, error.message);
      throw error;
    }
    entry.story = { ...next, id: storyId };
    entry.rendered = render(entry.story, defaultRenderOptions);
    this.#record(entry, actor, `edited ${Object.keys(changes).join(' and ')}`);
    return this.#ok('edit', storyId, actor, entry);
  }

  async cancel(
    storyId: string,
    actor: Actor,
    destinations?: readonly string[],
  ): Promise<DeskResult<StoryView>> {
    const found = this.#targets('cancel', storyId, actor, destinations);
    if (!found.ok) return found;
    const { entry, plans } = found;
    const open = plans.filter((p) => !DONE_STATES.has(p.state) && p.state !== 'cancelled');
    if (open.length === 0)
      return this.#fail('cancel', storyId, actor, `nothing left to cancel on ${storyId}`);
    const wasDraft = [...entry.plans.values()].every((p) => p.state === 'draft');
    for (const plan of open) plan.state = 'cancelled';
    if (wasDraft) entry.discarded = true;
    this.#record(
      entry,
      actor,
      wasDraft ? 'discarded draft' : `cancelled on ${open.map((p) => p.destination).join(', ')}`,
    );
    return this.#ok('cancel', storyId, actor, entry);
  }

  async retry(
    storyId: string,
    actor: Actor,
    destinations?: readonly string[],
  ): Promise<DeskResult<StoryView>> {
    const found = this.#targets('retry', storyId, actor, destinations);
    if (!found.ok) return found;
    const { entry, plans } = found;
    const failed = plans.filter((p) => ATTENTION_STATES.has(p.state));
    if (failed.length === 0)
      return this.#fail(
        'retry',
        storyId,
        actor,
        `nothing failed on ${storyId}, so there is nothing to retry`,
      );
    for (const plan of failed) {
      plan.state = 'scheduled';
      plan.atMs = this.#now();
    }
    this.#record(entry, actor, `retried on ${failed.map((p) => p.destination).join(', ')}`);
    await this.#publish(entry, failed);
    return this.#ok('retry', storyId, actor, entry);
  }

  async markPosted(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>> {
    return this.#resolveAttention('markPosted', storyId, destination, actor, 'published', 'marked as posted');
  }

  async skip(storyId: string, destination: string, actor: Actor): Promise<DeskResult<StoryView>> {
    return this.#resolveAttention('skip', storyId, destination, actor, 'cancelled', 'skipped');
  }

  async upcoming(options: {
    destination?: string;
    offset: number;
    limit: number;
  }): Promise<readonly UpcomingItem[]> {
    const items: UpcomingItem[] = [];
    for (const entry of this.#stories.values()) {
      for (const plan of entry.plans.values()) {
        if (plan.state !== 'scheduled' || plan.atMs === undefined) continue;
        if (options.destination && plan.destination !== options.destination) continue;
        items.push({
          storyId: entry.story.id,
          title: entry.story.title,
          destination: plan.destination,
          atMs: plan.atMs,
        });
      }
    }
    items.sort((a, b) => a.atMs - b.atMs || a.storyId.localeCompare(b.storyId));
    return items.slice(options.offset, options.offset + options.limit);
  }

  async digest(
    action: 'preview' | 'send',
    actor: Actor,
  ): Promise<DeskResult<{ readonly rendered: Rendered; readonly storyIds: readonly string[] }>> {
    const today = DateTime.fromMillis(this.#now(), { zone: this.#timeZone }).toISODate();
    const stories = [...this.#stories.values()].filter(
      (entry) =>
        entry.publishedAtMs !== undefined &&
        DateTime.fromMillis(entry.publishedAtMs, { zone: this.#timeZone }).toISODate() === today,
    );
    if (stories.length === 0) {
      this.calls.push({ method: `digest:${action}`, actor, ok: false });
      return { ok: false, error: 'nothing was published today' };
    }
    const digestStory = storyFromInput(
      {
        title: "Today's regulation digest",
        body: stories.map((entry) => `• ${entry.story.title}`).join('\n\n'),
      },
      defaultRenderOptions,
    );
    const storyIds = stories.map((entry) => entry.story.id);
    if (action === 'send') this.digestsSent.push(storyIds);
    this.calls.push({ method: `digest:${action}`, actor, ok: true });
    return { ok: true, value: { rendered: render(digestStory, defaultRenderOptions), storyIds } };
  }

  onAlert(listener: (alert: Alert) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onIntake(listener: (event: IntakeEvent) => void): () => void {
    this.#intakeListeners.add(listener);
    return () => this.#intakeListeners.delete(listener);
  }

  // ---- test controls ----

  /** Emits a feed-intake event to subscribers (as feed intake would after drafting, scheduling or linking). */
  emitIntake(event: IntakeEvent): void {
    for (const listener of this.#intakeListeners) listener(event);
  }

  /** How many intake listeners are subscribed (the bot subscribes on start and unsubscribes on stop). */
  intakeListenerCount(): number {
    return this.#intakeListeners.size;
  }

  /** Emits an alert to subscribers, and puts the destination in the state the alert implies. */
  emitAlert(alert: Alert): void {
    const plan = this.#stories.get(alert.storyId)?.plans.get(alert.destination);
    if (plan && alert.kind !== 'moved') {
      plan.state = alert.kind === 'failed' ? 'failed' : 'needs-attention';
      plan.reason = alert.message;
    }
    for (const listener of this.#listeners) listener(alert);
  }

  /** Sets a destination's state as a worker would, with its parts and links. */
  setState(
    storyId: string,
    destination: string,
    state: DestinationPlan['state'],
    extra: { parts?: PartRecord[]; links?: string[]; atMs?: number } = {},
  ): void {
    const entry = this.#stories.get(storyId);
    const plan = entry?.plans.get(destination);
    if (!entry || !plan) throw new Error(`no ${storyId} on ${destination}`);
    plan.state = state;
    if (extra.parts) plan.parts = extra.parts;
    if (extra.links) plan.links = extra.links;
    if (extra.atMs !== undefined) plan.atMs = extra.atMs;
    if (state === 'published') entry.publishedAtMs ??= this.#now();
  }

  /** Replaces the publishers used when a story goes out now. */
  setPublishers(publishers: Readonly<Record<string, MemoryPublisher>>): void {
    this.#publishers = publishers;
  }

  /** The story's current plan for one destination. */
  plan(storyId: string, destination: string): DestinationPlan | undefined {
    return this.#stories.get(storyId)?.plans.get(destination);
  }

  storyIds(): string[] {
    return [...this.#stories.keys()];
  }

  // ---- internals ----

  async #publish(entry: Entry, plans: Plan[]): Promise<void> {
    for (const plan of plans) {
      const publisher = this.#publishers[plan.destination];
      if (!publisher) continue;
      plan.state = 'publishing';
      try {
        const result = await publisher(entry.rendered, entry.story.id);
        const at = new Date(this.#now()).toISOString();
        plan.parts = result.remoteIds.map((remoteId, index) => ({ index, state: 'sent', remoteId, at }));
        plan.links = [...result.links];
        plan.state = 'published';
        entry.publishedAtMs ??= this.#now();
      } catch (error) {
        plan.state = 'failed';
        plan.reason = (error as Error).message;
        this.emitAlert({
          storyId: entry.story.id,
          destination: plan.destination,
          kind: 'failed',
          message: plan.reason,
        });
      }
    }
  }

  #targets(
    method: string,
    storyId: string,
    actor: Actor,
    destinations: readonly string[] | undefined,
  ): { ok: true; entry: Entry; plans: Plan[] } | { ok: false; error: string } {
    const entry = this.#stories.get(storyId);
    if (!entry) return this.#fail(method, storyId, actor, `no story with id ${storyId} (see /list)`);
    if (entry.discarded) return this.#fail(method, storyId, actor, `${storyId} was discarded`);
    const wanted = destinations ?? [...entry.plans.keys()];
    const plans: Plan[] = [];
    for (const id of wanted) {
      const plan = entry.plans.get(id);
      if (!plan) return this.#fail(method, storyId, actor, `unknown destination ${id}`);
      plans.push(plan);
    }
    return { ok: true, entry, plans };
  }

  async #resolveAttention(
    method: string,
    storyId: string,
    destination: string,
    actor: Actor,
    state: 'published' | 'cancelled',
    label: string,
  ): Promise<DeskResult<StoryView>> {
    const found = this.#targets(method, storyId, actor, [destination]);
    if (!found.ok) return found;
    const plan = found.plans[0]!;
    if (!ATTENTION_STATES.has(plan.state)) {
      return this.#fail(method, storyId, actor, `${storyId} on ${destination} is ${plan.state}, not failed`);
    }
    plan.state = state;
    if (state === 'published') {
      plan.parts = plan.parts.map((part) => (part.state === 'unknown' ? { ...part, state: 'sent' } : part));
      found.entry.publishedAtMs ??= this.#now();
    }
    this.#record(found.entry, actor, `${label} on ${destination}`);
    return this.#ok(method, storyId, actor, found.entry);
  }

  #record(entry: Entry, actor: Actor, action: string): void {
    entry.history.push({ at: new Date(this.#now()).toISOString(), actor, action });
  }

  #ok(method: string, storyId: string, actor: Actor, entry: Entry): DeskResult<StoryView> {
    this.calls.push({ method, storyId, actor, ok: true });
    return { ok: true, value: this.#viewOf(entry) };
  }

  #fail(
    method: string,
    storyId: string | undefined,
    actor: Actor,
    error: string,
  ): { ok: false; error: string } {
    this.calls.push({ method, ...(storyId ? { storyId } : {}), actor, ok: false });
    return { ok: false, error };
  }

  #viewOf(entry: Entry): StoryView {
    const destinations = [...entry.plans.values()].map((plan) => structuredClone(plan) as DestinationPlan);
    const isDraft = destinations.every((plan) => plan.state === 'draft');
    return {
      story: entry.story,
      rendered: entry.rendered,
      destinations,
      history: [...entry.history],
      ...(isDraft
        ? {
            wouldPublish: destinations.map((plan) => ({
              destination: plan.destination,
              atMs: this.#now() + this.#slotMs,
              reason: 'next free slot',
            })),
          }
        : {}),
    };
  }
}
