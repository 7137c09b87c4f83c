import { createHash } from 'node:crypto';
import { BotApiError, badRequest } from './bot-api-error.js';
import type { FloodLimiter } from './flood-limiter.js';
import { readFormattedText } from './formatted-text.js';
import { validateReplyMarkup } from './reply-markup-rules.js';
import {
  boolParam,
  fileParam,
  intParam,
  jsonParam,
  type RequestParams,
  stringParam,
} from './request-params.js';
import {
  type BotRecord,
  type ChatRecord,
  type MutableMessage,
  type StandInState,
  snapshot,
} from './stand-in-state.js';
import type { BotApiPhotoSize, MessageContent, PhotoSource } from './stand-in-types.js';

/** What a Bot API method handler gets. */
export interface MethodContext {
  readonly state: StandInState;
  readonly bot: BotRecord;
  readonly params: RequestParams;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
  readonly flood: FloodLimiter | undefined;
  readonly maxLongPollSeconds: number;
}

export type MethodHandler = (context: MethodContext) => unknown;

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

function checkFlood(context: MethodContext, chat: ChatRecord): void {
  if (!context.flood) return;
  const groupLike = chat.info.type !== 'private';
  const wait = context.flood.take(`${context.bot.config.id}:${chat.info.id}`, groupLike);
  if (wait > 0) throw new BotApiError(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });
}

function replyMarkup(params: RequestParams): unknown {
  return validateReplyMarkup(
    jsonParam(params, 'reply_markup', "can't parse reply keyboard markup JSON object"),
  );
}

function linkPreviewOptions(params: RequestParams): unknown {
  const value = jsonParam(params, 'link_preview_options', "can't parse link preview options JSON object");
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw badRequest("can't parse link preview options JSON object");
  }
  return value;
}

function fileIdFor(seed: string): string {
  return `AgACAgIAAx0C${createHash('sha256').update(seed).digest('base64url').slice(0, 40)}`;
}

function photoFromParams(
  state: StandInState,
  params: RequestParams,
): { source: PhotoSource; sizes: BotApiPhotoSize[] } {
  const upload = fileParam(params, 'photo');
  let source: PhotoSource;
  if (upload) {
    if (upload.data.length === 0) throw badRequest('file must be non-empty');
    source = { kind: 'upload', filename: upload.filename, bytes: upload.data.length };
  } else {
    const value = stringParam(params, 'photo');
    if (value === undefined || value === '') throw badRequest('there is no photo in the request');
    if (/^https?:\/\//i.test(value)) {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw badRequest('wrong file identifier/HTTP URL specified');
      }
      // Telegram fetches the photo itself; the stand-in cannot, so hosts under the reserved `.invalid`
      // domain (RFC 2606) stand for a URL Telegram could not download.
      if (url.hostname.endsWith('.invalid')) throw badRequest('failed to get HTTP URL content');
      source = { kind: 'url', url: value };
    } else if (state.knowsFileId(value)) {
      source = { kind: 'file_id', fileId: value };
    } else {
      throw badRequest('wrong file identifier/HTTP URL specified');
    }
  }
  const seed = JSON.stringify(source) + String(state.now());
  const fileId = source.kind === 'file_id' ? source.fileId : fileIdFor(seed);
  state.rememberFileId(fileId);
  const unique = createHash('sha1').update(fileId).digest('base64url').slice(0, 16);
  return {
    source,
    sizes: [
      { file_id: fileId, file_unique_id: unique, width: 90, height: 60, file_size: 1_200 },
      { file_id: `${fileId}-m`, file_unique_id: `${unique}m`, width: 800, height: 533, file_size: 48_000 },
    ],
  };
}

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
    JSON.stringify([before.text, before.entities ?? [], before.caption, before.reply_markup ?? null]) ===
    JSON.stringify([
      next.text ?? before.text,
      next.entities ?? [],
      next.caption ?? before.caption,
      next.reply_markup ?? null,
    ]);
  if (same) throw badRequest(NOT_MODIFIED);
  message.history.push(before);
  Object.assign(message, next);
  if (next.reply_markup === undefined) delete message.reply_markup;
  message.edit_date = context.state.nowSeconds();
  context.state.emit({ type: 'message-edited', message: snapshot(message) });
  return context.state.toApiMessage(message);
}

const COMMAND_PATTERN = /^[a-z0-9_]{1,32}$/;

