import type { Actor } from '../../src/domain/history.js';
import type { Desk, DeskResult, StoryView } from '../../src/ports/desk.js';
import { X_SANDBOX_ACCOUNT } from '../../src/sandbox/standins/x/index.js';
import {
  type ActionKind,
  canonicalText,
  type DestinationSnapshot,
  type ObservedPost,
  PLATFORMS,
  type Platform,
  type StoryModel,
  type StoryVersion,
  type UnresolvedSighting,
} from './torture-model.js';
import type { CreateHow, Step } from './torture-schedule.js';

/** The torture test's editor, as the bot would name them in the history. */
export const TORTURE_EDITOR: Actor = { kind: 'editor', id: 4242, name: '@torture' };

/**
 * Story `n` at revision `rev`: a channel post and a 4-tweet thread. Every paragraph carries `n` and the
 * revision, so every part of every version has a text of its own (X refuses duplicates, and the checker
 * tells parts apart by text).
 */
export function tortureStory(
  n: number,
  rev: number,
  tag: string,
): { title: string; body: string; url: string } {
  const r = rev === 0 ? '' : ` rev ${rev}`;
  return {
    title: `Regulator ${n}${r} opens review of stablecoin reserves (${tag})`,
    body: [
      `The markets authority in district ${n}${r} said on Tuesday it had opened a formal review of how three stablecoin issuers hold and report their reserves, after months of questions.`,
      `Officials in district ${n}${r} will examine custody arrangements, the share of reserves held in short-dated government debt, and how quickly holders can redeem tokens for cash.`,
      `Issuers in district ${n}${r} have 60 days to hand over documents; the authority could order changes to reserve rules or suspend new issuance until problems are fixed.`,
    ].join('\n\n'),
    url: `https://news.example.com/${tag}/review-${n}`,
  };
}

/** The texts of each part of a rendering, as the checker compares them. */
export function versionOf(rev: number, view: StoryView): StoryVersion {
  return {
    rev,
    parts: {
      telegram: view.rendered.telegram.map((p) => (p.method === 'sendMessage' ? p.text : p.caption)),
      x: view.rendered.x.map((p) => p.text),
    },
  };
}

/** Each destination of a desk answer, reduced to what the checker reads. */
export function snapshotOf(view: StoryView): DestinationSnapshot[] {
  return view.destinations
    .filter((d): d is typeof d & { destination: Platform } => (PLATFORMS as string[]).includes(d.destination))
    .map((d) => ({
      destination: d.destination,
      state: d.state,
      ...(d.atMs !== undefined ? { atMs: d.atMs } : {}),
      parts: d.parts.map((p) => ({
        index: p.index,
        state: p.state,
        ...(p.remoteId !== undefined ? { remoteId: p.remoteId } : {}),
      })),
    }));
}

// The desk grows an embargo action and a link for Mark as posted (issue 13); use them where they exist.
type EmbargoFn = (storyId: string, untilMs: number, actor: Actor) => Promise<DeskResult<StoryView>>;
type MarkPostedFn = (
  storyId: string,
  destination: string,
  actor: Actor,
  link?: string,
) => Promise<DeskResult<StoryView>>;

function embargoOf(desk: Desk): EmbargoFn | undefined {
  const fn = (desk as unknown as { embargo?: unknown }).embargo;
  return typeof fn === 'function' ? (fn.bind(desk) as EmbargoFn) : undefined;
}

/** A public link to a post, as an editor copies it from the channel or the timeline. */
export function linkTo(platform: Platform, remoteId: string): string {
  return platform === 'telegram'
    ? `https://t.me/regwire_sandbox/${remoteId}`
    : `https://x.com/${X_SANDBOX_ACCOUNT.username}/status/${remoteId}`;
}

function summary(result: DeskResult<StoryView>): string {
  if (!result.ok) return result.error;
  return snapshotOf(result.value)
    .map(
      (d) =>
        `${d.destination} ${d.state}${d.atMs !== undefined ? ` @${new Date(d.atMs).toISOString().slice(11, 23)}` : ''} [${d.parts.map((p) => `${p.index + 1}:${p.state}`).join(' ')}]`,
    )
    .join('; ');
}

/** The editor side of a run: performs steps through the real desk and records every answer in the model. */
export class TortureEditor {
  /** Stories by their number in the run. */
  readonly stories = new Map<number, StoryModel>();
  /** Editor actions by kind: answered ok, refused, or thrown (Redis down mid-call and the like). */
  readonly tally = new Map<string, { ok: number; refused: number; threw: number }>();
  /** Every time an editor found a publication waiting for them (needs attention or failed). */
  readonly sightings: UnresolvedSighting[] = [];

