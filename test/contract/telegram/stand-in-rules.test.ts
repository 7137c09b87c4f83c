import { Markup, Telegraf } from 'telegraf';
import { bold, code, fmt, italic, join, link, pre } from 'telegraf/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { expectTelegramError } from '../../support/telegram-test-kit.js';

const CHANNEL = '@regwire_sandbox';
const CHANNEL_ID = -1001000000001;
const GROUP_ID = -1001000000002;
const PRIVATE_ID = 5550001;
const OTHER_CHANNEL_ID = -1001000000009;

let standIn: TelegramStandIn;
let bot: Telegraf;

beforeAll(async () => {
  standIn = await startTelegramStandIn({
    floodLimits: false,
    chats: [
      { id: CHANNEL_ID, type: 'channel', title: 'Regwire Sandbox', username: 'regwire_sandbox' },
      { id: GROUP_ID, type: 'supergroup', title: 'Regwire Desk' },
      { id: PRIVATE_ID, type: 'private', firstName: 'Ada' },
      { id: OTHER_CHANNEL_ID, type: 'channel', title: 'Not ours', username: 'not_ours', botIds: [] },
    ],
  });
  bot = new Telegraf(TELEGRAM_SANDBOX_BOT.token, { telegram: { apiRoot: standIn.apiRoot } });
});

afterAll(async () => {
  await standIn.close();
});

