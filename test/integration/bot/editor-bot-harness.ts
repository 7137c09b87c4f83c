import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { standInEnv } from '../../../harness/stand-in-env.js';
import type { DeskService } from '../../../src/app/desk-service.js';
import { createDeskServices, type DeskServices } from '../../../src/app/desk-services.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import { createEditorBot, type EditorBot, type EditorBotOptions } from '../../../src/bot/index.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Alert } from '../../../src/ports/alert-bus.js';
import type { IntakeEvent } from '../../../src/ports/intake-bus.js';
import {
  type BotApiUpdate,
  type StandInMessage,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
  type TelegramStandInOptions,
} from '../../../src/sandbox/standins/telegram/index.js';
import type { XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { createLogger, silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';
import { type DeskSnapshot, deskSnapshot } from './desk-snapshot.js';

export const EDITOR_ID = 4242;
export const SECOND_EDITOR_ID = 4343;
export const OUTSIDER_ID = 9999;
export const DESK_GROUP_ID = -1001000000002;
export const BOT_USERNAME = TELEGRAM_SANDBOX_BOT.username;

/**
 * The desk's clock in these tests starts on a weekday morning in Berlin (Thu 28 Nov 2030, 10:00), so the
 * planner's quiet hours and slots give the same answers whenever the suite runs; it then runs at real speed.
 */
export const HARNESS_START_MS = Date.parse('2030-11-28T09:00:00Z');

export interface HarnessOptions {
  readonly standIn?: TelegramStandInOptions;
  readonly bot?: Partial<Omit<EditorBotOptions, 'telegram' | 'desk' | 'logger' | 'now' | 'onUpdateHandled'>>;
  /** Runs between starting the stand-in and starting the bot (e.g. to arm faults). */
  readonly beforeStart?: (standIn: TelegramStandIn) => void;
  /**
   * Also runs regwire's publish workers, posting to the Telegram stand-in's channel and to this X stand-in.
   * The desk then runs on the real clock (workers wait for real time).
   */
  readonly publishTo?: { readonly x: XStandIn };
  /** More environment for the configuration (e.g. `REGWIRE_CONFIG_DIR` for other settings). */
  readonly env?: Readonly<Record<string, string>>;
  /** The clock the intake bus ages its messages with (default the real one; not with `publishTo`). */
  readonly busNow?: () => number;
}

/** A clock tests can move forward; shared by the desk and the bot. */
export interface HarnessClock {
  now(): number;
  advance(ms: number): void;
}

/**
 * A stand-in, the real desk on Redis (its own key prefix, removed on close) and the real editor bot polling
 * the stand-in, plus helpers that act as a user would and wait until the bot has handled what they did.
 */
export interface Harness {
  readonly standIn: TelegramStandIn;
  readonly desk: DeskService;
  readonly services: DeskServices;
  readonly editor: EditorBot;
  readonly clock: HarnessClock;
  /** The key prefix everything of this harness is stored under (removed on close). */
  readonly prefix: string;
  /** Every log line the bot wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Sends `text` as a user, waits until the bot has handled it and returns the bot's new messages in that chat. */
  say(
    text: string,
    options?: {
      fromId?: number;
      chatId?: number;
      username?: string;
      /** At least this many replies are expected (default 1); fewer fail the test. */
      expect?: number;
      forwardedFromChatId?: number | string;
      /** Answers this bot message (as Telegram clients do after a `force_reply` question). */
      replyToMessageId?: number;
    },
  ): Promise<StandInMessage[]>;
  /** Waits until the bot has handled every one of these updates. */
  handled(...updates: readonly BotApiUpdate[]): Promise<void>;
  /** Presses a button by its label on a bot message, waits until it is handled and returns the answer. */
  press(
    message: StandInMessage,
    label: string,
    options?: { fromId?: number },
  ): Promise<{ text?: string; show_alert: boolean }>;
  /** Raises an alert on the desk's alert bus, as a worker does, and waits until the bot has handled it. */
  alert(alert: Alert): Promise<void>;
  /** Publishes feed-intake news on the desk's bus, as feed intake does, and waits until the bot has handled it. */
  intake(...events: readonly IntakeEvent[]): Promise<void>;
  /** The bot's messages in a chat. */
  replies(chat?: number): StandInMessage[];
  /** The message's current version (after edits). */
  current(message: StandInMessage): StandInMessage;
  /** A destination's publication state as the desk reports it. */
  stateOf(storyId: string, destination: string): Promise<string | undefined>;
  /** Every story the desk holds. */
  storyCount(): Promise<number>;
  /** What the desk holds in Redis (streams left out), to show that something changed nothing. */
  snapshot(): Promise<DeskSnapshot>;
  /** Stops the bot and starts a new one with the same settings, stand-in and desk (what it remembered is gone). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Buttons of a message as `label → callback_data`. */
export function buttonsOf(message: StandInMessage): Map<string, string> {
  const rows = (
    message.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined
  )?.inline_keyboard;
  return new Map((rows ?? []).flat().map((button) => [button.text, button.callback_data ?? '']));
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = await startTelegramStandIn({ floodLimits: false, ...options.standIn });
  options.beforeStart?.(standIn);
  const prefix = uniquePrefix('bot');
  const redis: Redis = testRedis();
  let offsetMs = 0;
  const startedAt = Date.now();
  const realClock = options.publishTo !== undefined;
  const clock: HarnessClock = {
    now: () => (realClock ? Date.now() : HARNESS_START_MS + (Date.now() - startedAt)) + offsetMs,
    advance: (ms) => {
      offsetMs += ms;
    },
  };
  let app: App | undefined;
  let services: DeskServices;
  if (options.publishTo) {
    const env = { ...standInEnv({ prefix, telegram: standIn, x: options.publishTo.x }), ...options.env };
    app = await startApp(loadConfig({ env }), silentLogger, {
      roles: { workers: true, web: false, maintenance: false },
    });
    services = app.services;
  } else {
    const config = loadConfig({
      env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix, ...options.env },
    });
    services = createDeskServices(config, redis, silentLogger, {
      now: clock.now,
      ...(options.busNow ? { busNow: options.busNow } : {}),
    });
  }
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      callback();
    },
  });
  const handledIds = new Set<number>();
  const newBot = () =>
    createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot },
      desk: services.desk,
      editorIds: [EDITOR_ID, SECOND_EDITOR_ID],
      logger: createLogger('info', sink),
      fetchPage: async () => {
        throw new Error('offline in tests');
      },
      flood: { limit: 1_000 },
      now: clock.now,
      onUpdateHandled: (id) => handledIds.add(id),
      ...options.bot,
    });
  let editor = newBot();
  await editor.start();
  const handled = async (...updates: readonly BotApiUpdate[]) => {
    await waitFor(() => updates.every((u) => handledIds.has(u.update_id)), {
      what: `the bot to handle update(s) ${updates.map((u) => u.update_id).join(', ')}`,
      intervalMs: 5,
    });
  };
  const harness: Harness = {
    standIn,
    desk: services.desk,
    services,
    get editor() {
      return editor;
    },
    clock,
    prefix,
    logs,
    handled,
    async restart() {
      await editor.stop();
      editor = newBot();
      await editor.start();
    },
    async say(text, sayOptions = {}) {
      const fromId = sayOptions.fromId ?? EDITOR_ID;
      const chat = sayOptions.chatId ?? fromId;
      const before = safeReplies(standIn, chat).length;
      const update = standIn.sendUserMessage({
        fromId,
        text,
        ...(sayOptions.chatId !== undefined ? { chatId: sayOptions.chatId } : {}),
        ...(sayOptions.username ? { username: sayOptions.username } : {}),
        ...(sayOptions.forwardedFromChatId !== undefined
          ? { forwardedFromChatId: sayOptions.forwardedFromChatId }
          : {}),
        ...(sayOptions.replyToMessageId !== undefined
          ? { replyToMessageId: sayOptions.replyToMessageId }
          : {}),
      });
      await handled(update);
      const replies = safeReplies(standIn, chat).slice(before);
      expect(replies.length, `replies to "${text.slice(0, 40)}"`).toBeGreaterThanOrEqual(
        sayOptions.expect ?? 1,
      );
      return replies;
    },
    async press(message, label, pressOptions = {}) {
      const data = buttonsOf(message).get(label);
      expect(data, `button "${label}"`).toBeDefined();
      const answersBefore = standIn.callbackAnswers().length;
      const update = standIn.pressButton({
        fromId: pressOptions.fromId ?? EDITOR_ID,
        messageChatId: message.chat.id,
        messageId: message.message_id,
        data: data!,
      });
      await handled(update);
      const answer = standIn.callbackAnswers()[answersBefore];
      if (!answer) {
        const failures = logs.filter((line) => line.level === 'error' || line.level === 50);
        throw new Error(`"${label}" was not answered; bot errors: ${JSON.stringify(failures)}`);
      }
      return answer;
    },
    async alert(alert) {
      await services.alerts.publish(alert);
      await waitFor(async () => (await services.alerts.backlog()) === 0, {
        what: 'the bot to handle the alert',
        intervalMs: 10,
      });
    },
    async intake(...events) {
      for (const event of events) await services.intake.publish(event);
      await waitFor(async () => (await services.intake.backlog()) === 0, {
        what: 'the bot to handle the intake news',
        intervalMs: 10,
      });
    },
    replies: (chat = EDITOR_ID) => safeReplies(standIn, chat),
    current: (message) => standIn.messages(message.chat.id).find((m) => m.message_id === message.message_id)!,
    async stateOf(storyId, destination) {
      return (await services.store.publications(storyId)).find((p) => p.destination === destination)?.state;
    },
    async storyCount() {
      return (await services.store.recent(100_000)).length;
    },
    snapshot: () => deskSnapshot(redis, prefix),
    async close() {
      await editor.stop();
      if (app) await app.close();
      else await services.close();
      await standIn.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
    },
  };
  return harness;
}

