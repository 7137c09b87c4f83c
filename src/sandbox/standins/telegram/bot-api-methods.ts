import { createHash } from 'node:crypto';
import { BotApiError, badRequest } from './bot-api-error.js';
import { readFormattedText } from './formatted-text.js';
import { MESSAGE_EDIT_METHODS } from './message-edit-methods.js';
import { linkPreviewOptions, replyMarkup, sendOptions } from './message-params.js';
import type { MethodContext, MethodHandler } from './method-context.js';
import {
  boolParam,
  fileParam,
  intParam,
  jsonParam,
  type RequestParams,
  stringParam,
} from './request-params.js';
import type { ChatRecord, StandInState } from './stand-in-state.js';
import type { BotApiPhotoSize, PhotoSource } from './stand-in-types.js';

export type { MethodContext, MethodHandler } from './method-context.js';

function checkFlood(context: MethodContext, chat: ChatRecord): void {
  if (!context.flood) return;
  const groupLike = chat.info.type !== 'private';
  const wait = context.flood.take(`${context.bot.config.id}:${chat.info.id}`, groupLike);
  if (wait > 0) throw new BotApiError(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });
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
    const options = sendOptions(chat, params);
    checkFlood(context, chat);
    const message = state.recordBotMessage(bot, chat, {
      ...options,
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
    const options = sendOptions(chat, params);
    checkFlood(context, chat);
    const message = state.recordBotMessage(bot, chat, {
      ...options,
      photo: photo.sizes,
      photoSource: photo.source,
      ...(caption ? { caption: caption.text, caption_entities: caption.entities } : {}),
      ...(reply_markup !== undefined ? { reply_markup } : {}),
    });
    return state.toApiMessage(message);
  },

  ...MESSAGE_EDIT_METHODS,

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
