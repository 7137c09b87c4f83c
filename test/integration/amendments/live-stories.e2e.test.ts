import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, uniquePrefix } from '../../../harness/redis.js';
import { standInEnv } from '../../../harness/stand-in-env.js';
import { type App, startApp } from '../../../src/app/start-app.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { amendmentDestination } from '../../../src/domain/amendment.js';
import {
  DEFAULT_STAND_IN_CHATS,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';
import {
  buttonsOf,
  EDITOR_ID,
  type Harness,
  keyboardMessage,
  postedFromBot,
  previewedStoryId,
  publishedOn,
  startHarness,
} from '../bot/editor-bot-harness.js';

// Live stories from the editor bot, on real Redis with regwire's workers posting to the stand-ins: /update
// previews a development and sends it on Send update (a reply to the channel post, the X thread continued
// from its last tweet), /live pins the channel post and /close unpins it, and refused states are answered.

const CHANNEL = TELEGRAM_SANDBOX_CHANNEL.id;
const EDITOR = { kind: 'editor' as const, id: EDITOR_ID, name: '@editor' };
const ARTICLE = [
  'SEC sues exchange over unregistered staking',
  '',
  'The Securities and Exchange Commission filed suit on Tuesday against a large crypto exchange, alleging that its staking programme was an unregistered securities offering.',
  '',
  'The exchange said it would contest the claims in court.',
  '',
  'https://example.com/sec-staking-live',
].join('\n');
const LONG_UPDATE = [
  'The exchange filed its answer on Thursday, asking the court to dismiss the suit and arguing that staking rewards are payment for a service rather than returns on an investment contract.',
  '',
  'Its chief legal officer said the company had met the SEC staff eleven times before the suit was filed and had offered to register the programme under a new framework.',
].join('\n');

let harness: Harness | undefined;
let xStandIn: XStandIn | undefined;
let telegramStandIn: TelegramStandIn | undefined;
let app: App | undefined;
let dir: string | undefined;

afterEach(async () => {
  await harness?.close();
  await app?.close();
  await telegramStandIn?.close();
  await xStandIn?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  harness = undefined;
  app = undefined;
  telegramStandIn = undefined;
  xStandIn = undefined;
  dir = undefined;
});

/** Queues the article, posts it now and waits until it is out on both destinations. */
const publishedStory = (h: Harness): Promise<string> => postedFromBot(h, ARTICLE);

async function retract(h: Harness, storyId: string): Promise<void> {
  const retracted = await h.desk.retract(storyId, 'the suit was not filed', EDITOR);
  if (!retracted.ok) throw new Error(retracted.error);
}

const landed = (h: Harness, storyId: string, amendmentId: string, destinations: string[]) =>
  publishedOn(
    h.stateOf,
    storyId,
    destinations.map((d) => amendmentDestination(d, amendmentId)),
    `${amendmentId} of ${storyId} to land on ${destinations.join(', ')}`,
  );

describe('/update', () => {
  it('previews, then on Send update replies to the channel post and continues the thread; a second update chains on the first', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;
    const storyId = await publishedStory(h);
    const [post] = h.standIn.botReplies(CHANNEL);
    const thread = xs.tweets();
    const threadEnd = thread.at(-1)!;
    expect(thread.length).toBeGreaterThan(1);

    // Without an id: the story previewed last in this chat, named in the answer.
    const preview = await h.say('/update The exchange said on Wednesday it will appeal.', { expect: 3 });
    expect(preview[0]?.text).toMatch(
      new RegExp(`^Update u1 of ${storyId} ".+" \\(previewed last here\\) for telegram, x`),
    );
    // The channel reply as followers will see it, in the editor's chat; nothing sent yet.
    expect(preview.map((m) => m.text)).toContainEqual(
      expect.stringMatching(/^Update \d\d:\d\d UTC\n\nThe exchange said on Wednesday it will appeal\.$/),
    );
    const confirm = keyboardMessage(preview);
    expect(confirm.text).toContain(`a reply to tweet ${threadEnd.id}, the thread's last`);
    expect(h.standIn.botReplies(CHANNEL)).toHaveLength(1);
    expect(xs.tweets()).toHaveLength(thread.length);

    const answer = await h.press(confirm, 'Send update');
    expect(answer.text).toBe('Done.');
    await landed(h, storyId, 'u1', ['telegram', 'x']);
    const replies = h.standIn.botReplies(CHANNEL).filter((m) => m.reply_to_message_id === post!.message_id);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(
      /^Update \d\d:\d\d UTC\n\nThe exchange said on Wednesday it will appeal\.$/,
    );
    expect(replies[0]?.entities).toEqual([{ type: 'bold', offset: 0, length: 16 }]);
    const u1 = xs.tweets().slice(thread.length);
    expect(u1).toHaveLength(1);
    expect(u1[0]?.in_reply_to_tweet_id).toBe(threadEnd.id);
    expect(u1[0]?.text).toMatch(/^Update \d\d:\d\d UTC\n\nThe exchange said on Wednesday it will appeal\.$/);
    // The preview now says who sent it, and has no button left to send it twice.
    expect(h.current(confirm).text).toContain('Sending update u1 by');
    expect(buttonsOf(h.current(confirm)).size).toBe(0);

    const [again] = await h.say(`/update ${storyId} The exchange said on Wednesday it will appeal.`);
    expect(again?.text).toBe(`No update: update u1 of ${storyId} already said this`);
    const second = keyboardMessage(await h.say(`/update ${storyId} ${LONG_UPDATE}`, { expect: 3 }));
    expect(second.text).toContain(`a reply to tweet ${u1[0]!.id}, the thread's last`);
    await h.press(second, 'Send update');
    await landed(h, storyId, 'u2', ['telegram', 'x']);
    const u2 = xs.tweets().slice(thread.length + 1);
    expect(u2.length).toBeGreaterThan(1);
    // The continuation hangs from the first update's last tweet, each tweet from the one before it.
    expect(u2.map((t) => t.in_reply_to_tweet_id)).toEqual([u1[0]!.id, ...u2.slice(0, -1).map((t) => t.id)]);
    for (const t of u2) expect([...t.text].length).toBeLessThanOrEqual(280);
    expect(u2[0]?.text).toMatch(/^Update \d\d:\d\d UTC\n\nThe exchange filed its answer on Thursday/);
    expect(
      h.standIn.botReplies(CHANNEL).filter((m) => m.reply_to_message_id === post!.message_id),
    ).toHaveLength(2);

    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toMatch(
      /update u1 \(telegram, x\): The exchange said on Wednesday it will appeal\./,
    );
    expect(status?.text).toContain('update u2 (telegram, x)');
    expect(status?.text).toContain('telegram~u2 (telegram): published');
    const [listed] = await h.say('/corrections');
    expect(listed?.text).toContain(`${storyId} update u2`);
    expect(listed?.text).toContain(`${storyId} update u1`);
  });

  it('two different updates sent at the same moment: one goes, the other waits its turn and then chains, so the thread never forks', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;
    const storyId = await publishedStory(h);
    const threadEnd = xs.tweets().at(-1)!;
    const first = await h.desk.proposeUpdate(storyId, 'The exchange said it will appeal.', EDITOR);
    const second = await h.desk.proposeUpdate(storyId, 'A second regulator opened an inquiry.', EDITOR);
    if (!first.ok || !second.ok) throw new Error('the updates were not previewed');
    const ids = [first.value.amendment.id, second.value.amendment.id];
    expect(ids).toEqual(['u1', 'u2']);

    // Two editors press Send update at once (the desk in one process, as the bot's handlers run).
    const sent = await Promise.all(ids.map((id) => h.desk.sendUpdate(storyId, id, EDITOR)));
    const winner = sent.findIndex((r) => r.ok);
    const loser = 1 - winner;
    expect(sent.filter((r) => r.ok)).toHaveLength(1);
    expect(sent[loser]).toMatchObject({
      ok: false,
      code: 'refused-state',
      error: `update ${ids[winner]} of ${storyId} was sent at the same moment; send ${ids[loser]} once it is out (see /status ${storyId})`,
    });
    await landed(h, storyId, ids[winner]!, ['telegram', 'x']);
    const again = await h.desk.sendUpdate(storyId, ids[loser]!, EDITOR);
    expect(again.ok).toBe(true);
    await landed(h, storyId, ids[loser]!, ['telegram', 'x']);
    const continuation = xs.tweets().filter((t) => t.text.startsWith('Update '));
    expect(continuation).toHaveLength(2);
    // One chain: the first update from the thread's end, the second from the first update.
    expect(continuation.map((t) => t.in_reply_to_tweet_id)).toEqual([threadEnd.id, continuation[0]!.id]);
    expect(await h.desk.sendUpdate(storyId, ids[loser]!, EDITOR)).toMatchObject({
      ok: false,
      error: `update ${ids[loser]} of ${storyId} was sent already`,
    });
  });

  it('a protected, silent story’s update goes out protected and silent too', async () => {
    xStandIn = await startXStandIn();
    harness = await startHarness({ publishTo: { x: xStandIn } });
    const h = harness;
    const keyboard = keyboardMessage(await h.say(`/queue ${ARTICLE}`, { expect: 3 }));
    const storyId = previewedStoryId(keyboard);
    await h.say(`/protect ${storyId} on`);
    await h.say(`/quiet ${storyId} on`);
    await h.press(keyboard, 'Post now');
    await waitFor(
      async () =>
        (await h.stateOf(storyId, 'telegram')) === 'published' &&
        (await h.stateOf(storyId, 'x')) === 'published',
      { what: 'the story to be published', timeoutMs: 20_000 },
    );
    const [post] = h.standIn.botReplies(CHANNEL);
    expect(post).toMatchObject({ protect_content: true, disable_notification: true });
    await h.press(
      keyboardMessage(await h.say(`/update ${storyId} The exchange will appeal.`, { expect: 3 })),
      'Send update',
    );
    await landed(h, storyId, 'u1', ['telegram', 'x']);
    const reply = h.standIn.botReplies(CHANNEL).find((m) => m.reply_to_message_id === post!.message_id);
    expect(reply).toMatchObject({ protect_content: true, disable_notification: true });
  });

  it('Discard sends nothing; a story not yet published or retracted is refused with the reason', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;

    const draft = previewedStoryId(
      keyboardMessage(
        await h.say('/queue Draft only\n\nNot out yet.\n\nhttps://example.com/draft', { expect: 3 }),
      ),
    );
    const [notYet] = await h.say(`/update ${draft} something happened`);
    expect(notYet?.text).toBe(
      `No update: story ${draft} is not published yet: an update goes under a published story (see /status ${draft})`,
    );
    // Without an id, the draft previewed last is the one meant.
    const [implicit] = await h.say('/update something happened');
    expect(implicit?.text).toContain(`story ${draft} is not published yet`);
    const [empty] = await h.say(`/update ${draft}`);
    expect(empty?.text).toBe('Say what developed: /update <id> the exchange said it will appeal');

    const storyId = await publishedStory(h);
    const tweetsBefore = xs.tweets().length;
    const preview = keyboardMessage(await h.say(`/update ${storyId} a development to drop`, { expect: 3 }));
    await h.press(preview, 'Discard');
    expect(h.current(preview).text).toContain('Update u1 discarded by');
    expect(h.standIn.botReplies(CHANNEL)).toHaveLength(1);
    expect(xs.tweets()).toHaveLength(tweetsBefore);
    const [listed] = await h.say('/corrections');
    expect(listed?.text).toBe('No corrections, retractions or updates.');

    // Retracted through the desk: how /retract asks is the corrections' business, not this test's.
    await retract(h, storyId);
    await landed(h, storyId, 'r1', ['telegram', 'x']);
    const [retracted] = await h.say(`/update ${storyId} The exchange will appeal.`);
    expect(retracted?.text).toBe(
      `No update: story ${storyId} is retracted: it takes no updates and cannot go live`,
    );
    const [noLive] = await h.say(`/live ${storyId}`);
    expect(noLive?.text).toContain(`Not live: story ${storyId} is retracted`);
  });
});

