import type { Telegram } from 'telegraf';
import type { TelegramPayload } from '../../domain/rendered.js';
import type { TelegramEdit } from '../../domain/telegram-edit.js';
import { PublishError } from '../../errors/publish-error.js';
import type {
  SentTelegramMessage,
  TelegramDeleteOutcome,
  TelegramEditOutcome,
  TelegramPort,
  TelegramSendOptions,
} from '../../ports/telegram-port.js';
import { createTelegramClient, type TelegramClientOptions } from './telegram-client.js';
import { isAlreadyDeleted, isNotModified, toDeleteError, toPinError } from './telegram-edit-errors.js';
import { toPublishError } from './telegram-errors.js';

/** Bounds of {@link TelegrafTelegramPublisher}'s calls. */
export interface TelegrafTelegramPublisherOptions {
  /** Upper bound on one Bot API call, in ms; past it the outcome is unknown. Default 30 000. */
  readonly timeoutMs?: number;
}

type CallApiMethod = Parameters<Telegram['callApi']>[0];
type CallApiPayload = Parameters<Telegram['callApi']>[1];
// telegraf types its signal as the `abort-controller` polyfill's; node-fetch accepts the native one.
type CallApiSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/**
 * {@link TelegramPort} over telegraf: one Bot API call per payload or edit, with exactly its parameters
 * (text + entities, never `parse_mode`). Failures are thrown as {@link PublishError}; a call aborted
 * before it started is `transient`.
 */
export class TelegrafTelegramPublisher implements TelegramPort {
  readonly #timeoutMs: number;

  constructor(
    private readonly telegram: Telegram,
    options: TelegrafTelegramPublisherOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async send(
    chatId: string,
    payload: TelegramPayload,
    signal?: AbortSignal,
    options: TelegramSendOptions = {},
  ): Promise<SentTelegramMessage> {
    const sendOptions = {
      ...(options.replyToMessageId !== undefined
        ? { reply_parameters: { message_id: options.replyToMessageId } }
        : {}),
      ...(options.silent ? { disable_notification: true } : {}),
      ...(options.protectContent ? { protect_content: true } : {}),
    };
    const params =
      payload.method === 'sendMessage'
        ? {
            chat_id: chatId,
            text: payload.text,
            entities: payload.entities,
            ...(payload.link_preview_options ? { link_preview_options: payload.link_preview_options } : {}),
            ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
            ...sendOptions,
          }
        : {
            chat_id: chatId,
            photo: payload.photo,
            caption: payload.caption,
            caption_entities: payload.caption_entities,
            ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
            ...sendOptions,
          };
    try {
      const message = await this.#call(payload.method, params, signal ?? options.signal);
      return { messageId: (message as { message_id: number }).message_id };
    } catch (err) {
      throw toPublishError(err);
    }
  }

  /** `editMessageText` / `editMessageCaption`; Telegram's "message is not modified" resolves `unchanged`. */
  async edit(
    chatId: string,
    messageId: number,
    edit: TelegramEdit,
    signal?: AbortSignal,
  ): Promise<TelegramEditOutcome> {
    const { method, ...fields } = edit;
    try {
      await this.#call(method, { chat_id: chatId, message_id: messageId, ...fields }, signal);
      return 'edited';
    } catch (err) {
      if (isNotModified(err)) return 'unchanged';
      throw toPublishError(err);
    }
  }

  /** `deleteMessage`; a message already gone resolves `already-gone`, one 48 hours old is refused. */
  async delete(chatId: string, messageId: number, signal?: AbortSignal): Promise<TelegramDeleteOutcome> {
    try {
      await this.#call('deleteMessage', { chat_id: chatId, message_id: messageId }, signal);
      return 'deleted';
    } catch (err) {
      if (isAlreadyDeleted(err)) return 'already-gone';
      throw toDeleteError(err);
    }
  }

  async pin(chatId: string, messageId: number, options: { silent?: boolean; signal?: AbortSignal } = {}) {
    const params = {
      chat_id: chatId,
      message_id: messageId,
      ...(options.silent ? { disable_notification: true } : {}),
    };
    try {
      await this.#call('pinChatMessage', params, options.signal);
    } catch (err) {
      throw toPinError(err);
    }
  }

  async unpin(chatId: string, messageId?: number, signal?: AbortSignal): Promise<void> {
    const params = { chat_id: chatId, ...(messageId !== undefined ? { message_id: messageId } : {}) };
    try {
      await this.#call('unpinChatMessage', params, signal);
    } catch (err) {
      throw toPinError(err);
    }
  }

  /** One Bot API call, bounded by the timeout and `signal`. Throws what telegraf throws. */
  async #call(method: CallApiMethod, params: object, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) {
      throw new PublishError({ platform: 'telegram', kind: 'transient', reason: 'aborted before sending' });
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = (signal ? AbortSignal.any([signal, timeout]) : timeout) as unknown as CallApiSignal;
    return this.telegram.callApi(method, params as CallApiPayload, { signal: combined });
  }
}

/** Options of {@link createTelegramPublisher}. */
export interface TelegramPublisherOptions extends TelegramClientOptions, TelegrafTelegramPublisherOptions {}

/** A {@link TelegramPort} for a token and API root, ready to use. */
export function createTelegramPublisher(options: TelegramPublisherOptions): TelegramPort {
  return new TelegrafTelegramPublisher(createTelegramClient(options), options);
}
