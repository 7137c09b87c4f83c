import {
  type AckRecord,
  CLOSING_ACTIONS,
  canonicalText,
  type DestinationSnapshot,
  LIVE_OR_IN_FLIGHT,
  type ObservedPost,
  PLATFORMS,
  type Platform,
  SCHEDULING_ACTIONS,
  type StoryModel,
  type TortureEvidence,
  type Violation,
} from './torture-model.js';

/**
 * How much earlier than its planned time a post may be created without counting as early: the
 * planner's instant and the stand-in's clock are the same machine's, so only rounding remains.
 */
export const EARLY_TOLERANCE_MS = 20;

/** Publication states that mean "waiting for an editor". */
const UNRESOLVED_STATES: ReadonlySet<string> = new Set(['needs-attention', 'failed']);
/** Part states an editor must still decide on (or that a worker will reconcile). */
const UNRESOLVED_PARTS: ReadonlySet<string> = new Set(['unknown', 'failed', 'sending']);
/** Actions after which a closed publication may publish again. */
const REOPENING_ACTIONS: ReadonlySet<string> = new Set([...SCHEDULING_ACTIONS, 'retry', 'mark-posted']);

interface Matched {
  readonly post: ObservedPost;
  /** The versions whose text this post carries. */
  readonly revs: ReadonlySet<number>;
}

/**
 * The torture test's verdict: every invariant broken by a run, given what the editors asked and were told
 * (the model), what the platforms hold, the desk's final `/status`, the alerts, and the moments the settle
 * phase found a publication waiting for an editor. Pure.
 *
 * Invariants (per story × destination × part):
 * - `duplicate`: a part is on the platform more than once (deleted posts count: they were posted).
 * - `after-cancel`: a part was created after a cancel or skip of its destination was acknowledged,
 *   unless that answer showed it live or in flight (`sent`, `sending`, `unknown`), and no later
 *   acknowledged action reopened the destination.
 * - `before-embargo`: a part was created before an acknowledged embargo's end (the answer's live or
 *   in-flight parts excepted).
 * - `early`: a part was created before the time the last acknowledged scheduling answer named for it.
 * - `broken-chain` / `orphan`: a thread's tweet does not reply to the previous part's tweet, the first
 *   tweet is a reply, a part is missing before a posted one; any reply whose parent is gone.
 * - `mixed-versions`: parts of one destination come from different acknowledged versions (an edit).
 * - `lost` / `stuck`: a destination is neither complete (every part once), nor closed by an acknowledged
 *   cancel or skip, nor waiting for an editor; or it is still scheduled or publishing at the end.
 * - `unsurfaced`: a destination waiting for an editor without an alert for it, or whose `/status` shows no
 *   unresolved part.
 * - `status-mismatch`: `/status` disagrees with the platform (a part `sent` with another id or none, a
 *   post the ledger calls failed or never sent, a cancelled publication shown as published).
 * - `unmatched-post`: a post no story of the run rendered.
 */
export function checkTorture(evidence: TortureEvidence): Violation[] {
  const violations: Violation[] = [];
  const byText = textIndex(evidence.stories);
  const matched = new Map<string, Matched[]>();
  // Which story each post was attributed to, for telling apart replies whose texts differ only in a link.
  const storyOf = new Map<string, string>();
  for (const post of [...evidence.posts].sort((a, b) => a.atMs - b.atMs)) {
    const hits = attribute(
      byText.get(`${post.platform}\u0000${canonicalText(post.platform, post.text)}`),
      post,
      storyOf,
    );
    const first = hits[0];
    if (!first) {
      violations.push({
        kind: 'unmatched-post',
        destination: post.platform,
        detail: `${post.platform} ${post.remoteId} carries no text of this run (or of several stories): ${post.text.slice(0, 60)}`,
      });
      continue;
    }
    storyOf.set(`${post.platform}:${post.remoteId}`, first.storyId);
    const key = partKey(first.storyId, post.platform, first.part);
    const list = matched.get(key) ?? [];
    list.push({ post, revs: new Set(hits.map((h) => h.rev)) });
    matched.set(key, list);
  }

  violations.push(...orphans(evidence.posts));
  const alerted = new Set(evidence.alerts.map((a) => `${a.storyId}:${a.destination}`));
  for (const story of evidence.stories) {
    for (const platform of PLATFORMS) {
      const byPart = new Map<number, Matched[]>();
      for (const [key, list] of matched) {
        const prefix = `${story.storyId}:${platform}:`;
        if (key.startsWith(prefix)) byPart.set(Number(key.slice(prefix.length)), list);
      }
      const snapshot = evidence.finalStatus.get(story.storyId)?.find((d) => d.destination === platform);
      violations.push(
        ...checkDestination(story, platform, byPart, snapshot, alerted.has(`${story.storyId}:${platform}`)),
      );
    }
  }

  const sighted = new Set<string>();
  for (const s of evidence.unresolvedSeen) {
    const key = `${s.storyId}:${s.destination}`;
    if (sighted.has(key)) continue;
    sighted.add(key);
    if (!alerted.has(key)) {
      violations.push({
        kind: 'unsurfaced',
        storyId: s.storyId,
        destination: s.destination,
        detail: `found ${s.state} during settle, but no alert for it reached the editors`,
      });
    }
  }
  return violations;
}