describe('an update whose channel reply Telegram did not confirm', () => {
  async function stoppedUpdate(kind: 'http-502' | 'http-502-after') {
    xStandIn = await startXStandIn();
    harness = await startHarness({ publishTo: { x: xStandIn } });
    const h = harness;
    const storyId = await publishedStory(h);
    const [post] = h.standIn.botReplies(CHANNEL);
    const preview = keyboardMessage(
      await h.say(`/update ${storyId} The exchange will appeal.`, { expect: 3 }),
    );
    const before = h.replies().length;
    // The next sendMessage is the worker's channel reply: pressing a button edits, it sends nothing.
    h.standIn.faults.add({ method: 'sendMessage', kind, times: 1 });
    await h.press(preview, 'Send update');
    await waitFor(async () => (await h.stateOf(storyId, 'telegram~u1')) === 'needs-attention', {
      what: 'the channel reply to wait for an editor',
      timeoutMs: 20_000,
    });
    await waitFor(
      () =>
        h
          .replies()
          .slice(before)
          .some((m) => buttonsOf(m).has('Retry')),
      {
        what: 'the alert with its buttons',
        timeoutMs: 10_000,
      },
    );
    const alert = keyboardMessage(h.replies().slice(before));
    expect(alert.text).toContain(`${storyId} on telegram~u1`);
    const replies = () =>
      h.standIn.botReplies(CHANNEL).filter((m) => m.reply_to_message_id === post!.message_id);
    return { h, storyId, alert, replies };
  }

  it('it had not landed: Retry from the alert sends it, once', async () => {
    const { h, storyId, alert, replies } = await stoppedUpdate('http-502');
    expect(replies()).toEqual([]);
    expect((await h.press(alert, 'Retry')).text).toBe('Done.');
    await landed(h, storyId, 'u1', ['telegram', 'x']);
    expect(replies()).toHaveLength(1);
  });

  it('Skip from the alert stops it there: nothing is sent again, the X continuation stays', async () => {
    const { h, storyId, alert, replies } = await stoppedUpdate('http-502');
    await waitFor(async () => (await h.stateOf(storyId, 'x~u1')) === 'published', {
      what: 'the X continuation',
      timeoutMs: 20_000,
    });
    expect((await h.press(alert, 'Skip')).text).toBe('Done.');
    expect(await h.stateOf(storyId, 'telegram~u1')).toBe('cancelled');
    expect(replies()).toEqual([]);
    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toContain('update u1 skipped on telegram');
  });

  it('it had landed: Mark as posted from the alert finishes it without sending it again', async () => {
    const { h, storyId, alert, replies } = await stoppedUpdate('http-502-after');
    expect(replies()).toHaveLength(1);
    expect((await h.press(alert, 'Mark as posted')).text).toBe('Done.');
    await landed(h, storyId, 'u1', ['telegram', 'x']);
    expect(replies()).toHaveLength(1);
    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toContain('update u1 step 1 marked as posted on telegram');
  });
});