  constructor(
    private readonly desk: Desk,
    private readonly tag: string,
    /** What the platforms hold now (an editor can look at the channel and the timeline). */
    private readonly posts: () => readonly ObservedPost[],
  ) {}

  /** Drafts story `n` and schedules it as `how` says; undefined when the draft was refused. */
  async create(step: number, n: number, how: CreateHow, aheadMs: number): Promise<void> {
    const startedAt = Date.now();
    const story = tortureStory(n, 0, this.tag);
    const embargoUntilMs = how === 'embargo' ? Date.now() + aheadMs : undefined;
    const embargo = embargoOf(this.desk);
    // Without an embargo action, the story file's `embargo` field (issue 13) is the other way in.
    let draft =
      embargoUntilMs !== undefined && !embargo
        ? await this.desk.createDraft(
            { ...story, embargo: new Date(embargoUntilMs).toISOString() },
            TORTURE_EDITOR,
          )
        : undefined;
    const embargoInDraft = draft?.ok === true;
    const embargoRefusal = draft && !draft.ok ? draft.error : undefined;
    if (!draft?.ok) draft = await this.desk.createDraft(story, TORTURE_EDITOR);
    if (!draft.ok) {
      this.count('draft', draft);
      return;
    }
    const storyId = draft.value.story.id;
    const model: StoryModel = { storyId, n, versions: [versionOf(0, draft.value)], acks: [] };
    this.stories.set(n, model);
    if (embargoUntilMs !== undefined) {
      const set = embargo
        ? await embargo(storyId, embargoUntilMs, TORTURE_EDITOR)
        : embargoInDraft
          ? draft
          : ({
              ok: false,
              code: 'refused-state',
              error: `no embargo: ${embargoRefusal ?? 'refused'}`,
            } as const);
      this.record(model, step, 'embargo', [], startedAt, set, { createdStory: true, embargoUntilMs });
    }
    const when =
      how === 'schedule'
        ? { mode: 'at' as const, atMs: Date.now() + aheadMs }
        : how === 'queue'
          ? { mode: 'next-slot' as const }
          : how === 'embargo'
            ? { mode: 'now' as const }
            : { mode: how };
    const result = await this.desk.schedule(storyId, when, TORTURE_EDITOR);
    this.record(model, step, how === 'embargo' ? 'now' : how, [], startedAt, result, { createdStory: true });
  }

  /** Performs a follow-up action on an existing story. */
  async act(step: number, s: Extract<Step, { kind: 'act' }>): Promise<void> {
    const model = this.stories.get(s.n);
    if (!model) return;
    const { storyId } = model;
    const dests = s.destination ? [s.destination] : [];
    const only = s.destination ? [s.destination] : undefined;
    const startedAt = Date.now();
    switch (s.action) {
      case 'schedule':
      case 'reschedule': {
        const r = await this.desk.schedule(
          storyId,
          { mode: 'at', atMs: Date.now() + s.aheadMs },
          TORTURE_EDITOR,
          only,
        );
        this.record(model, step, s.action, dests, startedAt, r);
        return;
      }
      case 'now':
      case 'breaking': {
        const r = await this.desk.schedule(storyId, { mode: s.action }, TORTURE_EDITOR, only);
        this.record(model, step, s.action, dests, startedAt, r);
        return;
      }
      case 'embargo': {
        const embargo = embargoOf(this.desk);
        const until = Date.now() + s.aheadMs;
        const r = embargo
          ? await embargo(storyId, until, TORTURE_EDITOR)
          : ({ ok: false, code: 'not-configured', error: 'the desk offers no embargo' } as const);
        this.record(model, step, 'embargo', [], startedAt, r, { embargoUntilMs: until });
        return;
      }
      case 'cancel': {
        const r = await this.desk.cancel(storyId, TORTURE_EDITOR, only);
        this.record(model, step, 'cancel', dests, startedAt, r);
        return;
      }
      case 'skip': {
        const dest = s.destination ?? (s.aheadMs % 2 === 0 ? 'telegram' : 'x');
        const r = await this.desk.skip(storyId, dest, TORTURE_EDITOR);
        this.record(model, step, 'skip', [dest], startedAt, r);
        return;
      }
      case 'retry': {
        // An editor looks at the channel before retrying an unknown outcome: on Telegram, Retry means
        // "it was not posted, send it".
        const view = await this.desk.view(storyId);
        const unknown = view.ok
          ? snapshotOf(view.value).filter(
              (d) => (!s.destination || d.destination === s.destination) && d.state === 'needs-attention',
            )
          : [];
        for (const d of unknown) await this.resolve(step, model, d.destination);
        if (unknown.length > 0) return;
        const r = await this.desk.retry(storyId, TORTURE_EDITOR, only);
        this.record(model, step, 'retry', dests, startedAt, r);
        return;
      }
      case 'edit': {
        const rev = model.versions.length;
        const text = tortureStory(model.n, rev, this.tag);
        const r = await this.desk.edit(storyId, { title: text.title, body: text.body }, TORTURE_EDITOR);
        if (r.ok) model.versions.push(versionOf(rev, r.value));
        this.record(model, step, 'edit', [], startedAt, r);
        return;
      }
      case 'mark-posted': {
        const view = await this.desk.view(storyId);
        if (!view.ok) return;
        for (const d of snapshotOf(view.value)) {
          if (s.destination && d.destination !== s.destination) continue;
          if (d.state === 'needs-attention' || d.state === 'failed')
            await this.resolve(step, model, d.destination);
        }
        return;
      }
    }
  }

