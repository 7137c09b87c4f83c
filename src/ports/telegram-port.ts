import type { TelegramPayload } from '../domain/rendered.js';
import type { TelegramEdit } from '../domain/telegram-edit.js';

/** What a sent Telegram message is known by. */
export interface SentTelegramMessage {
  readonly messageId: number;
}

/**
 * How an edit ended: `edited`, or `unchanged` when the message already had exactly this content
 * (Telegram's "message is not modified", which is success: a repeated edit lands once).
 */
export type TelegramEditOutcome = 'edited' | 'unchanged';

/**
 * How a delete ended: `deleted`, or `already-gone` when Telegram no longer has the message ("message to
 * delete not found": a repeated delete, or someone deleted it by hand). A message sent 48 hours ago or
 * more cannot be deleted by a bot: that is thrown as a `PublishError` with refusal `too-old-to-delete`.
 */
export type TelegramDeleteOutcome = 'deleted' | 'already-gone';

/** Options of {@link TelegramPort.send}. */
export interface TelegramSendOptions {
  /** Sends it as a reply to this message of the same chat (`reply_parameters`). */
  readonly replyToMessageId?: number;
  /** Followers get it without a sound (`disable_notification`). */
  readonly silent?: boolean;
  /** It cannot be forwarded or saved (`protect_content`). */
  readonly protectContent?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Publishing to a Telegram chat or channel, and changing what was published. Implemented by
 * `src/adapters/telegram/` over telegraf. Every failure is thrown as a `PublishError` carrying the retry
 * decision; edits and deletes are idempotent (see {@link TelegramEditOutcome}, {@link TelegramDeleteOutcome}),
 * so a repeated call after an unknown outcome is safe.
 */
export interface TelegramPort {
  /** Performs one Bot API call (`payload.method`) to `chatId` (`@name` or a numeric id). */
  send(
    chatId: string,
    payload: TelegramPayload,
    signal?: AbortSignal,
    options?: TelegramSendOptions,
  ): Promise<SentTelegramMessage>;
  /** Edits a message this bot sent (`editMessageText` / `editMessageCaption`). Channel posts have no time limit. */
  edit(
    chatId: string,
    messageId: number,
    edit: TelegramEdit,
    signal?: AbortSignal,
  ): Promise<TelegramEditOutcome>;
  /** Deletes a message this bot sent, if it was sent less than 48 hours ago (`deleteMessage`). */
  delete(chatId: string, messageId: number, signal?: AbortSignal): Promise<TelegramDeleteOutcome>;
  /** Pins a message in the chat (`pinChatMessage`); `silent` asks for no notification. */
  pin(chatId: string, messageId: number, options?: { silent?: boolean; signal?: AbortSignal }): Promise<void>;
  /** Unpins one message, or the most recent pinned one when `messageId` is absent (`unpinChatMessage`). */
  unpin(chatId: string, messageId?: number, signal?: AbortSignal): Promise<void>;
}
