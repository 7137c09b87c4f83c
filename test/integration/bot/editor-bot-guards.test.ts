import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramClient } from '../../../src/adapters/telegram/index.js';
import { STALE_BUTTON } from '../../../src/bot/button-handlers.js';
import { TELEGRAM_SANDBOX_BOT } from '../../../src/sandbox/standins/telegram/index.js';
import {
  BOT_USERNAME,
  buttonsOf,
  DESK_GROUP_ID,
  EDITOR_ID,
  type Harness,
  keyboardMessage,
  OUTSIDER_ID,
  previewedStoryId,
  SECOND_EDITOR_ID,
  startHarness,
} from './editor-bot-harness.js';
import { markPartUnknown, markPublished, markState } from './worker-states.js';

const ARTICLE =
  'Regulator fines exchange\n\nThe regulator fined an exchange for weak anti-money-laundering controls on Monday.\n\nhttps://example.com/fine';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function queue(h: Harness, text = ARTICLE) {
  const replies = await h.say(`/queue ${text}`, { expect: 3 });
  const keyboard = keyboardMessage(replies);
  return { keyboard, storyId: previewedStoryId(keyboard) };
}

describe('editor bot: who may do what', () => {
  it('refuses non-editors politely, once, logs their id and changes nothing; /help and /whoami still answer', async () => {
    harness = await startHarness();
    const h = harness;
    const { keyboard, storyId } = await queue(h);
    const before = await h.snapshot();
    const [refusal] = await h.say(`/queue ${ARTICLE}`, { fromId: OUTSIDER_ID });
    expect(refusal?.text).toContain("only the newsroom's editors");
    expect(refusal?.text).toContain(String(OUTSIDER_ID));
    // Told once: what they send next in the quiet period is refused without a word.
    for (const text of [
      `/now ${storyId}`,
      `/cancel ${storyId}`,
      '/list',
      'A pasted article\n\nwith a body',
    ]) {
      expect(await h.say(text, { fromId: OUTSIDER_ID, expect: 0 })).toEqual([]);
    }
    const [help] = await h.say('/help', { fromId: OUTSIDER_ID });
    expect(help?.text).toContain('You are not an editor');
    const [who] = await h.say('/whoami', { fromId: OUTSIDER_ID });
    expect(who?.text).toContain('not an editor');

    // An outsider pressing an editor's button (e.g. a forwarded keyboard) is refused too.
    const answer = await h.press(keyboard, 'Post now', { fromId: OUTSIDER_ID });
    expect(answer).toMatchObject({
      text: 'Sorry, only editors can do that. Nothing was changed.',
      show_alert: true,
    });
    expect(await h.snapshot()).toEqual(before);
    expect(await h.stateOf(storyId, 'telegram')).toBe('draft');
    const refusals = h.logs.filter((line) => String(line.msg).includes('refused a non-editor'));
    expect(refusals.map((line) => line.userId)).toEqual([OUTSIDER_ID]);
  });

  it("a stranger's flood costs one getChatMember call and one reply every few minutes", async () => {
    harness = await startHarness({
      bot: { editorIds: [EDITOR_ID], editorsChatId: DESK_GROUP_ID, strangerQuietMs: 5 * 60_000 },
    });
    const h = harness;
    const flood = () =>
      h.handled(
        ...Array.from({ length: 20 }, (_, i) =>
          h.standIn.sendUserMessage({ fromId: OUTSIDER_ID, text: i % 2 ? '/list' : 'let me in' }),
        ),
      );
    await flood();
    expect(h.replies(OUTSIDER_ID).map((m) => m.text)).toEqual([
      expect.stringContaining("only the newsroom's editors"),
    ]);
    expect(h.standIn.calls('getChatMember')).toHaveLength(1);

    // Still within the quiet period: nothing at all.
    h.clock.advance(4 * 60_000);
    await flood();
    expect(h.replies(OUTSIDER_ID)).toHaveLength(1);
    expect(h.standIn.calls('getChatMember')).toHaveLength(1);

    // After it: asked about once more, told once more.
    h.clock.advance(60_001);
    await flood();
    expect(h.replies(OUTSIDER_ID)).toHaveLength(2);
    expect(h.standIn.calls('getChatMember')).toHaveLength(2);

    // Added to the editors' chat and writing there: heard at once.
    await h.say('hello all', { fromId: OUTSIDER_ID, chatId: DESK_GROUP_ID, expect: 0 });
    const [list] = await h.say('/list', { fromId: OUTSIDER_ID });
    expect(list?.text).toBe('Nothing is scheduled.');
  });

  it("members of the editors' chat are editors; alerts go there with Retry · Skip · Mark as posted", async () => {
    harness = await startHarness({ bot: { editorIds: [EDITOR_ID], editorsChatId: DESK_GROUP_ID } });
    const h = harness;
    const [listed] = await h.say(`/list@${BOT_USERNAME}`, { fromId: 5555, chatId: DESK_GROUP_ID });
    expect(listed?.text).toBe('Nothing is scheduled.');
    const [privately] = await h.say('/list', { fromId: 5555 });
    expect(privately?.text).toBe('Nothing is scheduled.');

    const { storyId } = await queue(h);
    await h.say(`/schedule ${storyId} now`);
    // The last tweet of the thread timed out after it was sent, as a worker records it.
    const part = await markPartUnknown(h.services, storyId, 'x', h.clock.now());
    const before = h.replies(DESK_GROUP_ID).length;
    await h.alert({
      storyId,
      destination: 'x',
      kind: 'unknown-outcome',
      part,
      message: 'the request timed out after it was sent',
    });
    expect(h.replies(DESK_GROUP_ID)).toHaveLength(before + 1);
    const alert = h.replies(DESK_GROUP_ID).at(-1)!;
    expect(alert.text).toContain(`${storyId} on x, part ${part + 1}: the request timed out`);
    // A thread that stopped after its first tweet may also go on as a new thread (a story that fits in
    // one post has no such choice).
    expect([...buttonsOf(alert).keys()]).toEqual([
      'Retry',
      'Skip',
      'Mark as posted',
      ...(part > 0 ? ['New thread'] : []),
    ]);
    // On X the rest of the thread replies to that tweet: the bot asks for its link, in the same chat.
    const answer = await h.press(alert, 'Mark as posted', { fromId: 5555 });
    expect(answer.text).toBeUndefined();
    const question = h.replies(DESK_GROUP_ID).at(-1)!;
    expect(question.text).toMatch(new RegExp(`^Send the link of the post of ${storyId} on x `));
    expect(question.reply_markup).toMatchObject({ force_reply: true });
    const [wrong, askedAgain] = await h.say('the second one', {
      fromId: 5555,
      chatId: DESK_GROUP_ID,
      replyToMessageId: question.message_id,
    });
    expect(wrong?.text).toContain('Not marked as posted: "the second one" is not a link to a post on X');
    const [done] = await h.say('https://x.com/regwire/status/1866000000000000123', {
      fromId: 5555,
      chatId: DESK_GROUP_ID,
      replyToMessageId: askedAgain!.message_id,
    });
    expect(done?.text).toMatch(/^Marked as posted on x by User 5555/);
    const view = await h.desk.view(storyId);
    if (!view.ok) throw new Error(view.error);
    const x = view.value.destinations.find((d) => d.destination === 'x');
    expect(x?.parts[part]).toMatchObject({ state: 'sent', remoteId: '1866000000000000123' });
    expect(view.value.history.at(-1)).toMatchObject({ actor: { id: 5555 } });
    expect(h.current(alert).text).toContain('✓ Marked as posted on x by User 5555');
    expect(h.current(alert).reply_markup).toBeUndefined();
  });

  it("someone removed from the editors' chat loses the bot at once, or within a minute when Telegram hides the leave", async () => {
    harness = await startHarness({ bot: { editorIds: [EDITOR_ID], editorsChatId: DESK_GROUP_ID } });
    const h = harness;
    const refused = /only the newsroom's editors/;
    // Two reporters write in the editors' chat: members, so editors in private too.
    for (const reporter of [5555, 6666]) {
      await h.say('morning', { fromId: reporter, chatId: DESK_GROUP_ID, expect: 0 });
      const [reply] = await h.say('/list', { fromId: reporter });
      expect(reply?.text).toBe('Nothing is scheduled.');
    }

    // 5555 is removed and the bot sees it happen: refused from the next message on.
    const left = h.standIn.removeMember(DESK_GROUP_ID, 5555);
    if (!left) throw new Error('the stand-in sent no leave update');
    await h.handled(left);
    const [afterRemoval] = await h.say('/list', { fromId: 5555 });
    expect(afterRemoval?.text).toMatch(refused);

    // 6666 leaves a group that hides leave messages: still trusted until the answer is a minute old, then
    // Telegram is asked again and says "left".
    h.standIn.removeMember(DESK_GROUP_ID, 6666, false);
    const [stillTrusted] = await h.say('/list', { fromId: 6666 });
    expect(stillTrusted?.text).toBe('Nothing is scheduled.');
    h.clock.advance(61_000);
    const [rechecked] = await h.say('/list', { fromId: 6666 });
    expect(rechecked?.text).toMatch(refused);
    expect(h.standIn.calls('getChatMember').length).toBeGreaterThan(0);

    // The configured editor never needs a lookup.
    const lookups = h.standIn.calls('getChatMember').length;
    const [editor] = await h.say('/list');
    expect(editor?.text).toBe('Nothing is scheduled.');
    expect(h.standIn.calls('getChatMember')).toHaveLength(lookups);
  });

  it("without an editors' chat, alerts go to each editor privately; Retry and Skip act", async () => {
    harness = await startHarness();
    const h = harness;
    await h.say('/start', { fromId: SECOND_EDITOR_ID });
    const { storyId } = await queue(h);
    await h.say(`/schedule ${storyId} now`);
    const before = h.replies(EDITOR_ID).length;
    await markState(h.services, storyId, 'telegram', 'failed', h.clock.now(), 'Bad Request: chat not found');
    await h.alert({
      storyId,
      destination: 'telegram',
      kind: 'failed',
      message: 'Bad Request: chat not found',
    });
    expect(h.replies(EDITOR_ID)).toHaveLength(before + 1);
    const alert = h.replies(EDITOR_ID).at(-1)!;
    expect(alert.text).toContain('Publication failed');
    expect(h.replies(SECOND_EDITOR_ID).at(-1)?.text).toContain('Publication failed');
    expect((await h.press(alert, 'Retry')).text).toBe('Done.');
    expect(await h.stateOf(storyId, 'telegram')).toBe('scheduled');
    expect(h.current(alert).text).toContain('✓ Retry on telegram by');

    await markState(h.services, storyId, 'x', 'failed', h.clock.now(), 'duplicate content');
    await h.alert({ storyId, destination: 'x', kind: 'failed', message: 'duplicate content' });
    const second = h.replies(EDITOR_ID).at(-1)!;
    expect(second.text).toContain(`${storyId} on x: duplicate content`);
    expect((await h.press(second, 'Skip')).text).toBe('Done.');
    expect(await h.stateOf(storyId, 'x')).toBe('cancelled');
  });

  it('in groups answers only commands addressed to it', async () => {
    harness = await startHarness();
    const h = harness;
    const before = h.replies(DESK_GROUP_ID).length;
    await h.handled(
      h.standIn.sendUserMessage({
        fromId: EDITOR_ID,
        chatId: DESK_GROUP_ID,
        text: 'just chatting about the SEC',
      }),
      h.standIn.sendUserMessage({ fromId: EDITOR_ID, chatId: DESK_GROUP_ID, text: '/help@some_other_bot' }),
      h.standIn.sendUserMessage({
        fromId: OUTSIDER_ID,
        chatId: DESK_GROUP_ID,
        text: 'Pasted\n\nnot a command',
      }),
    );
    expect(h.replies(DESK_GROUP_ID)).toHaveLength(before);
    const replies = await h.say(`/whoami@${BOT_USERNAME}`, { chatId: DESK_GROUP_ID });
    expect(h.replies(DESK_GROUP_ID).length - before).toBe(1);
    expect(replies[0]?.text).toContain(`Telegram id ${EDITOR_ID}`);
    const [bare] = await h.say('/list', { chatId: DESK_GROUP_ID });
    expect(bare?.text).toBe('Nothing is scheduled.');
  });
});

