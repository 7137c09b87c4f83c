import { Telegraf } from 'telegraf';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { docFixture } from '../../support/doc-fixtures.js';
import { expectTelegramError, ManualClock } from '../../support/telegram-test-kit.js';

// What a bot does to a post after sending it (edit, delete within 48 h, pin, reply), through telegraf
// against the stand-in, and the refusals pinned to the documented bodies.

interface Fixture {
  readonly source: string;
  readonly status: number;
  readonly response: { readonly description: string };
}
const tooOld = docFixture<Fixture>('telegram/delete-too-old-400.json');
const notModified = docFixture<Fixture>('telegram/edit-not-modified-400.json');
const replyMissing = docFixture<Fixture>('telegram/reply-not-found-400.json');

const CHANNEL = '@regwire_sandbox';
const CHANNEL_ID = -1001000000001;
const HOUR_MS = 60 * 60 * 1000;
const clock = new ManualClock();
let standIn: TelegramStandIn;
let bot: Telegraf;

beforeAll(async () => {
  standIn = await startTelegramStandIn({ floodLimits: false, now: clock.now });
  bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
});

afterAll(async () => {
  await standIn.close();
});

beforeEach(() => clock.advance(60_000));

describe('editMessageText and editMessageCaption', () => {
  it('edits a channel post in place with new entities and records the earlier version', async () => {
    const sent = await bot.telegram.sendMessage(CHANNEL, 'SEC approves ETF', {
      entities: [{ type: 'bold', offset: 0, length: 16 }],
    });
    clock.advance(72 * HOUR_MS);
    const edited = await bot.telegram.editMessageText(CHANNEL, sent.message_id, undefined, 'SEC delays ETF', {
      entities: [{ type: 'italic', offset: 0, length: 3 }],
    });
    expect(edited).toMatchObject({
      message_id: sent.message_id,
      text: 'SEC delays ETF',
      entities: [{ type: 'italic', offset: 0, length: 3 }],
    });
    expect((edited as { edit_date?: number }).edit_date).toBeGreaterThan(sent.date);
    const recorded = standIn.messages(CHANNEL).find((m) => m.message_id === sent.message_id);
    expect(recorded?.history).toEqual([
      expect.objectContaining({
        text: 'SEC approves ETF',
        entities: [{ type: 'bold', offset: 0, length: 16 }],
      }),
    ]);
  });

  it('refuses an edit that changes nothing with the documented "message is not modified"', async () => {
    const sent = await bot.telegram.sendMessage(CHANNEL, 'Unchanged');
    await expectTelegramError(
      bot.telegram.editMessageText(CHANNEL, sent.message_id, undefined, 'Unchanged'),
      notModified.status,
      notModified.response.description,
    );
  });

  it('edits a photo caption, holds the 1024 limit, and refuses a caption edit of a text message', async () => {
    const photo = await bot.telegram.sendPhoto(CHANNEL, 'https://example.com/chart.jpg', {
      caption: 'Chart',
    });
    const edited = await bot.telegram.editMessageCaption(
      CHANNEL,
      photo.message_id,
      undefined,
      'Chart (corrected)',
      {
        caption_entities: [{ type: 'bold', offset: 0, length: 5 }],
      },
    );
    expect(edited).toMatchObject({ caption: 'Chart (corrected)', caption_entities: [{ type: 'bold' }] });
    await expectTelegramError(
      bot.telegram.editMessageCaption(CHANNEL, photo.message_id, undefined, 'x'.repeat(1025)),
      400,
      'Bad Request: message caption is too long',
    );
    await expectTelegramError(
      bot.telegram.editMessageCaption(CHANNEL, photo.message_id, undefined, 'Chart (corrected)', {
        caption_entities: [{ type: 'bold', offset: 0, length: 5 }],
      }),
      400,
      notModified.response.description,
    );
    const text = await bot.telegram.sendMessage(CHANNEL, 'Text only');
    await expectTelegramError(
      bot.telegram.editMessageCaption(CHANNEL, text.message_id, undefined, 'caption'),
      400,
      'Bad Request: there is no caption in the message to edit',
    );
  });

  it('refuses an edit of a message that is not there', async () => {
    await expectTelegramError(
      bot.telegram.editMessageText(CHANNEL, 999_999, undefined, 'nothing'),
      400,
      'Bad Request: message to edit not found',
    );
  });
});

