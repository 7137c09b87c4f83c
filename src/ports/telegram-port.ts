import type { TelegramPayload } from '../domain/rendered.js';

/** What a sent Telegram message is known by. */
export interface SentTelegramMessage {
  readonly messageId: number;
}

/**
 * Publishing to a Telegram chat or channel. Implemented by `src/adapters/telegram/` over telegraf.
 * Every failure is thrown as a `PublishError` carrying the retry decision.
 */
export interface TelegramPort {
  /** Performs one Bot API call (`payload.method`) to `chatId` (`@name` or a numeric id). */
  send(chatId: string, payload: TelegramPayload, signal?: AbortSignal): Promise<SentTelegramMessage>;
}
