import type { StoryRecord } from '../src/domain/publication.js';
import { PublishError } from '../src/errors/publish-error.js';
import type { TelegramPort } from '../src/ports/telegram-port.js';
import type { XImage, XPort, XTweet } from '../src/ports/x-port.js';

/**
 * How the publish job sends the parts of one story to one platform. `previousRemoteId` is the remote id
 * of part `index - 1` (X chains replies on it; Telegram ignores it).
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
  ): Promise<string>;
  /**
   * Looks for part `index` having landed after all (a crash or timeout left its outcome unknown).
   * Resolves to its remote id, `undefined` when it certainly did not land, or `null` when this platform
   * cannot tell (an editor must decide).
   */
  reconcile(
    record: StoryRecord,
    index: number,
    previousRemoteId: string | undefined,
  ): Promise<string | undefined | null>;
}

/** Remote id recorded for a photo-only part whose photo Telegram refused (nothing to post in its place). */
export const PHOTO_SKIPPED = 'photo-refused';

/** Sends a story's Telegram calls to one chat. Telegram offers no way to look up what a bot posted. */
export function telegramPartSender(port: TelegramPort, chatId: string): PartSender {
  return {
    platform: 'telegram',
    partCount: (record) => record.rendered.telegram.length,
    async send(record, index, _previous, signal) {
      const payload = record.rendered.telegram[index];
      if (!payload) throw new RangeError(`telegram part ${index} does not exist`);
      let sent: Awaited<ReturnType<TelegramPort['send']>>;
      try {
        sent = await port.send(chatId, payload, signal);
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
        );
      }
      return String(sent.messageId);
    },
    reconcile: async () => null,
  };
}

// X rewrites links to t.co, so compare texts with every URL blanked out.
const URL_PATTERN = /https?:\/\/\S+/g;
const comparable = (text: string): string => text.replace(URL_PATTERN, '<url>').normalize('NFC').trim();

/**
 * How the first tweet gets the story image: `fetch` brings the image (bounded in time and size, checked
 * type), `onSkipped` hears why it was left out. See `xImageAttachment` in `src/intake/image-fetch.ts`.
 */
export interface XImageAttachment {
  fetch(url: string, signal?: AbortSignal): Promise<XImage>;
  onSkipped?(info: { storyId: string; url: string; reason: string }): void;
}

/**
 * Sends a story's thread to the X account, each tweet replying to the previous one. With `image` and a
 * port that uploads media, the story image is attached to the first tweet; an image that cannot be
 * fetched or is refused leaves the tweet text-only, never failing it.
 */
export function xPartSender(port: XPort, recentWindow = 100, image?: XImageAttachment): PartSender {
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
    async send(record, index, previous, signal) {
      const post = record.rendered.x[index];
      if (!post) throw new RangeError(`x part ${index} does not exist`);
      if (index > 0 && previous === undefined)
        throw new RangeError(`x part ${index} has no tweet to reply to`);
      const mediaIds = index === 0 ? await mediaFor(record, signal) : [];
      const tweet = await port.tweet(post.text, {
        ...(index > 0 && previous !== undefined ? { replyToId: previous } : {}),
        ...(mediaIds.length > 0 ? { mediaIds } : {}),
        ...(signal ? { signal } : {}),
      });
      return tweet.id;
    },
    async reconcile(record, index, previous) {
      const post = record.rendered.x[index];
      if (!post) return undefined;
      const wanted = comparable(post.text);
      const recent: readonly XTweet[] = await port.recentTweets(recentWindow);
      const match = recent.find(
        (t) => comparable(t.text) === wanted && (index === 0 ? true : t.inReplyToId === previous),
      );
      return match?.id;
    },
  };
}
