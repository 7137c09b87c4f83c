import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { createTelegrafBot } from '../adapters/telegram/index.js';
import type { Desk } from '../ports/desk.js';
import type { Logger } from '../util/logger.js';
import { decideAccess } from './access-policy.js';
import { relayAlerts } from './alert-relay.js';
import { type BotDeps, say, type TelegramUser } from './bot-deps.js';
import { handleButton } from './button-handlers.js';
import {
  type CommandOrigin,
  digestCommand,
  editCommand,
  embargoCommand,
  listCommand,
  nowCommand,
  plainMessage,
  queueCommand,
  scheduleCommand,
  statusCommand,
  storyActionCommand,
  whoamiCommand,
} from './command-handlers.js';
import { isAddressedTo, readCommand } from './command-line.js';
import { EditorsChatMembers, type MembershipLookup } from './editors-chat-members.js';
import { FloodGate } from './flood-gate.js';
import { BOT_COMMANDS, helpText } from './help-text.js';
import { relayIntake } from './intake-relay.js';
import { OnceRegistry } from './once-registry.js';
import { Outbox } from './outbox.js';
import { createPageFetcher, type FetchPage } from './page-metadata.js';
import { PendingInputs, pendingFromQuestion } from './pending-input.js';
import { PerKeyQueue } from './per-key-queue.js';
import { isPersonalSender, PSEUDO_USER_IDS } from './pseudo-sender.js';
import { type SendPaceOptions, SendPacer } from './send-pacer.js';
import { tooLong } from './story-message.js';
import { StrangerGate } from './stranger-gate.js';

/** Webhook mode: Telegram POSTs updates to `domain` + `path` with the secret-token header. */
export interface EditorBotWebhook {
  /** Public host (`bot.example.com`, https assumed) or origin (`https://bot.example.com`, `http://127.0.0.1:8443`). */
  readonly domain: string;
  /** Path of the hook, e.g. `/telegram/hook`. */
  readonly path: string;
  /** Sent by Telegram as `X-Telegram-Bot-Api-Secret-Token`; 1-256 of `A-Za-z0-9_-`. Requests without it get 403. */
  readonly secretToken: string;
  /** Where the bot's own HTTP listener binds. Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 8443. */
  readonly port?: number;
}

export interface EditorBotOptions {
  readonly telegram: { readonly token: string; readonly apiRoot?: string };
  readonly desk: Desk;
  /** Telegram user ids of editors (`EDITOR_IDS`). */
  readonly editorIds: readonly number[];
  /** The editors' chat: alerts go there, and its members count as editors. */
  readonly editorsChatId?: number;
  /** Long polling when absent. */
  readonly webhook?: EditorBotWebhook;
  readonly logger: Logger;
  /** `/queue <url>` metadata fetcher. Default {@link createPageFetcher} (8 s, 2 MB, 5 redirects). */
  readonly fetchPage?: FetchPage;
  /** Clock in epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Per-user flood control. Default 8 requests per 10 s. */
  readonly flood?: { readonly limit?: number; readonly windowMs?: number };
  /** The bot's own identity, when known, to skip `getMe`. */
  readonly botInfo?: UserFromGetMe;
  /**
   * How fast feed-intake news may be sent (every message counts against it; only intake news waits for room).
   * Default Telegram's limits: 3 back to back then 1 per second per chat, 20 per minute per group, 25 per
   * second in all. `false`: no pacing (429s are still waited out).
   */
  readonly pace?: SendPaceOptions | false;
  /**
   * A refused non-editor is refused from memory (no `getChatMember`) and not answered again for this long.
   * Default `STRANGER_QUIET_MS` (5 min).
   */
  readonly strangerQuietMs?: number;
  /** Called once each update's handling has settled (replies sent, button answered); for metrics and tests. */
  readonly onUpdateHandled?: (updateId: number) => void;
}

