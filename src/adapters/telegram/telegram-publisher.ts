import type { Telegram } from 'telegraf';
import type { TelegramPayload } from '../../domain/rendered.js';
import { PublishError } from '../../errors/publish-error.js';
import type { SentTelegramMessage, TelegramPort } from '../../ports/telegram-port.js';
import { createTelegramClient, type TelegramClientOptions } from './telegram-client.js';
import { toPublishError } from './telegram-errors.js';

/** Bounds of {@link TelegrafTelegramPublisher}'s calls. */
export interface TelegrafTelegramPublisherOptions {
  /** Upper bound on one Bot API call, in ms; past it the outcome is unknown. Default 30 000. */
  readonly timeoutMs?: number;
}

type CallApiPayload = Parameters<Telegram['callApi']>[1];
// telegraf types its signal as the `abort-controller` polyfill's; node-fetch accepts the native one.
type CallApiSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/**
 * {@link TelegramPort} over telegraf: one Bot API call per payload, with exactly the payload's
 * parameters (text + entities, never `parse_mode`). Failures are thrown as {@link PublishError}.
 */
export class TelegrafTelegramPublisher implements TelegramPort {
  readonly #timeoutMs: number;

  constructor(
    private readonly telegram: Telegram,
    options: TelegrafTelegramPublisherOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async send(chatId: string, payload: TelegramPayload, signal?: AbortSignal): Promise<SentTelegramMessage> {
    if (signal?.aborted) {
      throw new PublishError({ platform: 'telegram', kind: 'transient', reason: 'aborted before sending' });
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = (signal ? AbortSignal.any([signal, timeout]) : timeout) as unknown as CallApiSignal;
    try {
      const message =
        payload.method === 'sendMessage'
          ? await this.telegram.callApi(
              'sendMessage',
              {
                chat_id: chatId,
                text: payload.text,
                entities: payload.entities,
                ...(payload.link_preview_options
                  ? { link_preview_options: payload.link_preview_options }
                  : {}),
                ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
              } as CallApiPayload,
              { signal: combined },
            )
          : await this.telegram.callApi(
              'sendPhoto',
              {
                chat_id: chatId,
                photo: payload.photo,
                caption: payload.caption,
                caption_entities: payload.caption_entities,
                ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
              } as CallApiPayload,
              { signal: combined },
            );
      return { messageId: (message as { message_id: number }).message_id };
    } catch (err) {
      throw toPublishError(err);
    }
  }
}

/** Options of {@link createTelegramPublisher}. */
export interface TelegramPublisherOptions extends TelegramClientOptions, TelegrafTelegramPublisherOptions {}

/** A {@link TelegramPort} for a token and API root, ready to use. */
export function createTelegramPublisher(options: TelegramPublisherOptions): TelegramPort {
  return new TelegrafTelegramPublisher(createTelegramClient(options), options);
}