describe('Bot API stand-in: what telegraf sends is accepted and recorded', () => {
  it('answers getMe with the bot', async () => {
    const me = await bot.telegram.getMe();
    expect(me).toMatchObject({ id: TELEGRAM_SANDBOX_BOT.id, is_bot: true, username: 'regwire_sandbox_bot' });
  });

  it('posts telegraf/format text as text + entities and returns a real-shaped channel message', async () => {
    const post = fmt`${bold`SEC sues exchange`}\n${italic('Regulation')} — ${link('source', 'https://example.com/a?b=1')} ${code('BTC')}`;
    const sent = await bot.telegram.sendMessage(CHANNEL, post, {
      link_preview_options: { is_disabled: true },
    });

    expect(sent.chat).toEqual({
      id: CHANNEL_ID,
      type: 'channel',
      title: 'Regwire Sandbox',
      username: 'regwire_sandbox',
    });
    expect(sent).toMatchObject({ sender_chat: { id: CHANNEL_ID }, text: post.text, entities: post.entities });
    expect(sent).not.toHaveProperty('from');
    expect(Number.isInteger(sent.date)).toBe(true);
    expect(Math.abs(sent.date - Date.now() / 1000)).toBeLessThan(5);

    const recorded = standIn.messages(CHANNEL).at(-1);
    expect(recorded).toMatchObject({
      message_id: sent.message_id,
      text: 'SEC sues exchange\nRegulation — source BTC',
      entities: post.entities,
      link_preview_options: { is_disabled: true },
      deleted: false,
      history: [],
    });
  });

  it('accepts join() output and numbers messages per chat', async () => {
    const first = await bot.telegram.sendMessage(GROUP_ID, join(['a', bold('b')], ' | '));
    const second = await bot.telegram.sendMessage(String(GROUP_ID), 'second');
    expect(second.message_id).toBe(first.message_id + 1);
    expect(first.entities).toEqual([{ type: 'bold', offset: 4, length: 1 }]);
    expect(first).toMatchObject({
      from: { id: TELEGRAM_SANDBOX_BOT.id, is_bot: true },
      chat: { type: 'supergroup' },
    });
    expect(standIn.messages(GROUP_ID).map((m) => m.text)).toEqual(['a | b', 'second']);
  });

  it('accepts sendPhoto by URL with caption entities and an inline keyboard', async () => {
    const caption = fmt`${bold`Photo`} caption`;
    const keyboard = Markup.inlineKeyboard([[Markup.button.url('Read', 'https://example.com/story')]]);
    const sent = await bot.telegram.sendPhoto(CHANNEL, 'https://example.com/photo.jpg', {
      caption,
      ...keyboard,
    });

    expect(sent.caption).toBe('Photo caption');
    expect(sent.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
    expect(sent.photo.length).toBeGreaterThan(0);
    const recorded = standIn.messages(CHANNEL).at(-1);
    expect(recorded?.photoSource).toEqual({ kind: 'url', url: 'https://example.com/photo.jpg' });
    expect(recorded?.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Read', url: 'https://example.com/story' }]],
    });
  });

  it('accepts an uploaded photo (multipart) and then its file_id', async () => {
    const uploaded = await bot.telegram.sendPhoto(CHANNEL, {
      source: Buffer.from('fake-jpeg'),
      filename: 'c.jpg',
    });
    expect(standIn.messages(CHANNEL).at(-1)?.photoSource).toEqual({
      kind: 'upload',
      filename: 'c.jpg',
      bytes: 9,
    });
    const fileId = uploaded.photo[0]!.file_id;
    await bot.telegram.sendPhoto(CHANNEL, fileId);
    expect(standIn.messages(CHANNEL).at(-1)?.photoSource).toEqual({ kind: 'file_id', fileId });
    await expectTelegramError(
      bot.telegram.sendPhoto(CHANNEL, 'not-a-file-id'),
      400,
      'Bad Request: wrong file identifier/HTTP URL specified',
    );
  });

  it('accepts form-encoded bodies and GET query parameters like the real API', async () => {
    const form = await fetch(`${standIn.apiRoot}bot${TELEGRAM_SANDBOX_BOT.token}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({
        chat_id: String(CHANNEL_ID),
        text: 'form body',
        entities: JSON.stringify([{ type: 'italic', offset: 0, length: 4 }]),
      }),
    });
    expect(await form.json()).toMatchObject({
      ok: true,
      result: { text: 'form body', entities: [{ type: 'italic' }] },
    });
    const query = await fetch(
      `${standIn.apiRoot}bot${TELEGRAM_SANDBOX_BOT.token}/SENDMESSAGE?chat_id=${encodeURIComponent(CHANNEL)}&text=via+query`,
    );
    expect(await query.json()).toMatchObject({ ok: true, result: { text: 'via query' } });
  });

  it('reads a chat with getChat', async () => {
    expect(await bot.telegram.getChat(CHANNEL)).toMatchObject({
      id: CHANNEL_ID,
      type: 'channel',
      title: 'Regwire Sandbox',
    });
  });

  it('stores commands per scope with set/get/deleteMyCommands', async () => {
    const commands = [{ command: 'queue', description: 'Queue a story' }];
    await bot.telegram.setMyCommands(commands, { scope: { type: 'all_private_chats' } });
    expect(await bot.telegram.getMyCommands({ scope: { type: 'all_private_chats' } })).toEqual(commands);
    expect(await bot.telegram.getMyCommands()).toEqual([]);
    await bot.telegram.deleteMyCommands({ scope: { type: 'all_private_chats' } });
    expect(await bot.telegram.getMyCommands({ scope: { type: 'all_private_chats' } })).toEqual([]);
    await expectTelegramError(
      bot.telegram.setMyCommands([{ command: 'Bad Command', description: 'x' }]),
      400,
      'Bad Request: BOT_COMMAND_INVALID',
    );
  });

  it('keeps webhook settings and refuses getUpdates while a webhook is set', async () => {
    await bot.telegram.setWebhook('https://bot.example.com/tg-hook', { secret_token: 'S3cret_tok' });
    expect(await bot.telegram.getWebhookInfo()).toMatchObject({ url: 'https://bot.example.com/tg-hook' });
    await expectTelegramError(
      bot.telegram.getUpdates(0, 100, 0, undefined),
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
    await expectTelegramError(
      bot.telegram.setWebhook('http://bot.example.com/hook'),
      400,
      'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
    );
    await bot.telegram.deleteWebhook();
    expect((await bot.telegram.getWebhookInfo()).url).toBe('');
  });
});

describe('Bot API stand-in: refuses what the real API refuses', () => {
  it('401 Unauthorized for an unknown token', async () => {
    const stranger = new Telegraf('999:wrong-token', { telegram: { apiRoot: standIn.apiRoot } });
    await expectTelegramError(stranger.telegram.getMe(), 401, 'Unauthorized');
  });

  it('404 Not Found for an unknown method', async () => {
    await expectTelegramError(bot.telegram.callApi('sendTelepathy' as 'getMe', {}), 404, 'Not Found');
  });

  it('400 chat not found, and 403 when the bot is not in the channel', async () => {
    await expectTelegramError(
      bot.telegram.sendMessage('@nobody_here', 'x'),
      400,
      'Bad Request: chat not found',
    );
    await expectTelegramError(bot.telegram.sendMessage(-100999, 'x'), 400, 'Bad Request: chat not found');
    await expectTelegramError(
      bot.telegram.sendMessage('@not_ours', 'x'),
      403,
      'Forbidden: bot is not a member of the channel chat',
    );
  });

  it('400 for empty text, too long text and too long caption', async () => {
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, ''),
      400,
      'Bad Request: message text is empty',
    );
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, '  \n '),
      400,
      'Bad Request: message text is empty',
    );
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, 'x'.repeat(4097)),
      400,
      'Bad Request: message is too long',
    );
    await bot.telegram.sendMessage(CHANNEL, 'x'.repeat(4096));
    // 4096 UTF-16 units: 2048 emoji (each a surrogate pair) fit, one more does not.
    await bot.telegram.sendMessage(CHANNEL, '🚀'.repeat(2048));
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, '🚀'.repeat(2049)),
      400,
      'Bad Request: message is too long',
    );
    await expectTelegramError(
      bot.telegram.sendPhoto(CHANNEL, 'https://example.com/p.jpg', { caption: 'c'.repeat(1025) }),
      400,
      'Bad Request: message caption is too long',
    );
  });

  it('measures the limit after entity parsing', async () => {
    const html = `<b>${'x'.repeat(4000)}</b>${'&amp;'.repeat(96)}`;
    const sent = await bot.telegram.sendMessage(CHANNEL, html, { parse_mode: 'HTML' });
    expect(sent.text).toHaveLength(4096);
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, `${html}&amp;`, { parse_mode: 'HTML' }),
      400,
      'Bad Request: message is too long',
    );
  });

  it.each([
    [
      'out of range',
      [{ type: 'bold', offset: 3, length: 5 }],
      /^Bad Request: can't parse entities: .*out of the text bounds/,
    ],
    ['negative offset', [{ type: 'bold', offset: -1, length: 2 }], /^Bad Request: can't parse entities: /],
    ['zero length', [{ type: 'bold', offset: 0, length: 0 }], /^Bad Request: can't parse entities: /],
    [
      'unknown type',
      [{ type: 'sparkle', offset: 0, length: 2 }],
      /^Bad Request: can't parse entities: Unsupported entity type "sparkle"/,
    ],
    [
      'text_link without url',
      [{ type: 'text_link', offset: 0, length: 2 }],
      /^Bad Request: can't parse entities: Field "url" must be of type String/,
    ],
    [
      'text_link with a bad url',
      [{ type: 'text_link', offset: 0, length: 2, url: 'not a url' }],
      /^Bad Request: can't parse entities: Wrong URL/,
    ],
    [
      'same type overlapping',
      [
        { type: 'bold', offset: 0, length: 4 },
        { type: 'bold', offset: 2, length: 4 },
      ],
      /must not overlap/,
    ],
    [
      'two links overlapping partially',
      [
        { type: 'text_link', offset: 0, length: 4, url: 'https://a.example' },
        { type: 'code', offset: 2, length: 4 },
      ],
      /overlap partially/,
    ],
  ])("400 can't parse entities: %s", async (_label, entities, description) => {
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, 'abcdefg', { entities: entities as never }),
      400,
      description,
    );
  });

  it('accepts nested and partially overlapping style entities', async () => {
    const entities = [
      { type: 'bold', offset: 0, length: 5 },
      { type: 'italic', offset: 2, length: 5 },
      { type: 'text_link', offset: 1, length: 3, url: 'https://example.com' },
    ] as const;
    const sent = await bot.telegram.sendMessage(CHANNEL, 'abcdefg', { entities: [...entities] });
    expect(sent.entities).toEqual(entities);
  });

  it('400 BUTTON_DATA_INVALID for callback_data over 64 bytes', async () => {
    await expectTelegramError(
      bot.telegram.sendMessage(
        CHANNEL,
        'buttons',
        Markup.inlineKeyboard([Markup.button.callback('Go', 'é'.repeat(33))]),
      ),
      400,
      'Bad Request: BUTTON_DATA_INVALID',
    );
    await bot.telegram.sendMessage(
      CHANNEL,
      'buttons',
      Markup.inlineKeyboard([Markup.button.callback('Go', 'é'.repeat(32))]),
    );
  });

  it('400 for an unknown callback query id', async () => {
    await expectTelegramError(
      bot.telegram.answerCbQuery('123456789', 'done'),
      400,
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
  });
});

describe('Bot API stand-in: parse_mode HTML', () => {
  it('parses tags, HTML entities, links, spoilers and pre+code like the real API', async () => {
    const sent = await bot.telegram.sendMessage(
      CHANNEL,
      '<b>SEC</b> &lt;sues&gt; <a href="https://example.com/?a=1&amp;b=2">exch</a> <span class="tg-spoiler">s</span> ' +
        '🚀<i>x</i> <pre><code class="language-ts">let a;</code></pre> AT&T &#65;&#x42;',
      { parse_mode: 'HTML' },
    );
    expect(sent.text).toBe('SEC <sues> exch s 🚀x let a; AT&T AB');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 0, length: 3 },
      { type: 'text_link', offset: 11, length: 4, url: 'https://example.com/?a=1&b=2' },
      { type: 'spoiler', offset: 16, length: 1 },
      { type: 'italic', offset: 20, length: 1 },
      { type: 'pre', offset: 22, length: 6, language: 'ts' },
    ]);
  });

  it.each([
    ['Hello world <div>x</div>', 'Unsupported start tag "div" at byte offset 12'],
    ['Привет <div>x</div>', 'Unsupported start tag "div" at byte offset 13'],
    ['1 < 2', 'Unsupported start tag "" at byte offset 2'],
    ['<b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<b>bold</i>', 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'],
    ['text</b>', 'Unexpected end tag at byte offset 4'],
    ['a <b', 'Unclosed start tag at byte offset 2'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
  ])('refuses %j', async (html, detail) => {
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, html, { parse_mode: 'HTML' }),
      400,
      `Bad Request: can't parse entities: ${detail}`,
    );
  });
});

