import type { StandInFaultKind } from '../fault-kinds.js';

/** A bot the stand-in knows, by its token. */
export interface StandInBotConfig {
  readonly token: string;
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
}

export type StandInChatType = 'channel' | 'supergroup' | 'group' | 'private';

/** A chat the stand-in knows. Channels and groups are found by numeric id or `@username`. */
export interface StandInChatConfig {
  /** Channels and supergroups use `-100…` ids, basic groups negative ids, private chats the user's id. */
  readonly id: number;
  readonly type: StandInChatType;
  readonly title?: string;
  readonly username?: string;
  readonly firstName?: string;
  /** Bots allowed to post here; others get `403 Forbidden: bot is not a member of the … chat`. Default: all bots. */
  readonly botIds?: readonly number[];
  /**
   * Bots that are here without the right to pin messages (a channel admin without "Edit messages", a
   * group admin without "Pin messages"): `pinChatMessage` and `unpinChatMessage` answer
   * `400 Bad Request: not enough rights to manage pinned messages in the chat`. Default: none.
   */
  readonly cannotPin?: readonly number[];
}

/** Flood control, per bot. */
export interface FloodLimitOptions {
  /** At most one message per chat per this many ms, after the burst. Default 1000. */
  readonly perChatIntervalMs?: number;
  /** Messages allowed back to back in one chat before the interval applies. Default 3. */
  readonly perChatBurst?: number;
  /** At most this many messages per rolling minute to one channel or group. Default 20. */
  readonly perGroupPerMinute?: number;
}

/** How a Telegram Bot API stand-in is started: where it listens, its bots and chats, flood control. */
export interface TelegramStandInOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0: a random free port. */
  readonly port?: number;
  /** Path the Bot API is served under, like a self-hosted server behind a proxy, e.g. `/tg/`. Default `/`. */
  readonly basePath?: string;
  /** Default: one bot, token `123456:sandbox-token`. */
  readonly bots?: readonly StandInBotConfig[];
  /** Default: the channel `@regwire_sandbox` (id -1001000000001) and the group `-1001000000002`. */
  readonly chats?: readonly StandInChatConfig[];
  /** `false` disables flood control. */
  readonly floodLimits?: FloodLimitOptions | false;
  /** Clock in ms since the epoch, for message dates and flood control. Default `Date.now`. */
  readonly now?: () => number;
  /** Seed of the PRNG that decides probabilistic faults. Default 1. */
  readonly seed?: number;
  /** Upper bound on a getUpdates `timeout`, in seconds (the real API caps at 50). Default 50. */
  readonly maxLongPollSeconds?: number;
}

/** Bot API `MessageEntity`, as stored. */
export interface BotApiEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly language?: string;
  readonly user?: unknown;
  readonly custom_emoji_id?: string;
}

/** Bot API `Chat` as it appears inside messages. */
export interface BotApiChat {
  readonly id: number;
  readonly type: StandInChatType;
  readonly title?: string;
  readonly username?: string;
  readonly first_name?: string;
}

/** Bot API `User`. */
export interface BotApiUser {
  readonly id: number;
  readonly is_bot: boolean;
  readonly first_name: string;
  readonly username?: string;
  readonly language_code?: string;
}

export interface BotApiPhotoSize {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly width: number;
  readonly height: number;
  readonly file_size?: number;
}

/** Where a posted photo came from. */
export type PhotoSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'file_id'; readonly fileId: string }
  | { readonly kind: 'upload'; readonly filename: string; readonly bytes: number };

/** The editable content of a message; one entry per version in {@link StandInMessage.history}. */
export interface MessageContent {
  readonly text?: string;
  readonly entities?: readonly BotApiEntity[];
  readonly caption?: string;
  readonly caption_entities?: readonly BotApiEntity[];
  readonly reply_markup?: unknown;
  readonly link_preview_options?: unknown;
}

/** A message a bot posted, as the stand-in recorded it. */
export interface StandInMessage extends MessageContent {
  readonly botId: number;
  readonly chat: BotApiChat;
  readonly message_id: number;
  /** Unix seconds. */
  readonly date: number;
  readonly photo?: readonly BotApiPhotoSize[];
  readonly photoSource?: PhotoSource;
  /** Unix seconds of the last edit. */
  readonly edit_date?: number;
  /** Earlier versions, oldest first (empty when never edited). */
  readonly history: readonly MessageContent[];
  readonly deleted: boolean;
  /** Sent with `disable_notification`: followers got it without a sound. */
  readonly disable_notification?: true;
  /** Sent with `protect_content`: it cannot be forwarded or saved (`has_protected_content`). */
  readonly protect_content?: true;
  /** The message it replies to (`reply_parameters`). */
  readonly reply_to_message_id?: number;
  /** Pinned in its chat (`pinChatMessage`, until `unpinChatMessage`). */
  readonly pinned?: boolean;
}

