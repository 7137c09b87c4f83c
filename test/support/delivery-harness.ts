import { expect } from 'vitest';
import type { DeskServices } from '../../src/app/desk-services.js';
import type { PublicationStatus } from '../../src/domain/publication.js';
import type { TelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import type { XStandIn, XStandInTweet } from '../../src/sandbox/standins/x/index.js';
import { waitFor } from './wait-for.js';

/** An alert as the editor bot hears it. */
type Alert = Parameters<Parameters<DeskServices['alerts']['subscribe']>[0]>[0];

// The delivery rig the tests share with the bench lives in harness/ (the bench never imports test/).
export {
  type DeliveryTestConfig,
  deliveryStory,
  LIMITS_OFF,
  SYSTEM_ACTOR,
  standInEnv,
  writeDeliveryConfig,
} from '../../harness/delivery-config.js';

import { deliveryStory, SYSTEM_ACTOR } from '../../harness/delivery-config.js';

/** Drafts and schedules stories `1..count` "now" on every destination; returns their ids in order. */
export async function queueStories(
  services: DeskServices,
  count: number,
  tag: string,
  destinations?: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) {
    const draft = await services.desk.createDraft(deliveryStory(n, tag), SYSTEM_ACTOR);
    if (!draft.ok) throw new Error(`draft ${n}: ${draft.error}`);
    const id = draft.value.story.id;
    const scheduled = await services.desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR, destinations);
    if (!scheduled.ok) throw new Error(`schedule ${n}: ${scheduled.error}`);
    ids.push(id);
  }
  return ids;
}

/** What the platforms show for one story, and what regwire recorded about it. */
export interface StoryAudit {
  readonly storyId: string;
  /** Channel messages carrying the story's title. */
  readonly telegramPosts: number;
  readonly telegramState: PublicationStatus['state'] | undefined;
  readonly telegramUnknownParts: number;
  /** Every Telegram part in the ledger is `sent` and names a channel message that exists, the title post among them. */
  readonly telegramLedgerMatches: boolean;
  /** Tweets posted with one of the story's thread texts, counting repeats. */
  readonly tweets: number;
  readonly xState: PublicationStatus['state'] | undefined;
  /** The thread as found on X: the root and each reply to the one before, matching the rendered texts in order. */
  readonly chainComplete: boolean;
  /** The ledger's remote ids equal the chain's tweet ids. */
  readonly ledgerMatches: boolean;
}

/**
 * Audits every story against the stand-ins' records: how often each part was posted, whether each X
 * thread is whole and chained, and the publication states regwire ended with.
 */
export async function auditStories(
  services: DeskServices,
  storyIds: readonly string[],
  telegram: TelegramStandIn | undefined,
  x: XStandIn | undefined,
): Promise<StoryAudit[]> {
  const channel = telegram?.messages('@regwire_sandbox') ?? [];
  const tweets: readonly XStandInTweet[] = x?.tweets() ?? [];
  const byId = new Map(tweets.map((t) => [t.id, t]));
  const audits: StoryAudit[] = [];
  for (const storyId of storyIds) {
    const record = await services.store.get(storyId);
    if (!record) throw new Error(`story ${storyId} is missing from the store`);
    const pubs = new Map((await services.store.publications(storyId)).map((p) => [p.destination, p]));
    const title = record.story.title;
    const tgParts = await services.store.parts(storyId, 'telegram');
    const texts = record.rendered.x.map((p) => p.text);
    const mine = tweets.filter((t) => texts.includes(t.text));
    const xParts = await services.store.parts(storyId, 'x');
    // Walk the chain from the root through the ledger's ids, checking each link on X itself.
    let chainComplete = texts.length > 0;
    let previous: XStandInTweet | undefined;
    const chainIds: string[] = [];
    for (let i = 0; i < texts.length; i++) {
      const candidates = mine.filter(
        (t) =>
          t.text === texts[i] &&
          (i === 0 ? t.in_reply_to_tweet_id === undefined : t.in_reply_to_tweet_id === previous?.id),
      );
      const tweet = candidates[0];
      if (candidates.length !== 1 || !tweet || tweet.deleted) {
        chainComplete = false;
        break;
      }
      chainIds.push(tweet.id);
      previous = tweet;
    }
    const titlePosts = channel.filter((m) => (m.text ?? m.caption ?? '').includes(title));
    const channelIds = new Set(channel.map((m) => String(m.message_id)));
    const ledgerIds = new Set(tgParts.map((p) => p.remoteId));
    audits.push({
      storyId,
      telegramPosts: titlePosts.length,
      telegramState: pubs.get('telegram')?.state,
      telegramUnknownParts: tgParts.filter((p) => p.state === 'unknown').length,
      telegramLedgerMatches:
        tgParts.length > 0 &&
        tgParts.every((p) => p.state === 'sent' && channelIds.has(p.remoteId ?? '')) &&
        titlePosts.every((m) => ledgerIds.has(String(m.message_id))),
      tweets: mine.length,
      xState: pubs.get('x')?.state,
      chainComplete: chainComplete && chainIds.every((id) => byId.has(id)),
      ledgerMatches:
        xParts.length === chainIds.length &&
        xParts.every((p, i) => p.state === 'sent' && p.remoteId === chainIds[i]),
    });
  }
  return audits;
}