describe('deleteMessage and its 48-hour limit', () => {
  it('deletes a post younger than 48 hours, once', async () => {
    const sent = await bot.telegram.sendMessage(CHANNEL, 'Wrong story');
    clock.advance(47 * HOUR_MS);
    expect(await bot.telegram.deleteMessage(CHANNEL, sent.message_id)).toBe(true);
    expect(standIn.messages(CHANNEL).find((m) => m.message_id === sent.message_id)?.deleted).toBe(true);
    await expectTelegramError(
      bot.telegram.deleteMessage(CHANNEL, sent.message_id),
      400,
      'Bad Request: message to delete not found',
    );
  });

  it('refuses a post 48 hours old or more with the documented error, and it stays', async () => {
    const sent = await bot.telegram.sendMessage(CHANNEL, 'Old story');
    clock.advance(48 * HOUR_MS);
    await expectTelegramError(
      bot.telegram.deleteMessage(CHANNEL, sent.message_id),
      tooOld.status,
      tooOld.response.description,
    );
    expect(standIn.messages(CHANNEL).find((m) => m.message_id === sent.message_id)?.deleted).toBe(false);
  });

  it('ages a message through the inspection API (tests on the real clock)', async () => {
    const sent = await bot.telegram.sendMessage(CHANNEL, 'Three days ago');
    const response = await fetch(`${standIn.inspectionRoot}age-message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat: CHANNEL, message_id: sent.message_id, ms: 72 * HOUR_MS }),
    });
    expect(response.status).toBe(200);
    const { message } = (await response.json()) as { message: { date: number } };
    expect(message.date).toBe(sent.date - 72 * 3600);
    await expectTelegramError(
      bot.telegram.deleteMessage(CHANNEL, sent.message_id),
      400,
      tooOld.response.description,
    );
  });
});

describe('pinChatMessage and unpinChatMessage', () => {
  it('pins and unpins a post; unpin without an id takes the most recent pinned one', async () => {
    const first = await bot.telegram.sendMessage(CHANNEL, 'Live: hearing');
    clock.advance(1_000);
    const second = await bot.telegram.sendMessage(CHANNEL, 'Live: vote');
    expect(await bot.telegram.pinChatMessage(CHANNEL, first.message_id, { disable_notification: true })).toBe(
      true,
    );
    expect(await bot.telegram.pinChatMessage(CHANNEL, second.message_id)).toBe(true);
    expect(await bot.telegram.unpinChatMessage(CHANNEL)).toBe(true);
    const pinned = (id: number) => standIn.messages(CHANNEL).find((m) => m.message_id === id)?.pinned;
    expect([pinned(first.message_id), pinned(second.message_id)]).toEqual([true, false]);
    expect(await bot.telegram.unpinChatMessage(CHANNEL, first.message_id)).toBe(true);
    expect(pinned(first.message_id)).toBe(false);
    await expectTelegramError(
      bot.telegram.pinChatMessage(CHANNEL, 999_999),
      400,
      'Bad Request: message to pin not found',
    );
    await expectTelegramError(
      bot.telegram.unpinChatMessage(CHANNEL, 999_999),
      400,
      'Bad Request: message to unpin not found',
    );
  });
});

describe('reply_parameters, disable_notification, protect_content', () => {
  it('replies to a post silently and protected, as the real Message shows it', async () => {
    const original = await bot.telegram.sendMessage(CHANNEL, 'Original');
    const reply = await bot.telegram.sendMessage(CHANNEL, 'Update: vote passed', {
      reply_parameters: { message_id: original.message_id },
      disable_notification: true,
      protect_content: true,
    });
    expect(reply).toMatchObject({
      has_protected_content: true,
      reply_to_message: { message_id: original.message_id, text: 'Original', chat: { id: CHANNEL_ID } },
    });
    const recorded = standIn.messages(CHANNEL).at(-1);
    expect(recorded).toMatchObject({
      reply_to_message_id: original.message_id,
      disable_notification: true,
      protect_content: true,
    });
  });

  it('refuses a reply to a missing post unless allow_sending_without_reply', async () => {
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, 'reply', { reply_parameters: { message_id: 999_999 } }),
      replyMissing.status,
      replyMissing.response.description,
    );
    const sent = await bot.telegram.sendMessage(CHANNEL, 'reply anyway', {
      reply_parameters: { message_id: 999_999, allow_sending_without_reply: true },
    });
    expect(sent).not.toHaveProperty('reply_to_message');
  });
});