function partKey(storyId: string, platform: Platform, part: number): string {
  return `${storyId}:${platform}:${part}`;
}

interface TextHit {
  readonly storyId: string;
  readonly part: number;
  readonly rev: number;
  /** The rendered text itself, links included. */
  readonly raw: string;
}

/**
 * The candidates of one story for a post. Texts are compared with links blanked (X wraps them), so a
 * tweet that is only a link matches every story: the exact text, then the tweet it replies to, decide.
 */
function attribute(
  hits: readonly TextHit[] | undefined,
  post: ObservedPost,
  storyOf: ReadonlyMap<string, string>,
): readonly TextHit[] {
  if (!hits) return [];
  const oneStory = (list: readonly TextHit[]) => new Set(list.map((h) => h.storyId)).size === 1;
  if (oneStory(hits)) return hits;
  const exact = hits.filter((h) => h.raw === post.text.normalize('NFC').trim());
  if (exact.length > 0 && oneStory(exact)) return exact;
  const parent = post.replyTo !== undefined ? storyOf.get(`${post.platform}:${post.replyTo}`) : undefined;
  const byParent = hits.filter((h) => h.storyId === parent);
  return byParent.length > 0 ? byParent : [];
}

function textIndex(stories: readonly StoryModel[]): Map<string, TextHit[]> {
  const index = new Map<string, TextHit[]>();
  for (const story of stories) {
    for (const version of story.versions) {
      for (const platform of PLATFORMS) {
        version.parts[platform].forEach((text, part) => {
          const key = `${platform}\u0000${canonicalText(platform, text)}`;
          const list = index.get(key) ?? [];
          list.push({ storyId: story.storyId, part, rev: version.rev, raw: text.normalize('NFC').trim() });
          index.set(key, list);
        });
      }
    }
  }
  return index;
}

/** Replies on X whose parent does not exist or was deleted. */
function orphans(posts: readonly ObservedPost[]): Violation[] {
  const tweets = new Map(posts.filter((p) => p.platform === 'x').map((p) => [p.remoteId, p]));
  const out: Violation[] = [];
  for (const t of tweets.values()) {
    if (t.replyTo === undefined) continue;
    const parent = tweets.get(t.replyTo);
    if (!parent || parent.deleted) {
      out.push({
        kind: 'orphan',
        destination: 'x',
        detail: `tweet ${t.remoteId} replies to ${t.replyTo}, which ${parent ? 'was deleted' : 'does not exist'}`,
      });
    }
  }
  return out;
}

function aims(ack: AckRecord, platform: Platform): boolean {
  return ack.destinations.length === 0 || ack.destinations.includes(platform);
}

function viewOf(ack: AckRecord, platform: Platform): DestinationSnapshot | undefined {
  return ack.view?.find((d) => d.destination === platform);
}

/** Whether the answer showed `part` live or in flight (it may land after the answer). */
function allowedAfter(ack: AckRecord, platform: Platform, part: number): boolean {
  const p = viewOf(ack, platform)?.parts.find((x) => x.index === part);
  return p !== undefined && LIVE_OR_IN_FLIGHT.has(p.state);
}

/** A cancel or skip that the answer says closed this destination. */
function closedBy(ack: AckRecord, platform: Platform): boolean {
  if (!ack.ok || !CLOSING_ACTIONS.has(ack.action) || !aims(ack, platform)) return false;
  const view = viewOf(ack, platform);
  return view === undefined || view.state === 'cancelled' || view.state === 'skipped';
}

/** An embargo answer that set it on this destination (one already going out or over is refused). */
function embargoes(ack: AckRecord, platform: Platform): boolean {
  const state = viewOf(ack, platform)?.state;
  return state === undefined || !['publishing', 'published', 'cancelled', 'skipped'].includes(state);
}

