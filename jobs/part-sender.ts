import twitterText from 'twitter-text';
import type { StoryRecord } from '../src/domain/publication.js';
import { PublishError } from '../src/errors/publish-error.js';
import { postCost, readCost, type XPricing } from '../src/format/x-cost.js';
import type { SpendEntry } from '../src/ports/spend-ledger.js';
import type { TelegramPort } from '../src/ports/telegram-port.js';
import type { XImage, XPort, XTweet } from '../src/ports/x-port.js';
import type { PostFlags } from '../src/schedule/post-flags.js';

/** Options of {@link PartSender.send}. */
export interface SendOptions {
  /** An editor chose to post the rest of a stopped thread as a new thread: this part replies to nothing. */
  readonly newThread?: boolean;
}

/** Options of {@link PartSender.reconcile}. */
export interface ReconcileOptions {
  /** ISO time the part was marked `sending`: it cannot have landed before (reads only what is newer). */
  readonly sentAfter?: string;
}

/**
 * How the publish job sends the parts of one story to one platform. `previousRemoteId` is the remote id
 * of the part this one replies to (X chains replies on it; Telegram ignores it).
 */
export interface PartSender {
  readonly platform: 'telegram' | 'x';
  /** Number of parts this story has on this platform. */
  partCount(record: StoryRecord): number;
  /** Sends part `index`; resolves to its remote id. Throws `PublishError`. */
  send(
    record: StoryRecord,
    index: number,
    previousRemoteId: string | undefined,
    signal?: AbortSignal,
    options?: SendOptions,
  ): Promise<string>;
  /**
   * Looks for part `index` having landed after all (a crash, timeout or 5xx left its outcome unknown, or
   * the platform refused it as a duplicate). Resolves to its remote id, `undefined` when it certainly did
   * not land, or `null` when this platform cannot tell (an editor must decide). Throws `PublishError`
   * when the platform could not be asked.
   */
  reconcile(
    record: StoryRecord,
    index: number,
    previousRemoteId: string | undefined,
    options?: ReconcileOptions,
  ): Promise<string | undefined | null>;
}

/** Remote id recorded for a photo-only part whose photo Telegram refused (nothing to post in its place). */
export const PHOTO_SKIPPED = 'photo-refused';

/**
 * Sends a story's Telegram calls to one chat. Telegram offers no way to look up what a bot posted.
 * `flags` says, at the moment of each send, whether it goes without a sound and protected (the story's
 * choice, the destination's default, quiet hours that mean "send silently"); default neither.
 */
export function telegramPartSender(
  port: TelegramPort,
  chatId: string,
  flags: (record: StoryRecord) => PostFlags = () => ({ silent: false, protectContent: false }),
): PartSender {
  return {
    platform: 'telegram',
    partCount: (record) => record.rendered.telegram.length,
    async send(record, index, _previous, signal) {
      const payload = record.rendered.telegram[index];
      if (!payload) throw new RangeError(`telegram part ${index} does not exist`);
      let sent: Awaited<ReturnType<TelegramPort['send']>>;
      const { silent, protectContent } = flags(record);
      const options = { ...(silent ? { silent } : {}), ...(protectContent ? { protectContent } : {}) };
      try {
        sent = await port.send(chatId, payload, signal, options);
      } catch (err) {
        // A photo Telegram refuses (cannot fetch it, wrong type) must never block the text: the refusal
        // means nothing was posted, so the caption goes out as a text message instead.
        if (payload.method !== 'sendPhoto' || !(err instanceof PublishError) || err.kind !== 'permanent')
          throw err;
        if (payload.caption.trim() === '') return PHOTO_SKIPPED;
        sent = await port.send(
          chatId,
          {
            method: 'sendMessage',
            text: payload.caption,
            entities: payload.caption_entities,
            link_preview_options: { is_disabled: true },
            ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
          },
          signal,
          options,
        );
      }
      return String(sent.messageId);
    },
    reconcile: async () => null,
  };
}

const unescapeX = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** A text with every link twitter-text finds (X links the same: URLs, bare domains, t.co) cut out. */
function withoutLinks(text: string): string {
  const urls = twitterText.extractUrlsWithIndices(text);
  let out = '';
  let at = 0;
  for (const { indices } of urls) {
    out += `${text.slice(at, indices[0])} `;
    at = indices[1];
  }
  return out + text.slice(at);
}

const canonical = (text: string): string => withoutLinks(text.normalize('NFC')).replace(/\s+/g, ' ').trim();

/**
 * Whether a tweet as X returns it is the text regwire posted: X escapes `&`, `<` and `>`, replaces every
 * link (and bare domain it links) with a t.co link, and appends a media link to a post with an image;
 * comparing both with their links cut out and spaces collapsed sees through all of that.
 */
export function samePostText(posted: string, returned: string): boolean {
  return canonical(posted) === canonical(unescapeX(returned));
}

