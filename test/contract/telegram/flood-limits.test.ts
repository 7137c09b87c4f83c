import { Telegraf } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { expectTelegramError, ManualClock } from '../../support/telegram-test-kit.js';

const CHANNEL = '@regwire_sandbox';
let standIn: TelegramStandIn | undefined;

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(
  clock: ManualClock,
  floodLimits?: { perChatIntervalMs?: number; perGroupPerMinute?: number },
) {
  standIn = await startTelegramStandIn({ now: clock.now, ...(floodLimits ? { floodLimits } : {}) });
  return new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
}

describe('Bot API stand-in: flood control', () => {
  it('allows a short burst per chat, then answers 429 with retry_after until a second passes', async () => {
    const clock = new ManualClock();
    const bot = await start(clock);
    for (let i = 0; i < 3; i++) await bot.telegram.sendMessage(CHANNEL, `burst ${i}`);
    const error = await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, 'one too many'),
      429,
      'Too Many Requests: retry after 1',
    );
    expect(error.parameters).toEqual({ retry_after: 1 });
    expect(standIn?.messages(CHANNEL)).toHaveLength(3);

    clock.advance(1_000);
    await bot.telegram.sendMessage(CHANNEL, 'after waiting');
    expect(standIn?.messages(CHANNEL)).toHaveLength(4);
  });

  it('limits a channel to 20 messages per rolling minute and says how long to wait', async () => {
    const clock = new ManualClock();
    const bot = await start(clock);
    for (let i = 0; i < 20; i++) {
      await bot.telegram.sendMessage(CHANNEL, `post ${i}`);
      clock.advance(1_000);
    }
    // The first post was 20 s ago, so the window frees up in 40 s.
    const error = await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, 'post 21'),
      429,
      'Too Many Requests: retry after 40',
    );
    expect(error.parameters?.retry_after).toBe(40);
    clock.advance(40_000);
    await bot.telegram.sendMessage(CHANNEL, 'post 21');
  });

  it('takes its limits from options, and can be switched off', async () => {
    const clock = new ManualClock();
    const bot = await start(clock, { perGroupPerMinute: 2, perChatIntervalMs: 10 });
    await bot.telegram.sendMessage(CHANNEL, 'a');
    await bot.telegram.sendMessage(CHANNEL, 'b');
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, 'c'),
      429,
      'Too Many Requests: retry after 60',
    );
    await standIn?.close();

    standIn = await startTelegramStandIn({ floodLimits: false });
    const unlimited = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
    for (let i = 0; i < 25; i++) await unlimited.telegram.sendMessage(CHANNEL, `free ${i}`);
    expect(standIn.messages(CHANNEL)).toHaveLength(25);
  });
});
