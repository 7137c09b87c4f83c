import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVER_ERROR_TITLES, type ServerErrorStatus, serverErrorOf } from '../fault-kinds.js';
import { BotApiError } from './bot-api-error.js';
import { BOT_API_METHODS } from './bot-api-methods.js';
import { FaultInjector } from './fault-injector.js';
import { FloodLimiter } from './flood-limiter.js';
import { handleInspection, INSPECTION_PREFIX } from './inspection-routes.js';
import { parseParams, readBody } from './request-params.js';
import { StandInState } from './stand-in-state.js';
import type {
  ApiCallRecord,
  BotApiUpdate,
  ButtonPressInput,
  CallbackAnswer,
  StandInBotConfig,
  StandInChatConfig,
  StandInEventListener,
  StandInFaults,
  StandInMessage,
  TelegramStandInOptions,
  UserMessageInput,
} from './stand-in-types.js';
import { deliverToWebhook } from './webhook-delivery.js';

/** The default bot: token `123456:sandbox-token`, `@regwire_sandbox_bot`. */
export const TELEGRAM_SANDBOX_BOT: StandInBotConfig = {
  token: '123456:sandbox-token',
  id: 123456,
  username: 'regwire_sandbox_bot',
  firstName: 'Regwire Sandbox',
};

/** The default channel, `@regwire_sandbox`. */
export const TELEGRAM_SANDBOX_CHANNEL: StandInChatConfig = {
  id: -1001000000001,
  type: 'channel',
  title: 'Regwire Sandbox',
  username: 'regwire_sandbox',
};

/** The default chats: the sandbox channel and a supergroup. */
export const DEFAULT_STAND_IN_CHATS: readonly StandInChatConfig[] = [
  TELEGRAM_SANDBOX_CHANNEL,
  { id: -1001000000002, type: 'supergroup', title: 'Regwire Desk' },
];

/** A running stand-in Bot API server and its inspection API. */
export interface TelegramStandIn {
  /** Root URL for telegraf's `apiRoot`, with a trailing slash, e.g. `http://127.0.0.1:40123/`. */
  readonly apiRoot: string;
  readonly port: number;
  /** Root URL of the HTTP inspection API (`…/_standin/`). */
  readonly inspectionRoot: string;
  readonly faults: StandInFaults;
  /** Everything bots posted, in order (with edit history and deleted flag), optionally for one chat (`@name` or id). */
  messages(chat?: number | string): StandInMessage[];
  /**
   * Makes a bot message look sent `byMs` earlier (its `date` moves back), e.g. past the 48-hour delete
   * limit; also `POST /_standin/age-message`. Returns the message as it now is.
   */
  ageMessage(chat: number | string, messageId: number, byMs: number): StandInMessage;
  /** What bots said in a chat, deleted messages left out. */
  botReplies(chat: number | string): StandInMessage[];
  /** Queues a `message` (or `channel_post`) update as if a user wrote `text`; commands get `bot_command` entities. */
  sendUserMessage(input: UserMessageInput): BotApiUpdate;
  /** Queues a `callback_query` update for an inline button under a bot message. */
  pressButton(input: ButtonPressInput): BotApiUpdate;
  /**
   * A user leaves or is removed from a group: `getChatMember` says `left`; the bot gets `left_chat_member`
   * unless `notify` is false (a group that hides join and leave messages).
   */
  removeMember(chatId: number, userId: number, notify?: boolean): BotApiUpdate | undefined;
  callbackAnswers(): CallbackAnswer[];
  /** Bot API calls received with a valid token, oldest first (bounded log). */
  calls(method?: string): ApiCallRecord[];
  /** Subscribes to posted/edited/deleted messages, queued updates and callback answers; returns the unsubscriber. */
  onEvent(listener: StandInEventListener): () => void;
  /** Ends waiting long polls, drops held connections and stops the server. */
  close(): Promise<void>;
}

const API_PATH = /^\/bot([^/]+)\/(?:test\/)?([^/]*)$/;