/** How hard an X reconcile looks before it believes a tweet is not there (each read is billed per post). */
export interface XReconcilePolicy {
  /**
   * Posts read per look, at most 100. Default 10 (the read starts at the part's `sending` time); a full
   * page is looked at again 100 wide, and a miss in a full page of 100 is "cannot tell" (an editor).
   */
  readonly readLimit?: number;
  /** A miss is looked at again after this long (timelines lag). Default 3 000 ms. */
  readonly recheckMs?: number;
}

/**
 * How the first tweet gets the story image: `fetch` brings the image (bounded in time and size, checked
 * type), `onSkipped` hears why it was left out. See `xImageAttachment` in `src/intake/image-fetch.ts`.
 */
export interface XImageAttachment {
  fetch(url: string, signal?: AbortSignal): Promise<XImage>;
  onSkipped?(info: { storyId: string; url: string; reason: string }): void;
}

/**
 * Counts what the X calls of a story cost (config prices): each tweet posted, each post a reconcile read.
 * `charge` must not throw or wait on the send (see `spendMeter` in `x-spend.ts`).
 */
export interface XSpendMeter {
  readonly pricing: XPricing;
  charge(storyId: string, entry: SpendEntry): void;
}

/**
 * Sends a story's thread to the X account, each tweet replying to the previous one. With `image` and a
 * port that uploads media, the story image is attached to the first tweet; an image that cannot be
 * fetched or is refused leaves the tweet text-only, never failing it.
 */
export function xPartSender(
  port: XPort,
  policy: XReconcilePolicy = {},
  image?: XImageAttachment,
  meter?: XSpendMeter,
): PartSender {
  const readLimit = Math.min(100, policy.readLimit ?? 10);
  const recheckMs = policy.recheckMs ?? 3_000;
  const mediaFor = async (record: StoryRecord, signal?: AbortSignal): Promise<string[]> => {
    const url = record.story.imageUrl;
    if (!image || !port.uploadImage || !url) return [];
    try {
      return [await port.uploadImage(await image.fetch(url, signal), signal)];
    } catch (err) {
      // A cancelled send must stop here, not post without its image.
      if (signal?.aborted) throw err;
      image.onSkipped?.({ storyId: record.story.id, url, reason: (err as Error).message });
      return [];
    }
  };
  return {
    platform: 'x',
    partCount: (record) => record.rendered.x.length,
    async send(record, index, previous, signal, options = {}) {
      const post = record.rendered.x[index];
      if (!post) throw new RangeError(`x part ${index} does not exist`);
      if (index > 0 && previous === undefined && !options.newThread)
        throw new RangeError(`x part ${index} has no tweet to reply to`);
      const mediaIds = index === 0 ? await mediaFor(record, signal) : [];
      const tweet = await port.tweet(post.text, {
        ...(previous !== undefined && !options.newThread ? { replyToId: previous } : {}),
        ...(mediaIds.length > 0 ? { mediaIds } : {}),
        ...(signal ? { signal } : {}),
      });
      if (meter) meter.charge(record.story.id, { ...postCost(post.text, meter.pricing), atMs: Date.now() });
      return tweet.id;
    },
    async reconcile(record, index, previous, options = {}) {
      const post = record.rendered.x[index];
      if (!post) return undefined;
      // A reply must hang from the tweet it was sent to reply to; a thread's first tweet (or a new
      // thread's) from nothing.
      const matches = (t: XTweet) =>
        samePostText(post.text, t.text) && (previous === undefined ? true : t.inReplyToId === previous);
      const startTime = options.sentAfter ? { startTime: lookBackFrom(options.sentAfter) } : {};
      // A page that comes back full may hide the tweet behind newer ones: look wider once, and if the
      // account is that busy, say it cannot tell rather than trust the miss.
      const look = async (): Promise<string | undefined | null> => {
        for (let limit = readLimit; ; limit = 100) {
          const recent = await port.recentTweets(limit, startTime);
          if (meter && recent.length > 0) {
            const usd = readCost(recent.length, meter.pricing);
            meter.charge(record.story.id, { kind: 'read', usd, atMs: Date.now() });
          }
          const found = recent.find(matches)?.id;
          if (found !== undefined) return found;
          if (recent.length < limit) return undefined;
          if (limit >= 100) return null;
        }
      };
      const found = async (): Promise<string | undefined | null> => {
        const first = await look();
        if (first !== undefined || recheckMs === 0) return first;
        await new Promise((r) => setTimeout(r, recheckMs));
        return look();
      };
      const id = await found();
      // Found: an attempt whose answer was lost posted it, and X billed it; that attempt counted nothing.
      if (meter && typeof id === 'string') {
        meter.charge(record.story.id, { ...postCost(post.text, meter.pricing), atMs: Date.now() });
      }
      return id;
    },
  };
}

// X's clock and ours differ a little: read from a minute before the mark.
function lookBackFrom(sentAfter: string): string {
  const ms = Date.parse(sentAfter);
  return Number.isFinite(ms) ? new Date(ms - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') : sentAfter;
}