function safeReplies(standIn: TelegramStandIn, chat: number): StandInMessage[] {
  try {
    return standIn.botReplies(chat);
  } catch {
    return [];
  }
}

/** The last message with buttons among `messages`. */
export function keyboardMessage(messages: readonly StandInMessage[]): StandInMessage {
  const found = [...messages].reverse().find((m) => buttonsOf(m).size > 0);
  if (!found) throw new Error(`no message with buttons among ${messages.map((m) => m.text).join(' | ')}`);
  return found;
}

/** The story id a preview names ("Preview of k3m9x2qa: …"). */
export function previewedStoryId(preview: StandInMessage): string {
  const id = /Preview of ([0-9a-z]{8})\b/.exec(preview.text ?? '')?.[1];
  if (!id) throw new Error(`not a preview: ${preview.text}`);
  return id;
}

/**
 * Waits until each of `destinations` of the story (a story's, or an amendment's such as `telegram~c1`)
 * is published.
 */
export async function publishedOn(
  stateOf: (storyId: string, destination: string) => Promise<string | undefined>,
  storyId: string,
  destinations: readonly string[],
  what: string,
): Promise<void> {
  await waitFor(
    async () => {
      for (const d of destinations) if ((await stateOf(storyId, d)) !== 'published') return false;
      return true;
    },
    { what, timeoutMs: 20_000 },
  );
}

/** Queues `article` through /queue, presses Post now and waits until it is out on both platforms. */
export async function postedFromBot(h: Harness, article: string): Promise<string> {
  const keyboard = keyboardMessage(await h.say(`/queue ${article}`, { expect: 3 }));
  const storyId = previewedStoryId(keyboard);
  await h.press(keyboard, 'Post now');
  await publishedOn(h.stateOf, storyId, ['telegram', 'x'], 'the story to be published');
  return storyId;
}