function respond(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

const notFound = new BotApiError(404, 'Not Found');

/**
 * A 5xx: the Bot API server's own JSON error for 500, the front end's HTML page for the gateway statuses
 * (clients must not count on a JSON body there).
 */
function respondServerError(res: ServerResponse, status: ServerErrorStatus): void {
  const title = SERVER_ERROR_TITLES[status];
  if (status === 500) {
    respond(res, status, new BotApiError(status, title).toJSON());
    return;
  }
  if (res.destroyed || res.headersSent) return;
  const html = `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

/**
 * Starts a stand-in for the Telegram Bot API on loopback: a strict subset of the real API (same paths,
 * bodies, result shapes and error descriptions), flood control, long polling, fault injection and an
 * inspection API. Point telegraf at it with `{ telegram: { apiRoot: standIn.apiRoot } }`.
 */
export async function startTelegramStandIn(options: TelegramStandInOptions = {}): Promise<TelegramStandIn> {
  const now = options.now ?? Date.now;
  const state = new StandInState(
    options.bots ?? [TELEGRAM_SANDBOX_BOT],
    options.chats ?? DEFAULT_STAND_IN_CHATS,
    now,
  );
  const faults = new FaultInjector(options.seed ?? 1);
  const flood = options.floodLimits === false ? undefined : new FloodLimiter(options.floodLimits ?? {}, now);
  const maxLongPollSeconds = options.maxLongPollSeconds ?? 50;
  const held = new Set<ServerResponse>();
  const basePath = `/${(options.basePath ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  let closing = false;

  state.onEvent((event) => {
    if (event.type !== 'update-queued') return;
    const bot = state.botById(event.botId);
    if (bot.webhook) void deliverToWebhook(state, bot);
  });

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!url.pathname.startsWith(basePath)) return respond(res, 404, notFound.toJSON());
    const match = API_PATH.exec(url.pathname.slice(basePath.length - 1));
    if (!match) return respond(res, 404, notFound.toJSON());
    const bot = state.botByToken(decodeURIComponent(match[1] ?? ''));
    if (!bot) return respond(res, 401, new BotApiError(401, 'Unauthorized').toJSON());
    const method = match[2] ?? '';
    const handler = BOT_API_METHODS[method.toLowerCase()];
    if (!handler) return respond(res, 404, notFound.toJSON());

    const body = await readBody(req);
    state.recordCall(bot.config.id, method);
    const fault = faults.pick(method);
    if (fault?.kind === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'latency') await sleep(fault.latencyMs ?? 200);
    if (fault?.kind === 'http-429') {
      const retryAfter = fault.retryAfterSec ?? 1;
      const error = new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
        retry_after: retryAfter,
      });
      return respond(res, 429, error.toJSON());
    }
    const serverError = fault ? serverErrorOf(fault.kind) : undefined;
    if (serverError && !serverError.afterActing) return respondServerError(res, serverError.status);

    const disconnected = new AbortController();
    res.on('close', () => disconnected.abort());
    let status = 200;
    let payload: unknown;
    try {
      const params = parseParams(url, req.headers['content-type'], body);
      const result = await handler({
        state,
        bot,
        params,
        signal: disconnected.signal,
        flood,
        maxLongPollSeconds,
      });
      payload = { ok: true, result };
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      status = error.errorCode;
      payload = error.toJSON();
    }
    if (serverError?.afterActing) return respondServerError(res, serverError.status);
    if (fault?.kind === 'drop-after') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout-after') {
      // Held until the client gives up or the stand-in closes.
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    respond(res, status, payload);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in.local');
    const work = url.pathname.startsWith(INSPECTION_PREFIX)
      ? handleInspection(req, res, url, state, faults)
      : handleApi(req, res, url);
    work.catch((error: unknown) => {
      if (error instanceof BotApiError) return respond(res, error.errorCode, error.toJSON());
      if (closing) return;
      respond(res, 500, new BotApiError(500, 'Internal Server Error').toJSON());
      console.error('telegram stand-in: unexpected error', error);
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  const apiRoot = `${origin}${basePath}`;

  return {
    apiRoot,
    port: address.port,
    inspectionRoot: `${origin}${INSPECTION_PREFIX}`,
    faults,
    messages: (chat) => state.messages(chat),
    ageMessage: (chat, messageId, byMs) => state.ageMessage(chat, messageId, byMs),
    botReplies: (chat) => state.messages(chat).filter((message) => !message.deleted),
    sendUserMessage: (input) => state.sendUserMessage(input),
    pressButton: (input) => state.pressButton(input),
    removeMember: (chatId, userId, notify) => state.removeMember(chatId, userId, notify),
    callbackAnswers: () => state.callbackAnswers(),
    calls: (method) => state.calls(method),
    onEvent: (listener) => state.onEvent(listener),
    async close() {
      closing = true;
      for (const bot of state.bots) bot.queue.release();
      for (const res of held) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