/** A Bot API `Update` as queued for a bot. */
export interface BotApiUpdate {
  readonly update_id: number;
  readonly [kind: string]: unknown;
}

/** An `answerCallbackQuery` the bot made. */
export interface CallbackAnswer {
  readonly botId: number;
  readonly callback_query_id: string;
  readonly text?: string;
  readonly show_alert: boolean;
  readonly url?: string;
}

/** One Bot API call the stand-in received (after token check). */
export interface ApiCallRecord {
  readonly botId: number;
  readonly method: string;
  /** ms since the epoch, by the stand-in's clock. */
  readonly at: number;
}

export type StandInEvent =
  | { readonly type: 'message-posted'; readonly message: StandInMessage }
  | { readonly type: 'message-edited'; readonly message: StandInMessage }
  | { readonly type: 'message-deleted'; readonly message: StandInMessage }
  | { readonly type: 'message-pinned'; readonly message: StandInMessage }
  | { readonly type: 'update-queued'; readonly botId: number; readonly update: BotApiUpdate }
  | { readonly type: 'callback-answered'; readonly answer: CallbackAnswer };

export type StandInEventListener = (event: StandInEvent) => void;

/** Input of {@link TelegramStandIn.sendUserMessage}. */
export interface UserMessageInput {
  readonly fromId: number;
  /** Default: the private chat with `fromId` (created on first use). */
  readonly chatId?: number | string;
  readonly text: string;
  readonly username?: string;
  readonly firstName?: string;
  /** Bot that receives the update. Default: the first bot. */
  readonly botId?: number;
  /** Makes the message a forward from this channel or group. */
  readonly forwardedFromChatId?: number | string;
  /** Makes the message a reply to this bot message in the same chat (as a `force_reply` prompts). */
  readonly replyToMessageId?: number;
  /**
   * `fromId` writes as an anonymous administrator of the group `chatId`: the message arrives with `from` =
   * {@link GROUP_ANONYMOUS_BOT} and `sender_chat` = the group, and nothing in it names `fromId`.
   * Only in groups and supergroups.
   */
  readonly anonymousAdmin?: boolean;
}

/**
 * The pseudo-user Telegram puts in `from` of a message an anonymous group administrator sent (its
 * `sender_chat` is the group itself): https://core.telegram.org/bots/api#message and the Bot API 5.0 changelog.
 */
export const GROUP_ANONYMOUS_BOT: BotApiUser = {
  id: 1087968824,
  is_bot: true,
  first_name: 'Group',
  username: 'GroupAnonymousBot',
};

/** Input of {@link TelegramStandIn.pressButton}. */
export interface ButtonPressInput {
  readonly fromId: number;
  readonly messageChatId: number | string;
  readonly messageId: number;
  readonly data: string;
  readonly username?: string;
}

/** The fault kinds, named and behaving as in the X stand-in; see {@link StandInFaultKind}. */
export type FaultKind = StandInFaultKind;
export { STAND_IN_FAULT_KINDS } from '../fault-kinds.js';

/**
 * A fault to inject into matching Bot API calls; see {@link StandInFaultKind} for what each kind does.
 * `http-500` answers the Bot API's own JSON error; `http-502`/`503`/`504` answer the HTML page of the front
 * end (nginx), as a gateway does. The `-after` kinds answer the same bodies after the call took effect.
 */
export interface FaultSpec {
  /** Bot API method (case-insensitive); all methods when absent. */
  readonly method?: string;
  readonly kind: FaultKind;
  /** Chance per matching call, 0..1. Default 1. */
  readonly probability?: number;
  /** How many calls it hits before it is used up. Default: unlimited. */
  readonly times?: number;
  /** For `http-429`. Default 1. */
  readonly retryAfterSec?: number;
  /** For `latency`. Default 200. */
  readonly latencyMs?: number;
}

/** A fault currently armed. */
export interface ActiveFault extends FaultSpec {
  readonly id: string;
  /** How many calls it has hit so far. */
  readonly hits: number;
}

export interface StandInFaults {
  /** Arms a fault; returns its id. */
  add(spec: FaultSpec): string;
  remove(id: string): void;
  clear(): void;
  list(): readonly ActiveFault[];
}