  /**
   * What an editor does with a publication waiting for them: Mark as posted, with the link, when every
   * undecided part is on the platform; Retry otherwise (and when Mark as posted is refused).
   */
  async resolve(step: number, model: StoryModel, destination: Platform): Promise<void> {
    const startedAt = Date.now();
    const view = await this.desk.view(model.storyId);
    if (!view.ok) return;
    const d = snapshotOf(view.value).find((x) => x.destination === destination);
    if (!d) return;
    if (d.state === 'needs-attention' || d.state === 'failed')
      this.sightings.push({ storyId: model.storyId, destination, state: d.state });
    // The first part not confirmed: if the channel or the timeline shows it, it is posted; else it is not.
    const sent = new Map(d.parts.filter((p) => p.state === 'sent').map((p) => [p.index, p.remoteId]));
    const texts = versionOf(0, view.value).parts[destination];
    const first = texts.findIndex((_, i) => !sent.has(i));
    const found =
      first < 0
        ? undefined
        : this.findPost(destination, texts[first], first > 0 ? sent.get(first - 1) : undefined);
    if (found !== undefined && d.parts.some((p) => p.index === first)) {
      const mark: MarkPostedFn = this.desk.markPosted.bind(this.desk);
      const r = await mark(model.storyId, destination, TORTURE_EDITOR, linkTo(destination, found));
      this.record(model, step, 'mark-posted', [destination], startedAt, r);
      if (r.ok) return;
    }
    const r = await this.desk.retry(model.storyId, TORTURE_EDITOR, [destination]);
    this.record(model, step, 'retry', [destination], Date.now(), r);
  }

  /** Schedules "now" (an editor moving a story up), outside the run's schedule. */
  async now(model: StoryModel, destination: Platform): Promise<void> {
    const startedAt = Date.now();
    const r = await this.desk.schedule(model.storyId, { mode: 'now' }, TORTURE_EDITOR, [destination]);
    this.record(model, -1, 'now', [destination], startedAt, r);
  }

  /** Counts an action that threw (as when Redis is down mid-call). */
  threw(action: string): void {
    const t = this.tallyOf(action);
    t.threw++;
  }

  private findPost(
    platform: Platform,
    text: string | undefined,
    replyTo: string | undefined,
  ): string | undefined {
    if (text === undefined) return undefined;
    const wanted = canonicalText(platform, text);
    return this.posts().find(
      (p) =>
        p.platform === platform &&
        !p.deleted &&
        canonicalText(platform, p.text) === wanted &&
        (replyTo === undefined || p.replyTo === replyTo),
    )?.remoteId;
  }

  private tallyOf(action: string) {
    let t = this.tally.get(action);
    if (!t) {
      t = { ok: 0, refused: 0, threw: 0 };
      this.tally.set(action, t);
    }
    return t;
  }

  private count(action: string, result: DeskResult<unknown>): void {
    const t = this.tallyOf(action);
    if (result.ok) t.ok++;
    else t.refused++;
  }

  private record(
    model: StoryModel,
    step: number,
    action: ActionKind,
    destinations: readonly Platform[],
    startedAt: number,
    result: DeskResult<StoryView>,
    extra: { createdStory?: boolean; embargoUntilMs?: number } = {},
  ): void {
    this.count(action, result);
    model.acks.push({
      step,
      action,
      destinations,
      startedAt,
      ackedAt: Date.now(),
      ok: result.ok,
      answer: summary(result),
      ...(result.ok ? { view: snapshotOf(result.value) } : {}),
      ...(extra.createdStory ? { createdStory: true } : {}),
      ...(extra.embargoUntilMs !== undefined && result.ok ? { embargoUntilMs: extra.embargoUntilMs } : {}),
    });
  }
}