describe('Bot API stand-in: parse_mode MarkdownV2', () => {
  it('parses bold, italic, underline, code, pre, links and escapes', async () => {
    const sent = await bot.telegram.sendMessage(
      CHANNEL,
      '*SEC* _sues_ __hard__ `x.y` [link](https://example.com/a\\)b) 1\\.5 \\!\n```ts\nlet a = 1;\n```',
      { parse_mode: 'MarkdownV2' },
    );
    expect(sent.text).toBe('SEC sues hard x.y link 1.5 !\nlet a = 1;\n');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 0, length: 3 },
      { type: 'italic', offset: 4, length: 4 },
      { type: 'underline', offset: 9, length: 4 },
      { type: 'code', offset: 14, length: 3 },
      { type: 'text_link', offset: 18, length: 4, url: 'https://example.com/a)b' },
      { type: 'pre', offset: 29, length: 11, language: 'ts' },
    ]);
  });

  it.each([
    ['Price 1.5', "Character '.' is reserved and must be escaped with the preceding '\\'"],
    ['Wow!', "Character '!' is reserved and must be escaped with the preceding '\\'"],
    ['a-b', "Character '-' is reserved and must be escaped with the preceding '\\'"],
    ['*bold', "Can't find end of Bold entity at byte offset 0"],
  ])('refuses %j', async (markdown, detail) => {
    await expectTelegramError(
      bot.telegram.sendMessage(CHANNEL, markdown, { parse_mode: 'MarkdownV2' }),
      400,
      `Bad Request: can't parse entities: ${detail}`,
    );
  });
});