/** An answer that shows a closed destination going out again (an embargo on a cancelled one does not). */
function reopens(ack: AckRecord, platform: Platform): boolean {
  if (!ack.ok || !REOPENING_ACTIONS.has(ack.action) || !aims(ack, platform)) return false;
  const state = viewOf(ack, platform)?.state;
  return state !== 'cancelled' && state !== 'skipped';
}

function describe(m: Matched): string {
  return `${m.post.remoteId} at ${new Date(m.post.atMs).toISOString()}`;
}

function checkDestination(
  story: StoryModel,
  platform: Platform,
  byPart: ReadonlyMap<number, readonly Matched[]>,
  snapshot: DestinationSnapshot | undefined,
  alerted: boolean,
): Violation[] {
  const out: Violation[] = [];
  const at = { storyId: story.storyId, destination: platform } as const;
  const acks = [...story.acks].sort((a, b) => a.ackedAt - b.ackedAt);

  for (const [part, posts] of byPart) {
    if (posts.length > 1) {
      out.push({
        ...at,
        kind: 'duplicate',
        part,
        detail: `posted ${posts.length} times: ${posts.map(describe).join(', ')}`,
      });
    }
    for (const m of posts) out.push(...timingViolations(acks, platform, part, m, at));
    if (platform === 'x') {
      for (const m of posts) {
        if (part === 0) {
          if (m.post.replyTo !== undefined)
            out.push({
              ...at,
              kind: 'broken-chain',
              part,
              detail: `first tweet ${m.post.remoteId} replies to ${m.post.replyTo}`,
            });
          continue;
        }
        const parents = (byPart.get(part - 1) ?? []).map((p) => p.post.remoteId);
        if (m.post.replyTo === undefined || !parents.includes(m.post.replyTo)) {
          out.push({
            ...at,
            kind: 'broken-chain',
            part,
            detail: `tweet ${m.post.remoteId} replies to ${m.post.replyTo ?? 'nothing'}; part ${part} is ${parents.length === 0 ? 'not posted' : parents.join('/')}`,
          });
        }
      }
    } else if (part > 0 && !byPart.has(part - 1)) {
      out.push({
        ...at,
        kind: 'broken-chain',
        part,
        detail: `part ${part + 1} posted, part ${part} never was`,
      });
    }
  }

  // The version the destination went out in: the newest one every posted part carries.
  let revs: Set<number> | undefined;
  for (const posts of byPart.values()) {
    for (const m of posts) revs = revs ? new Set([...revs].filter((r) => m.revs.has(r))) : new Set(m.revs);
  }
  if (revs && revs.size === 0) {
    out.push({ ...at, kind: 'mixed-versions', detail: `parts come from different versions of the story` });
  }
  const latest = story.versions[story.versions.length - 1];
  const rev = revs && revs.size > 0 ? Math.max(...revs) : (latest?.rev ?? 0);
  const expected = story.versions.find((v) => v.rev === rev)?.parts[platform].length ?? 0;
  const postedParts = [...byPart.keys()];
  const missing = [...Array(expected).keys()].filter((i) => !byPart.has(i));

  let closingAck: AckRecord | undefined;
  for (const ack of acks) {
    if (closedBy(ack, platform)) closingAck = ack;
    else if (reopens(ack, platform)) closingAck = undefined;
  }

  if (!snapshot) {
    out.push({ ...at, kind: 'lost', detail: `not in /status at the end` });
    return out;
  }
  const state = snapshot.state;
  if (state === 'published') {
    if (missing.length > 0)
      out.push({
        ...at,
        kind: 'lost',
        detail: `/status says published; part(s) ${missing.map((i) => i + 1).join(', ')} of ${expected} are not on ${platform}`,
      });
    if (closingAck)
      out.push({
        ...at,
        kind: 'status-mismatch',
        detail: `${closingAck.action} acknowledged at ${new Date(closingAck.ackedAt).toISOString()}, /status says published`,
      });
  } else if (state === 'cancelled' || state === 'skipped') {
    if (!closingAck)
      out.push({
        ...at,
        kind: 'lost',
        detail: `${state} without an acknowledged cancel or skip; ${postedParts.length}/${expected} part(s) posted`,
      });
  } else if (UNRESOLVED_STATES.has(state)) {
    if (!alerted) out.push({ ...at, kind: 'unsurfaced', detail: `${state} at the end, and no alert for it` });
    if (!snapshot.parts.some((p) => UNRESOLVED_PARTS.has(p.state)))
      out.push({
        ...at,
        kind: 'unsurfaced',
        detail: `${state} at the end, and /status shows no unresolved part`,
      });
  } else {
    out.push({
      ...at,
      kind: 'stuck',
      detail: `still ${state} at the end; ${postedParts.length}/${expected} part(s) posted`,
    });
  }

  const indexes = new Set([...snapshot.parts.map((p) => p.index), ...postedParts]);
  for (const part of indexes) {
    const record = snapshot.parts.find((p) => p.index === part);
    const live = (byPart.get(part) ?? []).filter((m) => !m.post.deleted);
    const ids = live.map((m) => m.post.remoteId);
    if (record?.state === 'sent') {
      if (record.remoteId === undefined)
        out.push({
          ...at,
          kind: 'status-mismatch',
          part,
          detail: `/status says sent without a remote id; ${platform} has ${ids.join(', ') || 'nothing'}`,
        });
      else if (!ids.includes(record.remoteId))
        out.push({
          ...at,
          kind: 'status-mismatch',
          part,
          detail: `/status says sent as ${record.remoteId}; ${platform} has ${ids.join(', ') || 'nothing'}`,
        });
    } else if (live.length > 0 && (record === undefined || record.state === 'failed')) {
      // `sending` and `unknown` say "may have been posted": honest, whatever the platform holds.
      out.push({
        ...at,
        kind: 'status-mismatch',
        part,
        detail: `on ${platform} as ${ids.join(', ')}, /status says ${record ? record.state : 'nothing'} (publication ${state})`,
      });
    }
  }
  return out;
}