describe('editor bot: bad input', () => {
  it('a double-pressed button acts once; the second press says who acted', async () => {
    harness = await startHarness();
    const h = harness;
    const { keyboard, storyId } = await queue(h);
    const data = buttonsOf(keyboard).get('Post now')!;
    const answersBefore = h.standIn.callbackAnswers().length;
    await h.handled(
      h.standIn.pressButton({
        fromId: EDITOR_ID,
        messageChatId: EDITOR_ID,
        messageId: keyboard.message_id,
        data,
      }),
      h.standIn.pressButton({
        fromId: SECOND_EDITOR_ID,
        messageChatId: EDITOR_ID,
        messageId: keyboard.message_id,
        data,
      }),
    );
    const answers = h.standIn
      .callbackAnswers()
      .slice(answersBefore)
      .map((a) => a.text);
    expect(answers).toEqual(['Done.', 'Already done by User 4242.']);
    const view = await h.desk.view(storyId);
    if (!view.ok) throw new Error(view.error);
    expect(view.value.history.filter((entry) => entry.action.startsWith('scheduled'))).toHaveLength(1);
    expect(await h.stateOf(storyId, 'telegram')).toBe('scheduled');
    expect(h.current(keyboard).reply_markup).toBeUndefined();
  });

  it("stale buttons (an older version's data, a discarded or unknown story) are answered, never acted on", async () => {
    harness = await startHarness();
    const h = harness;
    const discarded = await queue(h);
    await h.press(discarded.keyboard, 'Discard');
    // A keyboard an older version of the bot left in the chat.
    const old = createTelegramClient({ token: TELEGRAM_SANDBOX_BOT.token, apiRoot: h.standIn.apiRoot });
    const sent = await old.sendMessage(EDITOR_ID, 'An old preview', {
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Old format', callback_data: 'v0:publish:abc' }],
          [{ text: 'Discarded', callback_data: `p:w:${discarded.storyId}` }],
          [{ text: 'Unknown', callback_data: 'p:b:zzzzzzzz' }],
          [{ text: 'Old alert', callback_data: 'a:r:zzzzzzzz:x-main' }],
        ],
      },
    });
    const message = h.replies().find((m) => m.message_id === sent.message_id)!;
    const before = await h.snapshot();
    expect(await h.press(message, 'Old format')).toMatchObject({ text: STALE_BUTTON, show_alert: true });
    expect((await h.press(message, 'Discarded')).text).toBe(
      'nothing to schedule: telegram is cancelled, x is cancelled',
    );
    expect((await h.press(message, 'Unknown')).text).toContain('no story with id zzzzzzzz');
    expect((await h.press(message, 'Old alert')).text).toContain('no story with id zzzzzzzz');
    expect(await h.snapshot()).toEqual(before);
    expect(h.current(message).text).toBe('An old preview');
  });

  it('over-long messages, malformed URLs and unknown ids get a clear answer', async () => {
    harness = await startHarness();
    const h = harness;
    const before = await h.snapshot();
    const [long] = await h.say(`/queue Title\n\n${'word '.repeat(1_000)}`);
    expect(long?.text).toMatch(/That message is 50\d\d characters; the most I read is 4096/);
    const [pastedLong] = await h.say(`Title\n\n${'x'.repeat(5_000)}`);
    expect(pastedLong?.text).toContain('the most I read is 4096');
    for (const bad of [
      'htp:/example',
      'http://',
      'https://exa mple.com',
      'http://localhost/a',
      'ftp://example.com/file',
      'javascript:alert(1)',
    ]) {
      const [reply] = await h.say(`/queue ${bad}`);
      expect(reply?.text, bad).toMatch(/not a web address I can use|Not queued/);
    }
    for (const command of ['/status', '/now', '/cancel', '/retry', '/edit']) {
      const [unknown] = await h.say(`${command} zzzzzzzz`);
      expect(unknown?.text, command).toContain('no story with id zzzzzzzz');
      const [malformed] = await h.say(`${command} not-an-id!`);
      expect(malformed?.text, command).toContain('is not a story id');
    }
    const [noId] = await h.say('/status');
    expect(noId?.text).toContain('Which story?');
    const [unknownCommand] = await h.say('/frobnicate now');
    expect(unknownCommand?.text).toContain("I don't know /frobnicate");
    const [sticker] = await h.say('hello');
    expect(sticker?.text).toContain('Not queued');
    expect(await h.snapshot()).toEqual(before);
  });

  it('a flood from one user gets one "slow down", then silence until the window passes', async () => {
    harness = await startHarness({ bot: { flood: { limit: 3, windowMs: 10_000 } } });
    const h = harness;
    const before = h.replies().length;
    await h.handled(
      ...Array.from({ length: 10 }, () => h.standIn.sendUserMessage({ fromId: EDITOR_ID, text: '/list' })),
    );
    const texts = h
      .replies()
      .slice(before)
      .map((m) => m.text);
    expect(texts.filter((t) => t === 'Nothing is scheduled.')).toHaveLength(3);
    expect(texts.filter((t) => t?.startsWith('Slow down'))).toHaveLength(1);
    expect(texts).toHaveLength(4);
    // Another editor is not affected, and the flooder is heard again after the window.
    const [other] = await h.say('/list', { fromId: SECOND_EDITOR_ID });
    expect(other?.text).toBe('Nothing is scheduled.');
    h.clock.advance(10_001);
    const [again] = await h.say('/list');
    expect(again?.text).toBe('Nothing is scheduled.');
  });

  it('edits of published stories are refused; the Edit button then explains', async () => {
    harness = await startHarness();
    const h = harness;
    const { keyboard, storyId } = await queue(h);
    await markPublished(h.services, storyId, 'telegram', h.clock.now());
    await h.press(keyboard, 'Edit');
    const before = await h.snapshot();
    const [refused] = await h.say('New title\n\nNew body text for the story.');
    expect(refused?.text).toContain('already published on telegram');
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('editor bot: robustness', () => {
  it('a failed setMyCommands is logged, not fatal', async () => {
    harness = await startHarness({
      beforeStart: (standIn) => void standIn.faults.add({ method: 'setMyCommands', kind: 'http-500' }),
    });
    const h = harness;
    expect(h.logs.some((line) => String(line.msg).includes('could not register the command menu'))).toBe(
      true,
    );
    const [help] = await h.say('/help');
    expect(help?.text).toContain('/queue');
  });

  it('fuzz: random command text never crashes the bot and every message is answered', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => 70_000 + i);
    harness = await startHarness({ bot: { editorIds: ids } });
    const h = harness;
    const commands = [
      'queue',
      'schedule',
      'list',
      'status',
      'cancel',
      'now',
      'retry',
      'edit',
      'digest',
      'whoami',
      'help',
      'start',
      'x',
      'Queue',
    ];
    const texts = fc.sample(
      fc
        .tuple(
          fc.constantFrom(...commands),
          fc.constantFrom('', `@${BOT_USERNAME}`, '@other_bot'),
          fc.string({ maxLength: 120, unit: 'binary' }),
        )
        .map(([command, at, rest]) => `/${command}${at} ${rest}`),
      { numRuns: ids.length, seed: 42 },
    );
    await h.handled(...texts.map((text, i) => h.standIn.sendUserMessage({ fromId: ids[i]!, text })));
    expect(ids.filter((id) => h.replies(id).length === 0)).toEqual([]);
    expect(h.logs.filter((line) => String(line.msg).includes('handler failed'))).toEqual([]);
    const [still] = await h.say('/help');
    expect(still?.text).toContain('/queue');
  });
});