describe('Bot API stand-in: editing and deleting', () => {
  it('edits text and keyboard, keeps the history, and refuses identical edits', async () => {
    const keyboard = Markup.inlineKeyboard([Markup.button.callback('Approve', 'approve:1')]);
    const sent = await bot.telegram.sendMessage(CHANNEL, fmt`Draft ${bold`one`}`, keyboard);
    await expectTelegramError(
      bot.telegram.editMessageText(CHANNEL_ID, sent.message_id, undefined, fmt`Draft ${bold`one`}`, keyboard),
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    const edited = await bot.telegram.editMessageText(
      CHANNEL_ID,
      sent.message_id,
      undefined,
      'Final',
      keyboard,
    );
    expect(edited).toMatchObject({ text: 'Final', message_id: sent.message_id });
    await bot.telegram.editMessageReplyMarkup(CHANNEL_ID, sent.message_id, undefined, undefined);

    const recorded = standIn.messages(CHANNEL).find((m) => m.message_id === sent.message_id);
    expect(recorded?.text).toBe('Final');
    expect(recorded?.reply_markup).toBeUndefined();
    expect(recorded?.edit_date).toBeTypeOf('number');
    expect(recorded?.history.map((version) => version.text)).toEqual(['Draft one', 'Final']);
  });

  it('deletes, then refuses to edit or delete again; unknown ids are refused', async () => {
    const sent = await bot.telegram.sendMessage(CHANNEL, 'to delete');
    expect(await bot.telegram.deleteMessage(CHANNEL_ID, sent.message_id)).toBe(true);
    expect(standIn.messages(CHANNEL).find((m) => m.message_id === sent.message_id)?.deleted).toBe(true);
    expect(standIn.botReplies(CHANNEL).some((m) => m.message_id === sent.message_id)).toBe(false);
    await expectTelegramError(
      bot.telegram.deleteMessage(CHANNEL_ID, sent.message_id),
      400,
      'Bad Request: message to delete not found',
    );
    await expectTelegramError(
      bot.telegram.editMessageText(CHANNEL_ID, sent.message_id, undefined, 'again'),
      400,
      'Bad Request: message to edit not found',
    );
    await expectTelegramError(
      bot.telegram.editMessageText(CHANNEL_ID, 999_999, undefined, 'nope'),
      400,
      'Bad Request: message to edit not found',
    );
  });

  it('cannot edit the text of a photo', async () => {
    const photo = await bot.telegram.sendPhoto(CHANNEL, 'https://example.com/p.jpg', { caption: 'c' });
    await expectTelegramError(
      bot.telegram.editMessageText(CHANNEL_ID, photo.message_id, undefined, 'text'),
      400,
      'Bad Request: there is no text in the message to edit',
    );
  });
});

describe('Bot API stand-in: private chats', () => {
  it('posts to a configured private chat with `from` set to the bot', async () => {
    const sent = await bot.telegram.sendMessage(PRIVATE_ID, pre('ts')('const x = 1;'));
    expect(sent).toMatchObject({
      chat: { id: PRIVATE_ID, type: 'private', first_name: 'Ada' },
      from: { is_bot: true },
    });
    expect(sent.entities).toEqual([{ type: 'pre', offset: 0, length: 12, language: 'ts' }]);
  });
});
