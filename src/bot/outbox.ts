import { type Telegram, TelegramError } from 'telegraf';
import type { ForceReply, InlineKeyboardMarkup, TelegramPayload } from '../domain/rendered.js';
import type { Logger } from '../util/logger.js';
import type { SendPacer } from './send-pacer.js';

type CallApiMethod = Parameters<Telegram['callApi']>[0];
type CallApiPayload = Parameters<Telegram['callApi']>[1];

/** How an {@link Outbox} logs, retries a 429 and counts its sends. */
export interface OutboxOptions {
  readonly logger: Logger;
  /** A 429 asking to wait longer than this is not waited for (the reply is dropped and logged). Default 10 s. */
  readonly maxRetryAfterSec?: number;
  /** Attempts per call, including the first. Default 3. */
  readonly attempts?: number;
  /** Telegram's send budget: every message is counted; a {@link Outbox.paced} outbox waits for room. */
  readonly pacer?: SendPacer;
}

/** A message the bot sent, as far as the bot needs to know it. */
export interface SentMessage {
  readonly chatId: number | string;
  readonly messageId: number;
}

const NOT_MODIFIED = /message is not modified/i;

/**
 * Every call the editor bot makes to Telegram goes through here: a 429 is waited out (Telegraf never retries)
 * and any other failure is logged and reported as `undefined`, so a reply that cannot be sent never crashes
 * the handler that sends it.
 */
export class Outbox {
  readonly #logger: Logger;
  readonly #maxRetryAfterSec: number;
  readonly #attempts: number;
  readonly #options: OutboxOptions;
  /** Set on a paced outbox: each message waits for room; waiting ends (message dropped) when it aborts. */
  #pacedUntil: AbortSignal | undefined;

  constructor(
    private readonly telegram: Telegram,
    options: OutboxOptions,
  ) {
    this.#options = options;
    this.#logger = options.logger;
    this.#maxRetryAfterSec = options.maxRetryAfterSec ?? 10;
    this.#attempts = options.attempts ?? 3;
  }

  /**
   * The same outbox (same Telegram client, retries and send budget), except that each message first waits
   * until its chat has room under Telegram's limits: for news nobody is waiting for, so a burst is spread out
   * instead of running into 429s. When `signal` aborts (the bot stops), waiting messages are dropped and
   * logged. Without a pacer this outbox itself is returned.
   */
  paced(signal: AbortSignal = new AbortController().signal): Outbox {
    if (!this.#options.pacer) return this;
    const paced = new Outbox(this.telegram, this.#options);
    paced.#pacedUntil = signal;
    return paced;
  }

  /** Sends plain text (no entities), optionally with an inline keyboard or a reply request. */
  async text(
    chatId: number | string,
    text: string,
    keyboard?: InlineKeyboardMarkup | ForceReply,
  ): Promise<SentMessage | undefined> {
    return this.#send(chatId, 'sendMessage', {
      text,
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  }

  /** Performs a rendered payload's call (text + entities or photo + caption) in `chatId`. */
  async payload(chatId: number | string, payload: TelegramPayload): Promise<SentMessage | undefined> {
    const { method, ...params } = payload;
    return this.#send(chatId, method, params);
  }

  /** Replaces a message's text (and keyboard: removed when `keyboard` is undefined). */
  async editText(
    chatId: number | string,
    messageId: number,
    text: string,
    keyboard?: InlineKeyboardMarkup,
  ): Promise<boolean> {
    const result = await this.#call('editMessageText', {
      chat_id: chatId,
      message_id: messageId,
      text,
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    return result !== undefined;
  }

  /** Answers a button press (the little toast, or an alert box with `showAlert`). */
  async answer(callbackQueryId: string, text?: string, showAlert = false): Promise<void> {
    await this.#call('answerCallbackQuery', {
      callback_query_id: callbackQueryId,
      ...(text ? { text: text.slice(0, 200), show_alert: showAlert } : {}),
    });
  }

  /** Registers the command menu; false (logged) when Telegram refused. */
  async setCommands(commands: readonly { command: string; description: string }[]): Promise<boolean> {
    return (await this.#call('setMyCommands', { commands })) !== undefined;
  }

  async #send(chatId: number | string, method: string, params: object): Promise<SentMessage | undefined> {
    const pacer = this.#options.pacer;
    if (pacer && this.#pacedUntil) {
      if (!(await pacer.wait(chatId, this.#pacedUntil))) {
        this.#logger.warn({ method, chatId }, 'editor bot: message dropped, the bot is stopping');
        return undefined;
      }
    } else {
      pacer?.note(chatId);
    }
    const result = (await this.#call(method, { chat_id: chatId, ...params })) as
      | { message_id?: number }
      | undefined;
    return result?.message_id === undefined ? undefined : { chatId, messageId: result.message_id };
  }

  async #call(method: string, params: object): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.telegram.callApi(method as CallApiMethod, params as CallApiPayload);
      } catch (error) {
        if (error instanceof TelegramError && NOT_MODIFIED.test(error.description)) return true;
        const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
        if (
          error instanceof TelegramError &&
          error.code === 429 &&
          retryAfter !== undefined &&
          retryAfter <= this.#maxRetryAfterSec &&
          attempt < this.#attempts
        ) {
          await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
          continue;
        }
        const description = error instanceof TelegramError ? error.description : (error as Error).message;
        this.#logger.warn({ method, attempt, err: description }, 'editor bot: Telegram call failed');
        return undefined;
      }
    }
  }
}
