import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { createEditorBot, type EditorBot, type EditorBotOptions } from '../../../src/bot/index.js';
import {
  type StandInMessage,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
  type TelegramStandInOptions,
} from '../../../src/standins/telegram/index.js';
import { createLogger } from '../../../src/util/logger.js';
import { MemoryDesk, type MemoryDeskOptions } from '../../support/memory-desk.js';

export const EDITOR_ID = 4242;
export const SECOND_EDITOR_ID = 4343;
export const OUTSIDER_ID = 9999;
export const DESK_GROUP_ID = -1001000000002;
export const BOT_USERNAME = TELEGRAM_SANDBOX_BOT.username;

export interface HarnessOptions {
  readonly desk?: MemoryDeskOptions;
  readonly deskInstance?: MemoryDesk;
  readonly standIn?: TelegramStandInOptions;
  readonly bot?: Partial<Omit<EditorBotOptions, 'telegram' | 'desk' | 'logger'>>;
  /** Runs between starting the stand-in and starting the bot (e.g. to arm faults). */
  readonly beforeStart?: (standIn: TelegramStandIn) => void;
}

/** A stand-in, a memory desk and the real editor bot polling it, plus helpers that act as a user would. */
export interface Harness {
  readonly standIn: TelegramStandIn;
  readonly desk: MemoryDesk;
  readonly editor: EditorBot;
  /** Every log line the bot wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Sends `text` as a user and returns the bot's new messages in that chat once it has gone quiet. */
  say(
    text: string,
    options?: {
      fromId?: number;
      chatId?: number;
      username?: string;
      expect?: number;
      forwardedFromChatId?: number | string;
      /** Answers this bot message (as Telegram clients do after a `force_reply` question). */
      replyToMessageId?: number;
    },
  ): Promise<StandInMessage[]>;
  /** Presses a button by its label on a bot message and returns the callback answer. */
  press(
    message: StandInMessage,
    label: string,
    options?: { fromId?: number },
  ): Promise<{ text?: string; show_alert: boolean }>;
  /** The bot's messages in a chat. */
  replies(chat?: number): StandInMessage[];
  /** The message's current version (after edits). */
  current(message: StandInMessage): StandInMessage;
  /** Stops the bot and starts a new one with the same settings, stand-in and desk (what it remembered is gone). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Waits until `count()` has grown past `from` by at least `atLeast`, then until it stops changing for `quietMs`. */
export async function settle(
  count: () => number,
  from: number,
  atLeast = 1,
  quietMs = 120,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = count();
  let stableSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = count();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    if (now - from >= atLeast && Date.now() - stableSince >= quietMs) return;
    if (Date.now() > deadline) {
      if (now - from >= atLeast) return;
      throw new Error(`expected ${atLeast} new message(s), got ${now - from}`);
    }
  }
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
  const desk = options.deskInstance ?? new MemoryDesk(options.desk);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      callback();
    },
  });
  const newBot = () =>
    createEditorBot({
      telegram: { token: TELEGRAM_SANDBOX_BOT.token, apiRoot: standIn.apiRoot },
      desk,
      editorIds: [EDITOR_ID, SECOND_EDITOR_ID],
      logger: createLogger('info', sink),
      fetchPage: async () => {
        throw new Error('offline in tests');
      },
      flood: { limit: 1_000 },
      ...options.bot,
    });
  let editor = newBot();
  await editor.start();
  const harness: Harness = {
    standIn,
    desk,
    get editor() {
      return editor;
    },
    logs,
    async restart() {
      await editor.stop();
      editor = newBot();
      await editor.start();
    },
    async say(text, sayOptions = {}) {
      const fromId = sayOptions.fromId ?? EDITOR_ID;
      const chat = sayOptions.chatId ?? fromId;
      const before = safeReplies(standIn, chat).length;
      standIn.sendUserMessage({
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
      await settle(() => safeReplies(standIn, chat).length, before, sayOptions.expect ?? 1);
      return safeReplies(standIn, chat).slice(before);
    },
    async press(message, label, pressOptions = {}) {
      const data = buttonsOf(message).get(label);
      expect(data, `button "${label}"`).toBeDefined();
      const answersBefore = standIn.callbackAnswers().length;
      standIn.pressButton({
        fromId: pressOptions.fromId ?? EDITOR_ID,
        messageChatId: message.chat.id,
        messageId: message.message_id,
        data: data!,
      });
      await settle(() => standIn.callbackAnswers().length, answersBefore, 1, 80);
      // Give the edit or follow-up message that comes after the answer time to land.
      await settle(() => standIn.messages().reduce((n, m) => n + 1 + m.history.length, 0), 0, 0, 120);
      return standIn.callbackAnswers().at(-1)!;
    },
    replies: (chat = EDITOR_ID) => safeReplies(standIn, chat),
    current: (message) => standIn.messages(message.chat.id).find((m) => m.message_id === message.message_id)!,
    async close() {
      await editor.stop();
      await standIn.close();
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