/** A running (or ready) editor bot. */
export interface EditorBot {
  /** The telegraf bot, for the composition root and tests. */
  readonly bot: Telegraf;
  /**
   * Registers the commands (a refusal is logged, not fatal), subscribes to alerts and feed-intake news (when
   * the desk offers it) and starts receiving updates: long polling, or the webhook listener after
   * `setWebhook`. Resolves once updates are flowing.
   */
  start(): Promise<void>;
  /**
   * Unsubscribes, stops receiving updates, ends in-flight page fetches, drops intake news still waiting for
   * room (logged) and waits for queued handlers. Calling it again returns the same promise.
   */
  stop(): Promise<void>;
  /** Where the webhook listener is bound (webhook mode, after start). */
  webhookAddress(): { readonly host: string; readonly port: number } | undefined;
  /**
   * Whether updates are flowing, for `/readyz`: false before start, after stop, and when long polling
   * ended on its own, e.g. Telegram's 409 Conflict because another process polls with the same token.
   */
  health(): EditorBotHealth;
}

/** The editor bot's readiness: ok, and what was found (one line for an operator). */
export interface EditorBotHealth {
  readonly ok: boolean;
  readonly detail: string;
}

/** Commands anyone may use: they change nothing. */
const PUBLIC_COMMANDS = new Set(['start', 'help', 'whoami']);

interface RawMessage {
  readonly chat: { readonly id: number; readonly type: string; readonly title?: string };
  readonly from?: TelegramUser & { readonly is_bot?: boolean };
  /** Set when a chat wrote the message (an anonymous admin, a channel), not the user in `from`. */
  readonly sender_chat?: { readonly id: number };
  readonly text?: string;
  readonly caption?: string;
  readonly entities?: readonly { type: string; offset: number; length: number; url?: string }[];
  readonly caption_entities?: readonly { type: string; offset: number; length: number; url?: string }[];
  readonly forward_origin?: { readonly type: string; readonly chat?: { readonly title?: string } };
  readonly forward_from_chat?: { readonly title?: string };
  /** The message this one replies to (an answer to one of the bot's questions). */
  readonly reply_to_message?: { readonly from?: { readonly id: number }; readonly text?: string };
  /** A service message: this user left the chat or was removed. */
  readonly left_chat_member?: { readonly id: number };
}

interface RawCallbackQuery {
  readonly id: string;
  readonly from: TelegramUser;
  readonly data?: string;
  readonly message?: {
    readonly message_id: number;
    readonly chat: { readonly id: number };
    readonly text?: string;
  };
}

/**
 * The editors' Telegram bot over the {@link Desk}: commands, previews with inline buttons, alerts with
 * Retry · Skip · Mark as posted. Only editors change anything; in groups only commands addressed to the
 * bot are answered; each chat's updates are handled one at a time, in order.
 */
