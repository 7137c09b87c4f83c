import type { InlineKeyboardMarkup, LinkPreviewOptions, MessageEntity, TelegramPayload } from './rendered.js';

/**
 * One Bot API edit of a message already sent, with the exact parameters the API takes except `chat_id`
 * and `message_id`: a text post's text (`editMessageText`) or a photo post's caption
 * (`editMessageCaption`, 0-1024 characters). Text goes as text + entities, never with `parse_mode`.
 * https://core.telegram.org/bots/api#editmessagetext, https://core.telegram.org/bots/api#editmessagecaption
 */
export type TelegramEdit =
  | {
      readonly method: 'editMessageText';
      readonly text: string;
      readonly entities: readonly MessageEntity[];
      readonly link_preview_options?: LinkPreviewOptions;
      readonly reply_markup?: InlineKeyboardMarkup;
    }
  | {
      readonly method: 'editMessageCaption';
      readonly caption: string;
      readonly caption_entities: readonly MessageEntity[];
      readonly reply_markup?: InlineKeyboardMarkup;
    };

/**
 * The post as followers see it after `edit` landed on it: `original` with the edit's text (or caption) and
 * entities, what a later edit must start from to keep what the earlier one added (a "Corrected" line).
 */
export function postAfterEdit(original: TelegramPayload, edit: TelegramEdit): TelegramPayload {
  if (original.method === 'sendMessage' && edit.method === 'editMessageText')
    return { ...original, text: edit.text, entities: edit.entities };
  if (original.method === 'sendPhoto' && edit.method === 'editMessageCaption')
    return { ...original, caption: edit.caption, caption_entities: edit.caption_entities };
  return original;
}
