import type { Context, Telegraf } from 'telegraf';
import {
  approveCommand,
  correctCommand,
  correctionsCommand,
  pendingCommand,
  retractCommand,
} from './amendment-commands.js';
import { type BotDeps, say, type TelegramUser } from './bot-deps.js';
import { handleButton } from './button-handlers.js';
import {
  type CommandOrigin,
  digestCommand,
  editCommand,
  embargoCommand,
  linkCommand,
  listCommand,
  nowCommand,
  plainMessage,
  queueCommand,
  scheduleCommand,
  spendCommand,
  statusCommand,
  storyActionCommand,
  whoamiCommand,
} from './command-handlers.js';
import { readCommand } from './command-line.js';
import { helpText } from './help-text.js';
import { closeCommand, liveCommand, updateCommand } from './live-story-commands.js';
import { protectCommand, quietCommand } from './post-flag-commands.js';
import { answersBotQuestion, type RawCallbackQuery, type RawMessage } from './raw-update.js';

/**
 * Registers what the bot answers, on updates the guard let through: every command, button presses, and
 * plain messages (a story to queue, a forwarded post, an answer to the bot's question). An unknown
 * command gets a pointer to /help.
 */
export function registerHandlers(bot: Telegraf, deps: BotDeps): void {
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
  bot.command('spend', (ctx) => spendCommand(deps, origin(ctx)));
  bot.command('link', (ctx) => linkCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('quiet', (ctx) => quietCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('protect', (ctx) => protectCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('correct', (ctx) => correctCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('retract', (ctx) => retractCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('approve', (ctx) => approveCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('pending', (ctx) => pendingCommand(deps, origin(ctx)));
  bot.command('corrections', (ctx) => correctionsCommand(deps, origin(ctx)));
  bot.command('update', (ctx) => updateCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('live', (ctx) => liveCommand(deps, origin(ctx), payloadOf(ctx)));
  bot.command('close', (ctx) => closeCommand(deps, origin(ctx), payloadOf(ctx)));

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
    if (message.chat.type !== 'private' && !answersBotQuestion(message, bot.botInfo?.id)) return;
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
}
