import { Markup, Telegraf, TelegramError } from 'telegraf';
import { bold, fmt } from 'telegraf/format';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { eventually } from '../../support/telegram-test-kit.js';

const USER_ID = 4242;
let standIn: TelegramStandIn | undefined;
let launched: Telegraf | undefined;

afterEach(async () => {
  launched?.stop('test over');
  launched = undefined;
  await standIn?.close();
  standIn = undefined;
});

async function launch(setup: (bot: Telegraf) => void): Promise<{ standIn: TelegramStandIn; bot: Telegraf }> {
  standIn = await startTelegramStandIn();
  const bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
  setup(bot);
  // launch() only resolves after stop(); onLaunch fires once polling has started.
  await new Promise<void>((resolve, reject) => {
    bot.launch(() => resolve()).catch(reject);
  });
  launched = bot;
  return { standIn, bot };
}

describe('Bot API stand-in: getUpdates long polling with a launched telegraf bot', () => {
  it('delivers a user command and lets the test read the reply', async () => {
    const { standIn } = await launch((bot) => {
      bot.command('queue', (ctx) => ctx.reply(fmt`Queued: ${bold(ctx.payload)}`));
    });
    const update = standIn.sendUserMessage({ fromId: USER_ID, username: 'editor', text: '/queue story-9' });
    expect(update.message).toMatchObject({
      text: '/queue story-9',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      chat: { id: USER_ID, type: 'private' },
      from: { id: USER_ID, is_bot: false, username: 'editor' },
    });

    const reply = await eventually(() => standIn.botReplies(USER_ID)[0]);
    expect(reply.text).toBe('Queued: story-9');
    expect(reply.entities).toEqual([{ type: 'bold', offset: 8, length: 7 }]);
  });

  it('delivers a button press with the message attached and records the answer', async () => {
    const { standIn } = await launch((bot) => {
      bot.command('review', (ctx) =>
        ctx.reply(
          'Publish story-7?',
          Markup.inlineKeyboard([Markup.button.callback('Publish', 'publish:7')]),
        ),
      );
      bot.action(/^publish:(\d+)$/, async (ctx) => {
        await ctx.answerCbQuery(`Publishing ${ctx.match[1]}`);
        await ctx.editMessageText('Published story-7');
      });
    });
    standIn.sendUserMessage({ fromId: USER_ID, text: '/review' });
    const prompt = await eventually(() => standIn.botReplies(USER_ID)[0]);

    const update = standIn.pressButton({
      fromId: USER_ID,
      messageChatId: USER_ID,
      messageId: prompt.message_id,
      data: 'publish:7',
    });
    expect(update.callback_query).toMatchObject({
      data: 'publish:7',
      message: { message_id: prompt.message_id, text: 'Publish story-7?' },
    });

    const answer = await eventually(() => standIn.callbackAnswers()[0]);
    expect(answer).toMatchObject({ text: 'Publishing 7', show_alert: false });
    const edited = await eventually(() => {
      const message = standIn.botReplies(USER_ID)[0];
      return message?.text === 'Published story-7' ? message : undefined;
    });
    expect(edited.history.map((version) => version.text)).toEqual(['Publish story-7?']);
    expect(() =>
      standIn.pressButton({
        fromId: USER_ID,
        messageChatId: USER_ID,
        messageId: prompt.message_id,
        data: 'nope',
      }),
    ).toThrow(/no button/);
  });

  it('does not spin while idle: a waiting poll holds until an update or its timeout', async () => {
    const { standIn } = await launch(() => {});
    const before = standIn.calls('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const during = standIn.calls('getUpdates').length - before;
    expect(during).toBeLessThan(5);
  });
});

describe('Bot API stand-in: getUpdates semantics', () => {
  it('answers a waiting poll as soon as an update arrives, and offset confirms updates', async () => {
    standIn = await startTelegramStandIn();
    const bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
    const started = Date.now();
    const waiting = bot.telegram.getUpdates(10, 100, 0, undefined);
    setTimeout(() => standIn?.sendUserMessage({ fromId: USER_ID, text: 'hello' }), 100);
    const [first] = await waiting;
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(first?.update_id).toBe(1);

    standIn.sendUserMessage({ fromId: USER_ID, text: 'again' });
    expect((await bot.telegram.getUpdates(0, 100, 0, undefined)).map((u) => u.update_id)).toEqual([1, 2]);
    expect((await bot.telegram.getUpdates(0, 100, 2, undefined)).map((u) => u.update_id)).toEqual([2]);
    expect(await bot.telegram.getUpdates(0, 100, 3, undefined)).toEqual([]);
  });

  it('returns an empty list when the timeout passes without updates', async () => {
    standIn = await startTelegramStandIn();
    const bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
    const started = Date.now();
    expect(await bot.telegram.getUpdates(1, 100, 0, undefined)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('terminates the older of two concurrent polls with 409 Conflict', async () => {
    standIn = await startTelegramStandIn();
    const first = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
    const second = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
    const older = first.telegram.getUpdates(5, 100, 0, undefined).catch((err: unknown) => err);
    await eventually(() => (standIn?.calls('getUpdates').length === 1 ? true : undefined));
    const newer = second.telegram.getUpdates(5, 100, 0, undefined);
    const error = await older;
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(409);
    expect((error as TelegramError).description).toBe(
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    );
    standIn.sendUserMessage({ fromId: USER_ID, text: 'to the newer poll' });
    expect((await newer).length).toBe(1);
  });

  it('filters by allowed_updates and marks commands, mentions and forwards in user text', async () => {
    standIn = await startTelegramStandIn();
    const bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
    const update = standIn.sendUserMessage({
      fromId: USER_ID,
      text: 'see /status@regwire_sandbox_bot and @someone_else',
      forwardedFromChatId: '@regwire_sandbox',
    });
    expect(update.message).toMatchObject({
      entities: [
        { type: 'bot_command', offset: 4, length: 27 },
        { type: 'mention', offset: 36, length: 13 },
      ],
      forward_origin: { type: 'channel', chat: { username: 'regwire_sandbox' } },
    });
    expect(await bot.telegram.getUpdates(0, 100, 0, ['callback_query'])).toEqual([]);
    expect(await bot.telegram.getUpdates(0, 100, 0, ['message'])).toHaveLength(1);
  });
});

describe('Bot API stand-in: webhook delivery', () => {
  it('posts updates to a loopback webhook with the secret-token header', async () => {
    const { createServer } = await import('node:http');
    const received: { secret: unknown; body: { message?: { text?: string } } }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'], body: JSON.parse(body) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      standIn = await startTelegramStandIn();
      const bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
      const { port } = hook.address() as { port: number };
      await bot.telegram.setWebhook(`http://127.0.0.1:${port}/tg-hook`, { secret_token: 'S3cret_tok' });
      standIn.sendUserMessage({ fromId: USER_ID, text: 'via webhook' });
      const delivery = await eventually(() => received[0]);
      expect(delivery).toEqual({ secret: 'S3cret_tok', body: expect.objectContaining({ update_id: 1 }) });
      expect(delivery.body.message?.text).toBe('via webhook');
      expect((await bot.telegram.getWebhookInfo()).pending_update_count).toBe(0);
    } finally {
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  });
});
