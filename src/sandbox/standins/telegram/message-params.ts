import { badRequest } from './bot-api-error.js';
import { validateReplyMarkup } from './reply-markup-rules.js';
import { boolParam, intParam, jsonParam, type RequestParams } from './request-params.js';
import type { ChatRecord } from './stand-in-state.js';

/** `reply_markup`, checked as the Bot API checks it. */
export function replyMarkup(params: RequestParams): unknown {
  return validateReplyMarkup(
    jsonParam(params, 'reply_markup', "can't parse reply keyboard markup JSON object"),
  );
}

/** `link_preview_options`: a JSON object or nothing. */
export function linkPreviewOptions(params: RequestParams): unknown {
  const value = jsonParam(params, 'link_preview_options', "can't parse link preview options JSON object");
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw badRequest("can't parse link preview options JSON object");
  }
  return value;
}

/** How a message is sent, beside its content: silently, protected, as a reply. */
export interface SendOptions {
  /** `disable_notification`: followers get it without a sound. */
  readonly disable_notification?: true;
  /** `protect_content`: it cannot be forwarded or saved. */
  readonly protect_content?: true;
  /** The bot message it replies to (`reply_parameters.message_id`), when that message exists. */
  readonly reply_to_message_id?: number;
}

/**
 * Reads `disable_notification`, `protect_content` and `reply_parameters` (Bot API 7.0; the older
 * `reply_to_message_id` too). A reply to a message that is not in the chat (never sent, or deleted) is
 * refused with `message to be replied not found`, unless `allow_sending_without_reply` is set: then it
 * goes out as an ordinary message. https://core.telegram.org/bots/api#replyparameters
 */
export function sendOptions(chat: ChatRecord, params: RequestParams): SendOptions {
  const reply = jsonParam(params, 'reply_parameters', "can't parse reply parameters JSON object");
  if (reply !== undefined && (reply === null || typeof reply !== 'object' || Array.isArray(reply))) {
    throw badRequest("can't parse reply parameters JSON object");
  }
  const fields = (reply ?? {}) as Record<string, unknown>;
  const legacy = intParam(params, 'reply_to_message_id');
  const target = reply === undefined ? legacy : intParam(fields, 'message_id');
  if (reply !== undefined && target === undefined) throw badRequest('message to be replied not found');
  if (fields.chat_id !== undefined && fields.chat_id !== chat.info.id) {
    // Replies across chats need a real message of the other chat; the stand-in posts to one chat at a time.
    throw badRequest('message to be replied not found');
  }
  const withoutReply =
    boolParam(fields, 'allow_sending_without_reply') || boolParam(params, 'allow_sending_without_reply');
  let replyTo: number | undefined;
  if (target !== undefined) {
    const original = chat.botMessages.get(target);
    if (original && !original.deleted) replyTo = target;
    else if (!withoutReply) throw badRequest('message to be replied not found');
  }
  return {
    ...(boolParam(params, 'disable_notification') ? { disable_notification: true as const } : {}),
    ...(boolParam(params, 'protect_content') ? { protect_content: true as const } : {}),
    ...(replyTo !== undefined ? { reply_to_message_id: replyTo } : {}),
  };
}
