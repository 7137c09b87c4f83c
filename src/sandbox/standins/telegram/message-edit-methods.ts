import { badRequest } from './bot-api-error.js';
import { readFormattedText } from './formatted-text.js';
import { linkPreviewOptions, replyMarkup } from './message-params.js';
import type { MethodContext, MethodHandler } from './method-context.js';
import { intParam, stringParam } from './request-params.js';
import { type MutableMessage, snapshot } from './stand-in-state.js';
import type { MessageContent } from './stand-in-types.js';

/**
 * The Bot API's answer to an edit that changes nothing (seen as `Bad Request: message is not modified:
 * …` in daniel-hauser/moneyman#133 and rubenlagus/TelegramBots#674).
 */
export const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/**
 * How long a bot may delete its own message: "A message can only be deleted if it was sent less than 48
 * hours ago" (https://core.telegram.org/bots/api#deletemessage); in channels too, even as an admin
 * (tdlib/telegram-bot-api#403, levlam: "bots can't delete messages older than 48 hours").
 */
export const BOT_DELETE_WINDOW_MS = 48 * 60 * 60 * 1000;

/**
 * The refusal past {@link BOT_DELETE_WINDOW_MS}, as current Bot API servers word it
 * (tdlib/telegram-bot-api#403, 2023); servers before 2019 said `message can't be deleted`.
 */
export const CANT_DELETE = "message can't be deleted for everyone";

function editableMessage(context: MethodContext, missing: string): MutableMessage {
  const { state, bot, params } = context;
  if (stringParam(params, 'inline_message_id') !== undefined) throw badRequest(missing);
  const chat = state.chatForBot(bot, params.chat_id);
  const messageId = intParam(params, 'message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const message = chat.botMessages.get(messageId);
  if (!message || message.deleted || message.botId !== bot.config.id) throw badRequest(missing);
  return message;
}

function contentOf(message: MessageContent): MessageContent {
  const { text, entities, caption, caption_entities, reply_markup, link_preview_options } = message;
  return structuredClone({ text, entities, caption, caption_entities, reply_markup, link_preview_options });
}

function applyEdit(
  context: MethodContext,
  message: MutableMessage,
  next: MessageContent,
): Record<string, unknown> {
  const before = contentOf(message);
  const same =
    JSON.stringify([
      before.text,
      before.entities ?? [],
      before.caption,
      before.caption_entities ?? [],
      before.reply_markup ?? null,
    ]) ===
    JSON.stringify([
      next.text ?? before.text,
      next.entities ?? before.entities ?? [],
      'caption' in next ? next.caption : before.caption,
      'caption' in next ? (next.caption_entities ?? []) : (before.caption_entities ?? []),
      next.reply_markup ?? null,
    ]);
  if (same) throw badRequest(NOT_MODIFIED);
  message.history.push(before);
  Object.assign(message, next);
  if (next.reply_markup === undefined) delete message.reply_markup;
  if ('caption' in next && next.caption === undefined) {
    delete message.caption;
    delete message.caption_entities;
  }
  message.edit_date = context.state.nowSeconds();
  context.state.emit({ type: 'message-edited', message: snapshot(message) });
  return context.state.toApiMessage(message);
}

const NO_PIN_RIGHT = 'not enough rights to manage pinned messages in the chat';

function setPinned(context: MethodContext, message: MutableMessage, pinned: boolean): void {
  if (message.pinned === pinned) return;
  message.pinned = pinned;
  context.state.emit({ type: 'message-pinned', message: snapshot(message) });
}

/**
 * What a bot does to its messages after sending them: edit the text or caption, delete (within 48 hours),
 * pin and unpin. Bots edit channel posts without a time limit; the 48-hour edit limit of the Bot API
 * applies to business messages only (https://core.telegram.org/bots/api#editmessagetext).
 */
export const MESSAGE_EDIT_METHODS: Readonly<Record<string, MethodHandler>> = {
  editmessagetext: (context) => {
    const message = editableMessage(context, 'message to edit not found');
    if (message.text === undefined) throw badRequest('there is no text in the message to edit');
    const formatted = readFormattedText(context.params, 'text')!;
    const reply_markup = replyMarkup(context.params);
    const link_preview_options = linkPreviewOptions(context.params);
    return applyEdit(context, message, {
      text: formatted.text,
      entities: formatted.entities,
      reply_markup,
      ...(link_preview_options !== undefined ? { link_preview_options } : {}),
    });
  },

  // https://core.telegram.org/bots/api#editmessagecaption: caption 0-1024 characters after entities
  // parsing; an absent or empty caption removes it.
  editmessagecaption: (context) => {
    const message = editableMessage(context, 'message to edit not found');
    if (message.photo === undefined) throw badRequest('there is no caption in the message to edit');
    const caption = readFormattedText(context.params, 'caption');
    return applyEdit(context, message, {
      caption: caption?.text,
      caption_entities: caption?.entities,
      reply_markup: replyMarkup(context.params),
    });
  },

  editmessagereplymarkup: (context) => {
    const message = editableMessage(context, 'message to edit not found');
    return applyEdit(context, message, {
      ...contentOf(message),
      reply_markup: replyMarkup(context.params),
    });
  },

  deletemessage: ({ state, bot, params }) => {
    const chat = state.chatForBot(bot, params.chat_id);
    const messageId = intParam(params, 'message_id');
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    const message = chat.botMessages.get(messageId);
    if (!message || message.deleted) throw badRequest('message to delete not found');
    if (state.now() - message.date * 1000 >= BOT_DELETE_WINDOW_MS) throw badRequest(CANT_DELETE);
    message.deleted = true;
    state.emit({ type: 'message-deleted', message: snapshot(message) });
    return true;
  },

  // https://core.telegram.org/bots/api#pinchatmessage; `disable_notification` is accepted and means
  // nothing in channels ("Notifications are always disabled in channels and private chats").
  pinchatmessage: (context) => {
    const { state, bot, params } = context;
    const chat = state.chatForBot(bot, params.chat_id);
    if (chat.config.cannotPin?.includes(bot.config.id)) throw badRequest(NO_PIN_RIGHT);
    const messageId = intParam(params, 'message_id');
    const message = messageId === undefined ? undefined : chat.botMessages.get(messageId);
    if (!message || message.deleted) throw badRequest('message to pin not found');
    setPinned(context, message, true);
    return true;
  },

  // https://core.telegram.org/bots/api#unpinchatmessage: without `message_id`, the most recent pinned
  // message (by sending date) is unpinned.
  unpinchatmessage: (context) => {
    const { state, bot, params } = context;
    const chat = state.chatForBot(bot, params.chat_id);
    if (chat.config.cannotPin?.includes(bot.config.id)) throw badRequest(NO_PIN_RIGHT);
    const messageId = intParam(params, 'message_id');
    if (messageId === undefined) {
      const latest = [...chat.botMessages.values()]
        .filter((m) => m.pinned && !m.deleted)
        .sort((a, b) => b.date - a.date || b.message_id - a.message_id)[0];
      if (latest) setPinned(context, latest, false);
      return true;
    }
    const message = chat.botMessages.get(messageId);
    if (!message || message.deleted) throw badRequest('message to unpin not found');
    setPinned(context, message, false);
    return true;
  },
};