/**
 * Telegram cannot be asked what a bot posted, so a post whose outcome is unknown can only be bounded.
 * Where the outcome is known the count is exact: a published story is on the channel exactly once, as
 * its ledger says; one waiting for an editor (needs-attention, a part `unknown`) is there at most once
 * and an editor was alerted (`alerts` as the editor bot would hear them); any other is not there at all.
 */
export async function expectTelegramOutcomes(
  audits: readonly StoryAudit[],
  alerts: readonly Alert[],
  label = '',
): Promise<void> {
  const unknown = audits.filter((a) => a.telegramState === 'needs-attention');
  await waitFor(
    () =>
      unknown.every((a) =>
        alerts.some(
          (al) => al.storyId === a.storyId && al.destination === 'telegram' && al.kind === 'unknown-outcome',
        ),
      ) || undefined,
    { what: `an unknown-outcome alert for each of ${unknown.map((a) => a.storyId).join(', ')}` },
  );
  for (const a of audits) {
    const what = `telegram ${a.storyId} ${label}`;
    if (a.telegramState === 'published') {
      expect(a, what).toMatchObject({ telegramPosts: 1, telegramLedgerMatches: true });
    } else if (a.telegramState === 'needs-attention') {
      expect(a.telegramUnknownParts, what).toBeGreaterThanOrEqual(1);
      expect(a.telegramPosts, what).toBeLessThanOrEqual(1);
    } else {
      expect(a.telegramPosts, what).toBe(0);
    }
  }
}

/** Alerts as the editor bot would hear them, collected from now on (including those already waiting). */
export function collectAlerts(services: DeskServices): { readonly alerts: Alert[]; stop(): void } {
  const alerts: Alert[] = [];
  const stop = services.alerts.subscribe((alert) => {
    alerts.push(alert);
  });
  return { alerts, stop };
}

/** Every reply on X answers a tweet that exists and is live. */
export function orphanedReplies(x: XStandIn): XStandInTweet[] {
  const byId = new Map(x.tweets().map((t) => [t.id, t]));
  return x.tweets().filter((t) => {
    if (t.in_reply_to_tweet_id === undefined) return false;
    const parent = byId.get(t.in_reply_to_tweet_id);
    return !parent || parent.deleted;
  });
}

/** Whether every story has reached a final state on every destination it was queued for. */
export async function allSettled(
  services: DeskServices,
  storyIds: readonly string[],
  destinations?: readonly string[],
): Promise<boolean> {
  for (const id of storyIds) {
    for (const pub of await services.store.publications(id)) {
      if (destinations && !destinations.includes(pub.destination)) continue;
      if (pub.state === 'scheduled' || pub.state === 'publishing' || pub.state === 'draft') return false;
    }
  }
  return true;
}

/**
 * The exactly-once verdict over a run: every story published once on the channel and as one whole,
 * chained thread of `tweetsPerStory` tweets matching the ledger; no orphaned reply; nothing extra on
 * either platform.
 */
export async function expectEachStoryPublishedOnce(
  services: DeskServices,
  ids: readonly string[],
  telegram: TelegramStandIn,
  x: XStandIn,
  tweetsPerStory: (storyId: string) => number | undefined,
): Promise<void> {
  const audits = await auditStories(services, ids, telegram, x);
  for (const a of audits) {
    expect(a, a.storyId).toMatchObject({
      telegramState: 'published',
      telegramPosts: 1,
      xState: 'published',
      tweets: tweetsPerStory(a.storyId),
      chainComplete: true,
      ledgerMatches: true,
    });
  }
  const totalTweets = ids.reduce((sum, id) => sum + (tweetsPerStory(id) ?? 0), 0);
  expect(orphanedReplies(x)).toEqual([]);
  expect(x.tweets()).toHaveLength(totalTweets);
  expect(telegram.messages('@regwire_sandbox')).toHaveLength(ids.length);
}
