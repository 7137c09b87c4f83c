import type { Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { createTelegrafBot } from '../adapters/telegram/index.js';
import type { XPricing } from '../format/x-cost.js';
import type { CurrentDrafts } from '../ports/current-drafts.js';
import type { Desk } from '../ports/desk.js';
import type { Logger } from '../util/logger.js';
import { relayAlerts } from './alert-relay.js';
import { type BotDeps, say } from './bot-deps.js';
import { MemoryCurrentDrafts } from './current-draft.js';
import { createAccessCheck, membershipLookup } from './editor-access.js';
import { EditorsChatMembers } from './editors-chat-members.js';
import { FloodGate } from './flood-gate.js';
import { BOT_COMMANDS } from './help-text.js';
import { relayIntake } from './intake-relay.js';
import { OnceRegistry } from './once-registry.js';
import { Outbox } from './outbox.js';
import { createPageFetcher, type FetchPage } from './page-metadata.js';
import { PendingInputs } from './pending-input.js';
import { PerKeyQueue } from './per-key-queue.js';
import { registerHandlers } from './register-handlers.js';
import { type SendPaceOptions, SendPacer } from './send-pacer.js';
import { StrangerGate } from './stranger-gate.js';
import { createUpdateGuard } from './update-guard.js';
import { createWebhookServer, type EditorBotWebhook, type WebhookServer } from './webhook-server.js';

/** How {@link createEditorBot} reaches Telegram and the desk, who counts as an editor, and its limits. */
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
  /** X's prices (`x.pricing`): previews show what each thread costs. */
  readonly xPricing?: XPricing;
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
  /**
   * Where each chat's current draft (the story last previewed there) is kept; give the Redis one so it
   * survives a restart. Default: this process's memory.
   */
  readonly currentDrafts?: CurrentDrafts;
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
    access: createAccessCheck({ policy, strangers, ...(members ? { members } : {}) }),
    pending: new PendingInputs(now),
    drafts: options.currentDrafts ?? new MemoryCurrentDrafts(),
    once: new OnceRegistry(),
    fetchPage: options.fetchPage ?? createPageFetcher(),
    ...(options.xPricing ? { xPricing: options.xPricing } : {}),
    stopping: stopping.signal,
  };
  const chats = new PerKeyQueue();
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
  bot.use(
    createUpdateGuard({
      deps,
      flood: new FloodGate({ ...options.flood, now }),
      strangers,
      ...(members ? { members } : {}),
      ...(editorsChatId !== undefined ? { editorsChatId } : {}),
      me: () => bot.botInfo,
    }),
  );
  registerHandlers(bot, deps);

  // Intake news goes through the same outbox, paced: a burst of events waits for room instead of hitting 429s.
  const newsDeps: BotDeps = { ...deps, outbox: deps.outbox.paced(stopping.signal) };
  let unsubscribe: (() => void) | undefined;
  let unsubscribeIntake: (() => void) | undefined;
  let webhookServer: WebhookServer | undefined;
  let polling: Promise<void> | undefined;
  let pollingEnded = false;
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
      if (options.webhook) {
        webhookServer = createWebhookServer(bot, options.webhook, logger);
        await webhookServer.start();
        state = { ok: true, detail: 'receiving updates (webhook)' };
        return;
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot.launch({ dropPendingUpdates: false }, () => {
          state = { ok: true, detail: 'receiving updates (long polling)' };
          resolve();
        });
        const ended = () => {
          pollingEnded = true;
        };
        polling.then(ended, ended);
        polling.catch((error: unknown) => {
          const detail = pollingStopped(error);
          if (stopped === undefined) state = { ok: false, detail };
          logger.error({ err: (error as Error).message }, `editor bot: ${detail}`);
          reject(error);
        });
      });
    },
    stop() {
      if (stopped === undefined) {
        if (state.ok) state = { ok: false, detail: 'stopped' };
        stopped = stopBot();
      }
      return stopped;
    },
    health: () => state,
    webhookAddress: () => webhookServer?.address(),
  };

  async function stopBot(): Promise<void> {
    unsubscribe?.();
    unsubscribeIntake?.();
    stopping.abort();
    if (polling) {
      // telegraf's launch calls back (so start resolves) before it deletes the webhook and creates its poller:
      // a stop in between finds none ("Bot is not running!"), and polling would begin after it and never end.
      // So try again until there is a poller to stop, or polling has ended by itself (another instance took
      // over, see `health`).
      while (!pollingEnded) {
        try {
          bot.stop('stop');
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      await polling.catch(() => undefined);
    }
    await webhookServer?.close();
    await Promise.allSettled([...inFlight]);
  }
}

/** Why long polling ended, for the log and `/readyz`. */
function pollingStopped(error: unknown): string {
  const message = (error as Error).message;
  if ((error as { code?: number }).code === 409) {
    return `stopped receiving updates: another process polls Telegram with this bot's token, or a webhook is set (${message}); run the bot role in one process only`;
  }
  return `stopped receiving updates: ${message}`;
}