export function createEditorBot(options: EditorBotOptions): EditorBot {
  const bot = createTelegrafBot(options.telegram);
  if (options.botInfo) bot.botInfo = options.botInfo;
  // Webhook replies would hide answerCallbackQuery inside the HTTP response; always make real calls.
  bot.telegram.webhookReply = false;
  const logger = options.logger;
  const now = options.now ?? Date.now;
  const stopping = new AbortController();
  const pacer = options.pace === false ? undefined : new SendPacer(options.pace);
  const policy = {
    editorIds: options.editorIds,
    ...(options.editorsChatId !== undefined ? { editorsChatId: options.editorsChatId } : {}),
  };
  const editorsChatId = options.editorsChatId;
  const members =
    editorsChatId === undefined
      ? undefined
      : new EditorsChatMembers(membershipLookup(bot.telegram, editorsChatId, logger), now);
  const strangers = new StrangerGate(now, options.strangerQuietMs);
  const deps: BotDeps = {
    desk: options.desk,
    outbox: new Outbox(bot.telegram, { logger, ...(pacer ? { pacer } : {}) }),
    logger,
    now,
    policy,
    access: async (requester) => {
      const decision = decideAccess(requester, policy);
      // Only someone refused on the ids and the chat alone is worth asking Telegram about; never about a
      // pseudo-user (Telegram's answer would be about everyone who posts as it).
      if (decision.reason !== 'not-an-editor' || !members || requester.userId === undefined) return decision;
      if (PSEUDO_USER_IDS.has(requester.userId) || strangers.isRefused(requester.userId)) return decision;
      return decideAccess(requester, policy, await members.isMember(requester.userId));
    },
    pending: new PendingInputs(now),
    once: new OnceRegistry(),
    fetchPage: options.fetchPage ?? createPageFetcher(),
    stopping: stopping.signal,
  };
  const chats = new PerKeyQueue();
  const flood = new FloodGate({ ...options.flood, now });
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(task: Promise<T>): Promise<T> => {
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task)).catch(() => undefined);
    return task;
  };

  bot.catch((error, ctx) => {
    logger.error(
      { err: (error as Error).message, updateId: ctx.update.update_id },
      'editor bot: handler failed',
    );
    const chatId = ctx.chat?.id;
    if (chatId !== undefined)
      void say(deps, chatId, 'Something went wrong while handling that; check /status before trying again.');
  });

  // One chat at a time, in order: replies stay ordered and a double press is handled after the first.
  bot.use((ctx, next) => {
    const key = String(ctx.chat?.id ?? ctx.from?.id ?? 'none');
    const task = chats.run(key, () => next());
    track(task);
    const onHandled = options.onUpdateHandled;
    if (!onHandled) return task;
    return task.finally(() => onHandled(ctx.update.update_id));
  });
  bot.use((ctx, next) => guard(ctx, next));

  async function guard(ctx: Context, next: () => Promise<void>): Promise<void> {
    const update = ctx.update as { message?: RawMessage; callback_query?: RawCallbackQuery };
    if (update.callback_query) return guardButton(update.callback_query, next);
    const message = update.message;
    if (!message?.from) return; // channel posts, edits, service updates: nothing to answer
    const user = message.from;
    const text = message.text ?? message.caption ?? '';
    const command = message.text !== undefined ? readCommand(message.text) : undefined;
    if (message.chat.type !== 'private') {
      if (message.chat.id === editorsChatId) {
        const left = message.left_chat_member;
        if (left) {
          members?.left(left.id);
          return;
        }
        // Anonymous admins share one pseudo-user across every group: never a member on their word.
        if (isPersonalSender(message)) {
          members?.seen(user.id);
          strangers.forget(user.id);
        }
      }
      // In groups: commands addressed to the bot, and answers to its own questions (Mark as posted's link).
      const answersBot = !command && answersBotQuestion(message);
      if (!answersBot && (!command || !isAddressedTo(command, bot.botInfo?.username ?? ''))) return;
    }
    const isPublic = command !== undefined && PUBLIC_COMMANDS.has(command.name);
    // A stranger refused a moment ago was told; more of their messages cost nothing, not even a reply.
    if (!isPublic && strangers.isRefused(user.id)) return;
    const verdict = flood.take(user.id);
    if (verdict === 'drop') return;
    if (verdict === 'warn') {
      logger.warn({ userId: user.id }, 'editor bot: flood control');
      return say(
        deps,
        message.chat.id,
        `Slow down, please: you sent many messages at once. I will listen again in ${flood.waitSeconds(user.id)} s.`,
      );
    }
    if (!isPublic) {
      const access = await deps.access({ userId: user.id, chatId: message.chat.id });
      if (!access.allowed) {
        if (!strangers.refuse(user.id)) return;
        logger.warn(
          { userId: user.id, chatId: message.chat.id, command: command?.name ?? '(text)' },
          'editor bot: refused a non-editor',
        );
        return say(
          deps,
          message.chat.id,
          `Sorry, only the newsroom's editors can use this bot, so nothing was changed. Your Telegram id is ${user.id}; an editor can add you.`,
        );
      }
    }
    const long = tooLong(text);
    if (long) return say(deps, message.chat.id, long);
    return next();
  }

  async function guardButton(query: RawCallbackQuery, next: () => Promise<void>): Promise<void> {
    const verdict = flood.take(query.from.id);
    if (verdict !== 'allow') {
      return deps.outbox.answer(
        query.id,
        verdict === 'warn' ? 'Slow down, please: too many presses at once.' : undefined,
      );
    }
    const chatId = query.message?.chat.id;
    const access = await deps.access({ userId: query.from.id, chatId });
    if (!access.allowed) {
      // A press must be answered (the client waits for it), but is logged once per quiet period.
      if (strangers.refuse(query.from.id))
        logger.warn(
          { userId: query.from.id, chatId, data: query.data },
          'editor bot: refused a non-editor button press',
        );
      return deps.outbox.answer(query.id, 'Sorry, only editors can do that. Nothing was changed.', true);
    }
    return next();
  }

  /** A reply to one of the bot's own questions (see `pendingFromQuestion`). */
  function answersBotQuestion(message: RawMessage): boolean {
    const question = message.reply_to_message;
    return question?.from?.id === bot.botInfo?.id && pendingFromQuestion(question?.text ?? '') !== undefined;
  }

  const origin = (ctx: Context): CommandOrigin => ({ chatId: ctx.chat!.id, user: ctx.from as TelegramUser });
  const payloadOf = (ctx: Context) =>
    readCommand((ctx.message as { text?: string } | undefined)?.text ?? '')?.payload ?? '';
  const isEditor = async (ctx: Context) =>
    (await deps.access({ userId: ctx.from?.id, chatId: ctx.chat?.id })).allowed;

  bot.start(async (ctx) => say(deps, ctx.chat.id, helpText(await isEditor(ctx))));
  bot.help(async (ctx) => say(deps, ctx.chat.id, helpText(await isEditor(ctx))));
  bot.command('whoami', (ctx) => whoamiCommand(deps, origin(ctx)));
  bot.command('queue', (ctx) => queueCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('schedule', (ctx) => scheduleCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('now', (ctx) => nowCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('embargo', (ctx) => embargoCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('cancel', (ctx) => storyActionCommand(deps, origin(ctx), payloadOf(ctx), 'cancel'));
  bot.command('retry', (ctx) => storyActionCommand(deps, origin(ctx), payloadOf(ctx), 'retry'));
  bot.command('status', (ctx) => statusCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('list', (ctx) => listCommand(deps, origin(ctx)));
  bot.command('edit', (ctx) => editCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('digest', (ctx) => digestCommand(deps, origin(ctx), payloadOf(ctx)));

  bot.on('callback_query', (ctx) => {
    const query = ctx.update.callback_query as RawCallbackQuery;
    const message = query.message;
    return handleButton(deps, {
      queryId: query.id,
      user: query.from,
      data: query.data,
      ...(message
        ? { message: { chatId: message.chat.id, messageId: message.message_id, text: message.text ?? '' } }
        : {}),
    });
  });

  bot.on('message', (ctx) => {
    const message = ctx.message as RawMessage;
    const command = message.text !== undefined ? readCommand(message.text) : undefined;
    if (command) {
      const shown = `/${command.name}${command.addressee ? `@${command.addressee}` : ''}`;
      return say(deps, message.chat.id, `I don't know ${shown}. /help lists every command with an example.`);
    }
    if (message.chat.type !== 'private' && !answersBotQuestion(message)) return;
    const text = message.text ?? message.caption;
    if (text === undefined) {
      return say(
        deps,
        message.chat.id,
        'I read text only: paste the article, send /queue <link>, or forward a channel post.',
      );
    }
    const forwarded = message.forward_origin?.type === 'channel' || message.forward_from_chat !== undefined;
    const question = message.reply_to_message;
    const repliedTo = question?.from?.id === bot.botInfo?.id ? question?.text : undefined;
    const sourceTitle = message.forward_origin?.chat?.title ?? message.forward_from_chat?.title;
    return plainMessage(
      deps,
      origin(ctx),
      text,
      forwarded
        ? {
            entities: message.entities ?? message.caption_entities ?? [],
            ...(sourceTitle ? { sourceTitle } : {}),
          }
        : undefined,
      repliedTo,
    );
  });

  // Intake news goes through the same outbox, paced: a burst of events waits for room instead of hitting 429s.
  const newsDeps: BotDeps = { ...deps, outbox: deps.outbox.paced(stopping.signal) };
  let unsubscribe: (() => void) | undefined;
  let unsubscribeIntake: (() => void) | undefined;
  let server: http.Server | undefined;
  let polling: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  let state: EditorBotHealth = { ok: false, detail: 'not started' };

  return {
    bot,
    async start() {
      bot.botInfo ??= await bot.telegram.getMe();
      const registered = await deps.outbox.setCommands(
        BOT_COMMANDS.map(({ command, description }) => ({ command, description })),
      );
      if (!registered) logger.warn('editor bot: could not register the command menu; commands still work');
      unsubscribe = relayAlerts(deps, (task) => track(chats.run('alerts', task)));
      // Per target chat, apart from the chat's own updates: waiting news never holds up an editor's command.
      unsubscribeIntake = relayIntake(newsDeps, (chatId, task) => track(chats.run(`intake:${chatId}`, task)));
      const webhook = options.webhook;
      if (!webhook) {
        await new Promise<void>((resolve, reject) => {
          polling = bot.launch({ dropPendingUpdates: false }, () => {
            state = { ok: true, detail: 'receiving updates (long polling)' };
            resolve();
          });
          polling.catch((error: unknown) => {
            const detail = pollingStopped(error);
            if (stopped === undefined) state = { ok: false, detail };
            logger.error({ err: (error as Error).message }, `editor bot: ${detail}`);
            reject(error);
          });
        });
        return;
      }
      const origin = /^https?:\/\//.test(webhook.domain)
        ? webhook.domain.replace(/\/+$/, '')
        : `https://${webhook.domain}`;
      const path = webhook.path.startsWith('/') ? webhook.path : `/${webhook.path}`;
      const callback = bot.webhookCallback(path, { secretToken: webhook.secretToken });
      server = http.createServer((req, res) => {
        // telegraf's filter refuses a wrong path and a wrong secret alike; only the latter is a 403.
        void callback(req, res, () => {
          res.writeHead(req.method === 'POST' && req.url === path ? 403 : 404).end();
        });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(webhook.port ?? 8443, webhook.host ?? '127.0.0.1', () => resolve());
      });
      await bot.telegram.setWebhook(`${origin}${path}`, { secret_token: webhook.secretToken });
      logger.info({ url: `${origin}${path}` }, 'editor bot: webhook set');
      state = { ok: true, detail: 'receiving updates (webhook)' };
    },
    stop() {
      if (stopped === undefined) {
        if (state.ok) state = { ok: false, detail: 'stopped' };
        stopped = stopBot();
      }
      return stopped;
    },
    health: () => state,
    webhookAddress() {
      const address = server?.address() as AddressInfo | null | undefined;
      return address ? { host: address.address, port: address.port } : undefined;
    },
  };

  async function stopBot(): Promise<void> {
    unsubscribe?.();
    unsubscribeIntake?.();
    stopping.abort();
    if (polling) {
      // Throws when polling has already ended (another instance took over, see `health`).
      try {
        bot.stop('stop');
      } catch {}
      await polling.catch(() => undefined);
    }
    if (server) {
      const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeAllConnections();
      await closing;
    }
    await Promise.allSettled([...inFlight]);
  }
}

/** Asks Telegram whether a user is in `chatId` (getChatMember). A 400 ("user not found") is a definite no. */
function membershipLookup(telegram: Telegraf['telegram'], chatId: number, logger: Logger): MembershipLookup {
  return async (userId) => {
    try {
      const member = await telegram.getChatMember(chatId, userId);
      return (
        member.status === 'creator' ||
        member.status === 'administrator' ||
        member.status === 'member' ||
        (member.status === 'restricted' && member.is_member)
      );
    } catch (error) {
      if ((error as { code?: number }).code === 400) return false;
      logger.warn({ userId, err: (error as Error).message }, 'editor bot: could not check chat membership');
      throw error;
    }
  };
}

/** Why long polling ended, for the log and `/readyz`. */
function pollingStopped(error: unknown): string {
  const message = (error as Error).message;
  if ((error as { code?: number }).code === 409) {
    return `stopped receiving updates: another process polls Telegram with this bot's token, or a webhook is set (${message}); run the bot role in one process only`;
  }
  return `stopped receiving updates: ${message}`;
}
