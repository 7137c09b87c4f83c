import type { TelegramSettings, XSettings } from '../config/config.js';
import type { XPricing } from '../format/x-cost.js';
import type { FeedSnapshot, FeedSource, FeedTweet } from '../web/feed.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from './standins/telegram/index.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandInTweet } from './standins/x/index.js';

/** The stand-ins running in-process, and the settings that point the real adapters at them. */
export interface Sandbox {
  readonly telegram: TelegramSettings;
  readonly x: XSettings;
  readonly feed: FeedSource;
  /** The Telegram stand-in itself: the page's editor chat talks to the bot through it. */
  readonly telegramStandIn: TelegramStandIn;
  close(): Promise<void>;
}

/** The Telegram user the sandbox page acts as: an editor. */
export const SANDBOX_EDITOR_ID = 100_000_001;

/**
 * Starts the Telegram and X stand-ins on loopback (random ports) for sandbox mode. Flood and rate
 * limits stay on, and X bills every call at `xPricing` (X's by default): the sandbox behaves like the real
 * platforms.
 */
export async function startSandbox(options: { readonly xPricing?: XPricing } = {}): Promise<Sandbox> {
  const telegram = await startTelegramStandIn();
  // Billed at regwire's configured prices, with an unlimited balance (run it out at /_standin/billing).
  const x = await startXStandIn(options.xPricing ? { billing: { pricing: options.xPricing } } : {});
  const channel = TELEGRAM_SANDBOX_CHANNEL;
  const feed: FeedSource = {
    snapshot(): FeedSnapshot {
      return {
        telegram: {
          channel: channel.username ? `@${channel.username}` : String(channel.id),
          messages: telegram.messages(channel.id).map((m) => ({
            id: m.message_id,
            date: m.date,
            // A deleted post is gone for followers: the page keeps only where it was.
            text: m.deleted ? '' : (m.text ?? m.caption ?? ''),
            entities: m.deleted ? [] : (m.entities ?? m.caption_entities ?? []),
            ...(m.photoSource?.kind === 'url' && !m.deleted ? { photo: m.photoSource.url } : {}),
            ...(buttonsOf(m.reply_markup) && !m.deleted ? { buttons: buttonsOf(m.reply_markup) } : {}),
            ...(m.edit_date ? { edited: true } : {}),
            ...(m.deleted ? { deleted: true } : {}),
            ...(m.reply_to_message_id !== undefined ? { replyToId: m.reply_to_message_id } : {}),
            ...(m.pinned ? { pinned: true } : {}),
          })),
        },
        x: {
          account: X_SANDBOX_ACCOUNT.username,
          tweets: timeline(x.tweets()),
          billing: (({ spentUsd, balanceUsd }) => ({ spentUsd, balanceUsd }))(x.billing.state()),
        },
      };
    },
  };
  return {
    telegram: {
      token: TELEGRAM_SANDBOX_BOT.token,
      channelId: channel.username ? `@${channel.username}` : String(channel.id),
      apiRoot: telegram.apiRoot,
    },
    x: {
      appKey: X_SANDBOX_ACCOUNT.appKey,
      appSecret: X_SANDBOX_ACCOUNT.appSecret,
      accessToken: X_SANDBOX_ACCOUNT.accessToken,
      accessSecret: X_SANDBOX_ACCOUNT.accessSecret,
      apiRoot: x.apiRoot,
    },
    feed,
    telegramStandIn: telegram,
    close: async () => {
      await Promise.all([telegram.close(), x.close()]);
    },
  };
}

type Buttons = { text: string; url?: string }[][];

function buttonsOf(markup: unknown): Buttons | undefined {
  const rows = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return undefined;
  return rows.map((row: unknown) =>
    Array.isArray(row)
      ? row.map((b: { text?: unknown; url?: unknown }) => ({
          text: String(b.text ?? ''),
          ...(typeof b.url === 'string' ? { url: b.url } : {}),
        }))
      : [],
  );
}

/**
 * The X timeline as the page shows it: deleted tweets as markers only, and a reply marked as a
 * correction when it answers a tweet an earlier reply already continues (or says "Correction").
 */
function timeline(tweets: readonly XStandInTweet[]): FeedTweet[] {
  const answered = new Set<string>();
  return tweets.map((t) => {
    const to = t.in_reply_to_tweet_id;
    const correction = to !== undefined && (answered.has(to) || /^Correction\b/.test(t.text));
    if (to !== undefined && !correction) answered.add(to);
    return {
      id: t.id,
      text: t.deleted ? '' : t.text,
      createdAt: t.created_at,
      ...(to ? { inReplyToId: to } : {}),
      ...(correction ? { correction: true } : {}),
      ...(t.deleted ? { deleted: true } : {}),
    };
  });
}