/** Posted after an acknowledged cancel/skip, before an acknowledged embargo, or before its planned time. */
function timingViolations(
  acks: readonly AckRecord[],
  platform: Platform,
  part: number,
  m: Matched,
  at: { storyId: string; destination: Platform },
): Violation[] {
  const out: Violation[] = [];
  const t = m.post.atMs;
  // Windows open when the answer came back; for the action that created the story, when it was asked
  // (nothing of it existed before, so nothing could be in flight).
  const start = (ack: AckRecord) => (ack.createdStory ? ack.startedAt : ack.ackedAt);

  let closing: AckRecord | undefined;
  let embargo: AckRecord | undefined;
  let scheduled: AckRecord | undefined;
  for (const ack of acks) {
    if (start(ack) > t) break;
    if (closedBy(ack, platform)) closing = ack;
    else if (reopens(ack, platform)) closing = undefined;
    if (ack.ok && ack.embargoUntilMs !== undefined && embargoes(ack, platform)) embargo = ack;
    // Whatever the answer shows (scheduled, or already publishing), its time is the plan from then on.
    if (ack.ok && SCHEDULING_ACTIONS.has(ack.action) && aims(ack, platform) && viewOf(ack, platform))
      scheduled = ack;
  }
  if (closing && !allowedAfter(closing, platform, part)) {
    out.push({
      ...at,
      kind: 'after-cancel',
      part,
      detail: `posted ${describe(m)}, ${t - closing.ackedAt} ms after ${closing.action} was acknowledged (step ${closing.step}: "${closing.answer}")`,
    });
  }
  if (
    embargo?.embargoUntilMs !== undefined &&
    t < embargo.embargoUntilMs &&
    !allowedAfter(embargo, platform, part)
  ) {
    out.push({
      ...at,
      kind: 'before-embargo',
      part,
      detail: `posted ${describe(m)}, ${embargo.embargoUntilMs - t} ms before the embargo (step ${embargo.step})`,
    });
  }
  const plannedAt = scheduled ? viewOf(scheduled, platform)?.atMs : undefined;
  // A "now" asked for but not yet answered may already be publishing: the time is undecided until it is.
  const undecided = acks.some(
    (ack) =>
      ack.ok &&
      SCHEDULING_ACTIONS.has(ack.action) &&
      aims(ack, platform) &&
      ack.startedAt <= t &&
      t < ack.ackedAt,
  );
  if (
    !undecided &&
    scheduled &&
    plannedAt !== undefined &&
    t < plannedAt - EARLY_TOLERANCE_MS &&
    !allowedAfter(scheduled, platform, part)
  ) {
    out.push({
      ...at,
      kind: 'early',
      part,
      detail: `posted ${describe(m)}, ${plannedAt - t} ms before ${new Date(plannedAt).toISOString()}, the time ${scheduled.action} named (step ${scheduled.step})`,
    });
  }
  return out;
}
