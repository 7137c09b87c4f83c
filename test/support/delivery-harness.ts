import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { DeskServices } from '../../src/app/desk-services.js';
import type { PublicationStatus } from '../../src/domain/publication.js';
import type { TelegramStandIn } from '../../src/standins/telegram/index.js';
import type { XStandIn, XStandInTweet } from '../../src/standins/x/index.js';
import { standInEnv as standInAppEnv } from './stand-in-env.js';
import { waitFor } from './wait-for.js';

/** The repository's own `config/` folder (format rules are copied from it). */
const REPO_CONFIG_DIR = fileURLToPath(new URL('../../config/', import.meta.url));

/** An alert as the editor bot hears it. */
type Alert = Parameters<Parameters<DeskServices['alerts']['subscribe']>[0]>[0];

/** Shortened delivery settings for tests and benchmarks; every field maps to `config/regwire.json`. */
export interface DeliveryTestConfig {
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly requestTimeoutMs?: number;
  readonly concurrency?: number;
  /** X reconcile: second look after a miss, in ms (default 50 here: tests need no lagging timeline). */
  readonly reconcileRecheckMs?: number;
  /** Telegram pacing: messages per rolling minute and least spacing, in ms. */
  readonly telegramRate?: { readonly perMinute: number; readonly minIntervalMs: number };
  /** X pacing: window length and size, daily cap, spacing of a thread's tweets (ms). */
  readonly xRate?: {
    readonly windowMs: number;
    readonly perWindow: number;
    readonly perDay: number;
    readonly minIntervalMs: number;
  };
  /** Leave a destination out entirely. */
  readonly only?: readonly ('telegram' | 'x')[];
}

/** "Limits off": budgets no test run can reach, no spacing. */
export const LIMITS_OFF = {
  telegramRate: { perMinute: 1_000_000, minIntervalMs: 0 },
  xRate: { windowMs: 60_000, perWindow: 1_000_000, perDay: 1_000_000, minIntervalMs: 0 },
} as const;

/**
 * Writes a temporary config folder (`regwire.json` with the given delivery settings, no gap between
 * stories, no quiet hours, digest off; `format.json` copied from the repository). Returns its path and a
 * remover.
 */
export function writeDeliveryConfig(options: DeliveryTestConfig = {}): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-delivery-'));
  const common = { timeZone: 'UTC', slots: ['12:00'], minGapMs: 0, quietHours: null, dailyCap: null };
  const destinations: Record<string, unknown> = {};
  const only = options.only ?? ['telegram', 'x'];
  if (only.includes('telegram')) {
    destinations.telegram = {
      platform: 'telegram',
      schedule: { ...common, rate: options.telegramRate ?? { perMinute: 600, minIntervalMs: 100 } },
    };
  }
  if (only.includes('x')) {
    destinations.x = {
      platform: 'x',
      schedule: {
        ...common,
        rate: options.xRate ?? { windowMs: 900_000, perWindow: 100, perDay: 2_400, minIntervalMs: 100 },
      },
    };
  }
  const regwire = {
    delivery: {
      attempts: options.attempts ?? 8,
      backoffMs: options.backoffMs ?? 50,
      requestTimeoutMs: options.requestTimeoutMs ?? 1_000,
      concurrency: options.concurrency ?? 4,
      reconcileRecheckMs: options.reconcileRecheckMs ?? 50,
    },
    destinations,
    digest: { enabled: false, hour: 20, minute: 0, timeZone: 'UTC', maxStories: 10 },
  };
  writeFileSync(path.join(dir, 'regwire.json'), JSON.stringify(regwire, null, 2));
  copyFileSync(path.join(REPO_CONFIG_DIR, 'format.json'), path.join(dir, 'format.json'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * {@link standInAppEnv} for the delivery tests: their own config folder, and the sandbox off even when
 * only one stand-in is given.
 */
export function standInEnv(options: {
  redisUrl: string;
  prefix: string;
  configDir: string;
  telegram?: TelegramStandIn;
  x?: XStandIn;
  telegramChannel?: string;
}): Record<string, string> {
  return { ...standInAppEnv(options), REGWIRE_SANDBOX: 'off' };
}

/**
 * Story `n` of a run: one channel post and a 4-tweet thread. Every paragraph carries `n` (and `tag`), so
 * no two tweets of a run share a text: X refuses duplicates, and reconciliation matches on text.
 */
export function deliveryStory(n: number, tag = 'run'): { title: string; body: string; url: string } {
  return {
    title: `Regulator ${n} opens review of stablecoin reserves (${tag})`,
    body: [
      `The markets authority in district ${n} said on Tuesday it had opened a formal review of how three stablecoin issuers hold and report their reserves, after months of questions.`,
      `Officials in district ${n} will examine custody arrangements, the share of reserves held in short-dated government debt, and how quickly holders can redeem tokens for cash.`,
      `Issuers in district ${n} have 60 days to hand over documents; the authority could order changes to reserve rules or suspend new issuance until problems are fixed.`,
      `The authority in district ${n} said a decision on the three issuers is expected before the end of the quarter, and that it will publish its findings in full once the review is complete.`,
    ].join('\n\n'),
    url: `https://news.example.com/${tag}/review-${n}`,
  };
}

export const SYSTEM_ACTOR = { kind: 'system', name: 'delivery test' } as const;

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
