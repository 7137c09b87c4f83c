import { Telegraf, Telegram } from 'telegraf';

/** The public Bot API root. */
export const TELEGRAM_API_ROOT = 'https://api.telegram.org/';

/** The bot and the Bot API server a telegraf client talks to. */
export interface TelegramClientOptions {
  /** The bot's token (never logged). */
  readonly token: string;
  /** Bot API root (the public API, a self-hosted Bot API server or the stand-in). Default {@link TELEGRAM_API_ROOT}. */
  readonly apiRoot?: string;
}

/**
 * telegraf builds call URLs as `new URL('./bot<token>/<method>', apiRoot)`, so a root with a path must end
 * with `/` or its last segment is replaced. Adds the slash when missing.
 */
export function normalizeApiRoot(apiRoot: string): string {
  return apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`;
}

/**
 * A telegraf `Telegram` client for publishing. telegraf has no request-timeout option (its fetch timeout
 * is hard-coded to 500 s), so callers bound each call with an `AbortSignal`; see `TelegrafTelegramPublisher`.
 */
export function createTelegramClient(options: TelegramClientOptions): Telegram {
  return new Telegram(options.token, { apiRoot: normalizeApiRoot(options.apiRoot ?? TELEGRAM_API_ROOT) });
}

/** A telegraf bot (updates, commands) against the same API root. */
export function createTelegrafBot(options: TelegramClientOptions): Telegraf {
  return new Telegraf(options.token, {
    telegram: { apiRoot: normalizeApiRoot(options.apiRoot ?? TELEGRAM_API_ROOT) },
  });
}
