import type { Context } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { type BotDeps, say } from './bot-deps.js';
import { isAddressedTo, readCommand } from './command-line.js';
import type { EditorsChatMembers } from './editors-chat-members.js';
import type { FloodGate } from './flood-gate.js';
import { isPersonalSender } from './pseudo-sender.js';
import { answersBotQuestion, type RawCallbackQuery, type RawMessage } from './raw-update.js';
import { tooLong } from './story-message.js';
import type { StrangerGate } from './stranger-gate.js';

/** What {@link createUpdateGuard} checks updates with. */
export interface UpdateGuardOptions {
  /** Replies, the access check (`deps.access`) and the log. */
  readonly deps: BotDeps;
  /** Per-user flood control, for messages and button presses alike. */
  readonly flood: FloodGate;
  /** Strangers refused a moment ago: not answered again while they are quiet. */
  readonly strangers: StrangerGate;
  /** Membership of the editors' chat, updated from what the bot sees there; absent without that chat. */
  readonly members?: EditorsChatMembers;
  /** The editors' chat, when there is one. */
  readonly editorsChatId?: number;
  /** The bot's own identity once known (it is fetched at start): commands in groups must name it. */
  readonly me: () => UserFromGetMe | undefined;
}

/** Commands anyone may use: they change nothing. */
const PUBLIC_COMMANDS = new Set(['start', 'help', 'whoami']);

/**
 * The middleware that decides whether an update reaches the handlers. Messages: in groups only commands
 * addressed to the bot and answers to its questions; strangers refused a moment ago are ignored; then the
 * flood gate, access (anything but a public command needs an editor; a stranger is told once per quiet
 * period) and the length limit. Button presses: the flood gate and access, always answered. What the bot
 * sees in the editors' chat keeps its membership up to date (anonymous admins never count).
 */
export function createUpdateGuard(
  options: UpdateGuardOptions,
): (ctx: Context, next: () => Promise<void>) => Promise<void> {
  const { deps, flood, strangers, members, editorsChatId, me } = options;
  const logger = deps.logger;

  async function guardMessage(message: RawMessage | undefined, next: () => Promise<void>): Promise<void> {
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
      const answersBot = !command && answersBotQuestion(message, me()?.id);
      if (!answersBot && (!command || !isAddressedTo(command, me()?.username ?? ''))) return;
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

  return async (ctx, next) => {
    const update = ctx.update as { message?: RawMessage; callback_query?: RawCallbackQuery };
    if (update.callback_query) return guardButton(update.callback_query, next);
    return guardMessage(update.message, next);
  };
}