function commandsKey(params: RequestParams): string {
  const scope = jsonParam(params, 'scope', "can't parse BotCommandScope JSON object") ?? { type: 'default' };
  return JSON.stringify([scope, stringParam(params, 'language_code') ?? '']);
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The Bot API methods the stand-in implements, by lower-case name (method names are case-insensitive). */
export const BOT_API_METHODS: Readonly<Record<string, MethodHandler>> = {
  getme: ({ bot }) => ({
    ...bot.user,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),

  sendmessage: (context) => {
    const { state, bot, params } = context;
    const chat = state.chatForBot(bot, params.chat_id);
    const formatted = readFormattedText(params, 'text')!;
    const reply_markup = replyMarkup(params);
    const link_preview_options = linkPreviewOptions(params);
    checkFlood(context, chat);
    const message = state.recordBotMessage(bot, chat, {
      text: formatted.text,
      entities: formatted.entities,
      ...(link_preview_options !== undefined ? { link_preview_options } : {}),
      ...(reply_markup !== undefined ? { reply_markup } : {}),
    });
    return state.toApiMessage(message);
  },

  sendphoto: (context) => {
    const { state, bot, params } = context;
    const chat = state.chatForBot(bot, params.chat_id);
    const photo = photoFromParams(state, params);
    const caption = readFormattedText(params, 'caption');
    const reply_markup = replyMarkup(params);
    checkFlood(context, chat);
    const message = state.recordBotMessage(bot, chat, {
      photo: photo.sizes,
      photoSource: photo.source,
      ...(caption ? { caption: caption.text, caption_entities: caption.entities } : {}),
      ...(reply_markup !== undefined ? { reply_markup } : {}),
    });
    return state.toApiMessage(message);
  },

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
    const message = messageId === undefined ? undefined : chat.botMessages.get(messageId);
    if (!message || message.deleted) throw badRequest('message to delete not found');
    message.deleted = true;
    state.emit({ type: 'message-deleted', message: snapshot(message) });
    return true;
  },

  getupdates: async ({ bot, params, signal, maxLongPollSeconds }) => {
    if (bot.webhook) {
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const allowed = jsonParam(params, 'allowed_updates', "can't parse allowed_updates JSON object");
    if (
      allowed !== undefined &&
      (!Array.isArray(allowed) || allowed.some((kind) => typeof kind !== 'string'))
    ) {
      throw badRequest("can't parse allowed_updates JSON object");
    }
    const limit = Math.min(100, Math.max(1, intParam(params, 'limit') ?? 100));
    const timeoutSec = Math.min(maxLongPollSeconds, Math.max(0, intParam(params, 'timeout') ?? 0));
    return bot.queue.poll({
      offset: intParam(params, 'offset'),
      limit,
      timeoutSec,
      ...(allowed !== undefined ? { allowedUpdates: allowed as string[] } : {}),
      signal,
    });
  },

  setmycommands: ({ bot, params }) => {
    const commands = jsonParam(params, 'commands', "can't parse commands JSON object");
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
    if (commands.length > 100) throw badRequest('too many commands specified');
    for (const command of commands as { command?: unknown; description?: unknown }[]) {
      const name = typeof command?.command === 'string' ? command.command.replace(/^\//, '') : '';
      if (!COMMAND_PATTERN.test(name)) throw badRequest('BOT_COMMAND_INVALID');
      const description = command.description;
      if (typeof description !== 'string' || description.length < 1 || description.length > 256) {
        throw badRequest('command description must be non-empty');
      }
    }
    const normalised = (commands as { command: string; description: string }[]).map((command) => ({
      command: command.command.replace(/^\//, ''),
      description: command.description,
    }));
    bot.commands.set(commandsKey(params), normalised);
    return true;
  },

  getmycommands: ({ bot, params }) => bot.commands.get(commandsKey(params)) ?? [],

  deletemycommands: ({ bot, params }) => {
    bot.commands.delete(commandsKey(params));
    return true;
  },

  answercallbackquery: ({ state, bot, params }) => {
    const id = stringParam(params, 'callback_query_id');
    if (id === undefined)
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    const text = stringParam(params, 'text');
    const url = stringParam(params, 'url');
    state.answerCallbackQuery(bot, {
      callback_query_id: id,
      show_alert: boolParam(params, 'show_alert'),
      ...(text !== undefined ? { text } : {}),
      ...(url !== undefined ? { url } : {}),
    });
    return true;
  },

  setwebhook: ({ bot, params }) => {
    const raw = stringParam(params, 'url') ?? '';
    if (raw === '') {
      bot.webhook = undefined;
      return true;
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badRequest('invalid webhook URL specified');
    }
    // Loopback http is allowed so tests can receive webhooks; the real API insists on HTTPS.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
      throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    }
    const secretToken = stringParam(params, 'secret_token');
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      throw badRequest('secret token contains unallowed characters');
    }
    const allowed = jsonParam(params, 'allowed_updates', "can't parse allowed_updates JSON object");
    if (boolParam(params, 'drop_pending_updates')) bot.queue.dropPending();
    bot.webhook = {
      url: raw,
      maxConnections: intParam(params, 'max_connections') ?? 40,
      ...(secretToken !== undefined ? { secretToken } : {}),
      ...(Array.isArray(allowed) ? { allowedUpdates: allowed as string[] } : {}),
    };
    return true;
  },

  deletewebhook: ({ bot, params }) => {
    bot.webhook = undefined;
    if (boolParam(params, 'drop_pending_updates')) bot.queue.dropPending();
    return true;
  },

  getwebhookinfo: ({ bot }) => {
    const webhook = bot.webhook;
    return {
      url: webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: bot.queue.pendingCount,
      ...(webhook ? { max_connections: webhook.maxConnections } : {}),
      ...(webhook?.allowedUpdates ? { allowed_updates: webhook.allowedUpdates } : {}),
      ...(webhook?.lastErrorDate !== undefined
        ? { last_error_date: webhook.lastErrorDate, last_error_message: webhook.lastErrorMessage }
        : {}),
    };
  },

  getchatmember: ({ state, bot, params }) =>
    state.chatMember(bot, params.chat_id, intParam(params, 'user_id')),

  getchat: ({ state, bot, params }) => {
    const chat = state.chatForBot(bot, params.chat_id);
    return { ...chat.info, accent_color_id: 0, max_reaction_count: 11 };
  },
};
