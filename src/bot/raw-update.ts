import type { TelegramUser } from './bot-deps.js';
import { pendingFromQuestion } from './pending-input.js';

/** A message as the bot reads it from an update (the fields it looks at, nothing more). */
export interface RawMessage {
  readonly chat: { readonly id: number; readonly type: string; readonly title?: string };
  readonly from?: TelegramUser & { readonly is_bot?: boolean };
  /** Set when a chat wrote the message (an anonymous admin, a channel), not the user in `from`. */
  readonly sender_chat?: { readonly id: number };
  readonly text?: string;
  readonly caption?: string;
  readonly entities?: readonly { type: string; offset: number; length: number; url?: string }[];
  readonly caption_entities?: readonly { type: string; offset: number; length: number; url?: string }[];
  readonly forward_origin?: { readonly type: string; readonly chat?: { readonly title?: string } };
  readonly forward_from_chat?: { readonly title?: string };
  /** The message this one replies to (an answer to one of the bot's questions). */
  readonly reply_to_message?: { readonly from?: { readonly id: number }; readonly text?: string };
  /** A service message: this user left the chat or was removed. */
  readonly left_chat_member?: { readonly id: number };
}

/** A button press as the bot reads it from an update. */
export interface RawCallbackQuery {
  readonly id: string;
  readonly from: TelegramUser;
  readonly data?: string;
  readonly message?: {
    readonly message_id: number;
    readonly chat: { readonly id: number };
    readonly text?: string;
  };
}

/** Whether `message` replies to one of the bot's own questions (see `pendingFromQuestion`). */
export function answersBotQuestion(message: RawMessage, botId: number | undefined): boolean {
  const question = message.reply_to_message;
  return question?.from?.id === botId && pendingFromQuestion(question?.text ?? '') !== undefined;
}