describe('/live and /close', () => {
  it('pins the channel post while the story is live and unpins it on /close; refused states are answered', async () => {
    xStandIn = await startXStandIn();
    harness = await startHarness({ publishTo: { x: xStandIn } });
    const h = harness;
    const storyId = await publishedStory(h);
    const [post] = h.standIn.botReplies(CHANNEL);

    const [notLive] = await h.say(`/close ${storyId}`);
    expect(notLive?.text).toBe(
      `Not closed: story ${storyId} is not live (/live ${storyId} pins it while it is)`,
    );

    const [live] = await h.say(`/live ${storyId}`);
    expect(live?.text).toContain(`${storyId} is live: pinning its channel post.`);
    await landed(h, storyId, 'l1', ['telegram']);
    expect(h.current(post!).pinned).toBe(true);
    const [again] = await h.say(`/live ${storyId}`);
    expect(again?.text).toMatch(
      new RegExp(`^Not live: story ${storyId} is live already \\(since \\d\\d:\\d\\d UTC, l1\\)$`),
    );
    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toContain('live l1 (telegram): pinned while live');
    expect(status?.text).toMatch(
      new RegExp(
        `^${storyId}: ".+"\nLive since .+, its channel post pinned \\(/close ${storyId} ends it\\)\n`,
      ),
    );

    const [closed] = await h.say(`/close ${storyId}`);
    expect(closed?.text).toContain(`${storyId} is no longer live: unpinning its channel post.`);
    await landed(h, storyId, 'e1', ['telegram']);
    expect(h.current(post!).pinned).toBe(false);
    const [after] = await h.say(`/status ${storyId}`);
    expect(after?.text).not.toContain('Live since');
    const [closedAgain] = await h.say(`/close ${storyId}`);
    expect(closedAgain?.text).toContain('is not live');
  });

  it('a retraction takes a live story with it: its pin, its updates on both platforms, its post and thread', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;
    const storyId = await publishedStory(h);
    const [post] = h.standIn.botReplies(CHANNEL);
    await h.say(`/live ${storyId}`);
    await landed(h, storyId, 'l1', ['telegram']);
    await h.press(
      keyboardMessage(await h.say(`/update ${storyId} ${LONG_UPDATE}`, { expect: 3 })),
      'Send update',
    );
    await landed(h, storyId, 'u1', ['telegram', 'x']);
    const reply = h.standIn.botReplies(CHANNEL).find((m) => m.reply_to_message_id === post!.message_id)!;
    expect(xs.tweets().filter((t) => !t.deleted).length).toBeGreaterThan(3);

    await retract(h, storyId);
    await landed(h, storyId, 'r1', ['telegram', 'x']);
    expect(h.current(post!).deleted).toBe(true);
    expect(h.current(reply).deleted).toBe(true);
    expect(xs.tweets().filter((t) => !t.deleted)).toEqual([]);
    const [notLive] = await h.say(`/close ${storyId}`);
    expect(notLive?.text).toContain(`story ${storyId} is retracted`);
  });

  it('a bot without the right to pin: the editors hear why, and the story is not pinned', async () => {
    xStandIn = await startXStandIn();
    const chats = DEFAULT_STAND_IN_CHATS.map((c) =>
      c.id === CHANNEL ? { ...c, cannotPin: [TELEGRAM_SANDBOX_BOT.id] } : c,
    );
    harness = await startHarness({ publishTo: { x: xStandIn }, standIn: { chats } });
    const h = harness;
    const storyId = await publishedStory(h);
    const [post] = h.standIn.botReplies(CHANNEL);
    const before = h.replies().length;

    await h.say(`/live ${storyId}`);
    await waitFor(async () => (await h.stateOf(storyId, 'telegram~l1')) === 'failed', {
      what: 'the pin to fail',
      timeoutMs: 20_000,
    });
    expect(h.current(post!).pinned).toBeFalsy();
    await waitFor(
      () =>
        h
          .replies()
          .slice(before)
          .some((m) => /may not pin messages/.test(m.text ?? '')),
      {
        what: 'the editors to hear why the pin failed',
        timeoutMs: 10_000,
      },
    );
  });
});

