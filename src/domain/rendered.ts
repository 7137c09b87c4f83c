import type { Story } from './story.js';

/** A Telegram message entity, exactly as the Bot API takes it. Offsets and lengths in UTF-16 code units. */
export interface MessageEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly language?: string;
}

export interface InlineKeyboardButton {
  readonly text: string;
  readonly url?: string;
  readonly callback_data?: string;
}

export interface InlineKeyboardMarkup {
  readonly inline_keyboard: readonly (readonly InlineKeyboardButton[])[];
}

/** Bot API `ForceReply`: the editor's client opens a reply to the message. */
export interface ForceReply {
  readonly force_reply: true;
  readonly input_field_placeholder?: string;
}

/** Bot API `LinkPreviewOptions`. */
export interface LinkPreviewOptions {
  readonly is_disabled?: boolean;
  readonly url?: string;
  readonly prefer_small_media?: boolean;
  readonly prefer_large_media?: boolean;
  readonly show_above_text?: boolean;
}

/**
 * One Telegram Bot API call, with the exact parameters the API takes except `chat_id`.
 * Text goes as text + entities, never with `parse_mode`.
 */
export type TelegramPayload =
  | {
      readonly method: 'sendMessage';
      readonly text: string;
      readonly entities: readonly MessageEntity[];
      readonly link_preview_options?: LinkPreviewOptions;
      readonly reply_markup?: InlineKeyboardMarkup;
    }
  | {
      readonly method: 'sendPhoto';
      /** Photo URL (Telegram fetches it). */
      readonly photo: string;
      readonly caption: string;
      readonly caption_entities: readonly MessageEntity[];
      readonly reply_markup?: InlineKeyboardMarkup;
    };

/** One tweet of a thread, without reply ids (the publisher chains them). */
export interface XPost {
  readonly text: string;
}

/**
 * The output of `render`: a stable contract printed by `regwire render` and read by other tools.
 * `telegram` is the ordered list of channel calls for one story, `x` the thread in order.
 */
export interface Rendered {
  readonly story: Story;
  readonly telegram: readonly TelegramPayload[];
  readonly x: readonly XPost[];
}
