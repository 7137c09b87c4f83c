import { TelegramError } from 'telegraf';
import { PublishError } from '../../errors/publish-error.js';
import { toPublishError } from './telegram-errors.js';

// Telegram says these only in `description` (400 Bad Request, no code of their own).
const NOT_MODIFIED = /message is not modified/i;
const DELETE_NOT_FOUND = /message to delete not found/i;
// "message can't be deleted for everyone" on current servers (tdlib/telegram-bot-api#403), "message
// can't be deleted" before: a bot's own message sent 48 hours ago or more.
const CANT_DELETE = /message can't be deleted/i;

const badRequest = (err: unknown, pattern: RegExp): boolean =>
  err instanceof TelegramError && err.code === 400 && pattern.test(err.description);

/** Telegram refused an edit because the message already has exactly this content: the edit holds. */
export function isNotModified(err: unknown): boolean {
  return badRequest(err, NOT_MODIFIED);
}

/** Telegram no longer has the message to delete (deleted before, by regwire or by hand). */
export function isAlreadyDeleted(err: unknown): boolean {
  return badRequest(err, DELETE_NOT_FOUND);
}

/**
 * Maps what a `deleteMessage` throws: Telegram refusing to delete a message sent 48 hours ago or more is a
 * `permanent` refusal `too-old-to-delete` (the caller edits it instead); anything else as
 * {@link toPublishError}.
 */
export function toDeleteError(err: unknown): PublishError {
  const mapped = toPublishError(err);
  if (!badRequest(err, CANT_DELETE)) return mapped;
  return new PublishError({
    kind: 'permanent',
    platform: 'telegram',
    reason: mapped.reason,
    status: 400,
    refusal: 'too-old-to-delete',
    cause: mapped.cause,
  });
}

// `pinChatMessage` / `unpinChatMessage` refusals, again only in `description`.
const PIN_TARGET_GONE = /message to (un)?pin not found/i;
const NO_PIN_RIGHT = /not enough rights to (manage pinned messages|pin a message)/i;

/**
 * Maps what a `pinChatMessage` or `unpinChatMessage` throws, with a reason an editor can act on when
 * Telegram said why: the post is gone (deleted by hand), or the bot lacks the right to pin there. Both
 * are `permanent`; anything else as {@link toPublishError}.
 */
export function toPinError(err: unknown): PublishError {
  const mapped = toPublishError(err);
  const why = badRequest(err, PIN_TARGET_GONE)
    ? 'the channel post is gone (deleted?), so it cannot be pinned or unpinned'
    : badRequest(err, NO_PIN_RIGHT)
      ? 'the bot may not pin messages in this chat: give it the right to pin (in a channel, "Edit messages of others")'
      : undefined;
  if (!why) return mapped;
  return new PublishError({
    kind: 'permanent',
    platform: 'telegram',
    reason: `${why} (${mapped.reason})`,
    status: 400,
    cause: mapped.cause,
  });
}