describe('from the CLI', () => {
  it('regwire update <id> <text-file> and <text…>, regwire live and close', async () => {
    telegramStandIn = await startTelegramStandIn({ floodLimits: false });
    xStandIn = await startXStandIn();
    const tg = telegramStandIn;
    const xs = xStandIn;
    const prefix = uniquePrefix('cli-live');
    app = await startApp(loadConfig({ env: standInEnv({ prefix, telegram: tg, x: xs }) }), silentLogger, {
      roles: { workers: true, web: false, maintenance: false },
    });
    const services = app.services;
    const stateOf = async (id: string, d: string) =>
      (await services.store.publications(id)).find((p) => p.destination === d)?.state;
    dir = await mkdtemp(path.join(tmpdir(), 'regwire-cli-live-'));
    const env = { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix };
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
      return { code, out, err };
    };
    const landedHere = async (id: string, amendmentId: string, destinations: string[]) =>
      waitFor(
        async () => {
          for (const d of destinations)
            if ((await stateOf(id, amendmentDestination(d, amendmentId))) !== 'published') return false;
          return true;
        },
        { what: `${amendmentId} to land`, timeoutMs: 20_000 },
      );
    await writeFile(
      path.join(dir, 'story.json'),
      JSON.stringify({
        title: 'MiCA: the first licences',
        body: 'ESMA publishes the register.',
        url: 'https://news.example.com/mica-live',
      }),
    );
    const queued = await run('queue', path.join(dir, 'story.json'), '--now');
    const storyId = queued.out[0]!;
    await waitFor(
      async () =>
        (await stateOf(storyId, 'telegram')) === 'published' && (await stateOf(storyId, 'x')) === 'published',
      { what: 'the story to be published', timeoutMs: 20_000 },
    );
    const [post] = tg.botReplies(CHANNEL);
    const threadEnd = xs.tweets().at(-1)!;

    await writeFile(path.join(dir, 'update.txt'), 'ESMA added two more names on Friday.\n');
    // Without --yes (and no terminal to ask at), shown but not sent.
    const unconfirmed = await run('update', storyId, path.join(dir, 'update.txt'));
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err.at(-1)).toBe('regwire: update u1 not sent: add --yes to send what is shown above');
    expect(tg.botReplies(CHANNEL).filter((m) => m.reply_to_message_id === post!.message_id)).toEqual([]);
    const fromFile = await run('update', storyId, path.join(dir, 'update.txt'), '--yes');
    expect(fromFile).toMatchObject({ code: 0, out: ['u2'] });
    expect(fromFile.err.join('\n')).toContain(`x (reply to tweet ${threadEnd.id}):`);
    await landedHere(storyId, 'u2', ['telegram', 'x']);
    const fromWords = await run('update', storyId, 'The', 'register', 'now', 'lists', 'fourteen.', '--yes');
    expect(fromWords).toMatchObject({ code: 0, out: ['u3'] });
    await landedHere(storyId, 'u3', ['telegram', 'x']);
    const replies = tg.botReplies(CHANNEL).filter((m) => m.reply_to_message_id === post!.message_id);
    expect(replies.map((m) => m.text?.replace(/^Update \d\d:\d\d UTC\n\n/, ''))).toEqual([
      'ESMA added two more names on Friday.',
      'The register now lists fourteen.',
    ]);
    const [u1, u2] = xs.tweets().slice(-2);
    expect(u1?.in_reply_to_tweet_id).toBe(threadEnd.id);
    expect(u2?.in_reply_to_tweet_id).toBe(u1?.id);

    expect(await run('live', storyId)).toMatchObject({ code: 0, out: ['l1'] });
    await landedHere(storyId, 'l1', ['telegram']);
    expect(tg.messages(CHANNEL).find((m) => m.message_id === post!.message_id)?.pinned).toBe(true);
    expect((await run('status', storyId)).out.join('\n')).toContain('live since ');
    expect(await run('close', storyId)).toMatchObject({ code: 0, out: ['e1'] });
    await landedHere(storyId, 'e1', ['telegram']);
    expect(tg.messages(CHANNEL).find((m) => m.message_id === post!.message_id)?.pinned).toBe(false);
    const notLive = await run('close', storyId);
    expect(notLive.code).toBe(2);
    expect(notLive.err).toEqual([
      `regwire: story ${storyId} is not live (/live ${storyId} pins it while it is)`,
    ]);
    expect(await run('update', storyId)).toMatchObject({
      code: 2,
      err: ['regwire: update takes <story-id> <text-file | text…>'],
    });
  });
});
