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
  startTelegramStandIn,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';
import {
  buttonsOf,
  type Harness,
  keyboardMessage,
  postedFromBot,
  publishedOn,
  startHarness,
} from '../bot/editor-bot-harness.js';

// /correct, /retract and /corrections from the editor bot, and `regwire correct` / `regwire retract` from
// the CLI, on real Redis with regwire's workers posting to the stand-ins.

const CHANNEL = TELEGRAM_SANDBOX_CHANNEL.id;
const HOUR_MS = 3_600_000;
const ARTICLE = [
  'SEC sues exchange over unregistered staking',
  '',
  'The Securities and Exchange Commission filed suit on Tuesday against a large crypto exchange, alleging that its staking programme was an unregistered securities offering.',
  '',
  'The exchange said it would contest the claims in court.',
  '',
  'https://example.com/sec-staking-amend',
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

/** Waits until amendment `amendmentId` of the story is out on both destinations. */
const amended = (stateOf: Harness['stateOf'], storyId: string, amendmentId: string): Promise<void> =>
  publishedOn(
    stateOf,
    storyId,
    ['telegram', 'x'].map((d) => amendmentDestination(d, amendmentId)),
    `amendment ${amendmentId} of ${storyId} to land on both destinations`,
  );

describe('from the editor bot', () => {
  it('/correct edits the channel post and replies under the thread; /retract deletes both; /corrections lists them', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;
    const storyId = await postedFromBot(h, ARTICLE);
    const [post] = h.standIn.botReplies(CHANNEL);
    const firstTweet = xs.tweets()[0]!;
    const thread = xs.tweets().length;

    const correcting = await h.say(`/correct ${storyId} the suit was filed on Wednesday`, { expect: 3 });
    const [heading, diff] = correcting;
    expect(heading?.text).toContain('Correction c1 of');
    // The channel post's before and after as a word diff: the new line's words are marked as added.
    expect(diff?.text).toMatch(/is edited in place/);
    expect(diff?.text).toContain('Corrected');
    const added = (diff?.entities ?? []).filter((e) => e.type === 'underline');
    expect(added.map((e) => diff!.text!.slice(e.offset, e.offset + e.length)).join(' ')).toMatch(
      /Corrected \d\d:\d\d UTC: the suit was filed on Wednesday/,
    );
    const confirmCorrection = keyboardMessage(correcting);
    expect(confirmCorrection.text).toContain(
      `a reply under tweet ${firstTweet.id}:\nCorrection: the suit was filed on Wednesday`,
    );
    expect(confirmCorrection.text).toContain('Nothing is sent before you press Confirm');
    // Nothing goes out on a preview.
    expect(await h.stateOf(storyId, amendmentDestination('telegram', 'c1'))).toBeUndefined();
    expect(h.current(post!).history ?? []).toHaveLength(0);
    expect(xs.tweets()).toHaveLength(thread);
    expect((await h.press(confirmCorrection, 'Confirm')).text).toBe('Done.');
    await amended(h.stateOf, storyId, 'c1');
    // The buttons are gone once pressed; a confirmation that comes anyway (a second editor's stale
    // client, the CLI) is refused and sends nothing more.
    expect(buttonsOf(h.current(confirmCorrection)).size).toBe(0);
    const again = await h.desk.confirmAmendment(storyId, 'c1', { kind: 'editor', name: 'second' });
    expect(again).toMatchObject({ ok: false, error: expect.stringContaining('confirmed already') });
    const corrected = h.current(post!);
    expect(corrected.history).toHaveLength(1);
    expect(corrected.text).toMatch(/\n\nCorrected \d\d:\d\d UTC: the suit was filed on Wednesday$/);
    const replies = xs
      .tweets()
      .filter((t) => t.in_reply_to_tweet_id === firstTweet.id && t.text.startsWith('Correction:'));
    expect(replies.map((t) => t.text)).toEqual(['Correction: the suit was filed on Wednesday']);

    const retracting = await h.say(`/retract ${storyId} the suit was not filed`, { expect: 3 });
    expect(retracting[1]?.text).toMatch(
      /the channel post \(message \d+, sent less than an hour ago\) is deleted/,
    );
    const confirmRetraction = keyboardMessage(retracting);
    // The thread's tweets and the correction's reply.
    expect(confirmRetraction.text).toContain(`x: ${thread + 1} tweets deleted, newest first`);
    expect(await h.stateOf(storyId, amendmentDestination('telegram', 'r1'))).toBeUndefined();
    expect(h.standIn.messages(CHANNEL).find((m) => m.message_id === post!.message_id)?.deleted).toBe(false);
    await h.press(confirmRetraction, 'Confirm');
    expect(h.current(confirmRetraction).text).toContain(`${storyId} retraction r1`);
    await amended(h.stateOf, storyId, 'r1');
    expect(h.standIn.messages(CHANNEL).find((m) => m.message_id === post!.message_id)?.deleted).toBe(true);
    expect(xs.tweets().filter((t) => !t.deleted)).toEqual([]);

    const [listed] = await h.say('/corrections');
    expect(listed?.text).toContain(`${storyId} retraction r1`);
    expect(listed?.text).toContain('(deleted)');
    expect(listed?.text).toContain(`${storyId} correction c1`);
    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toMatch(/correction c1 \(telegram, x\): the suit was filed on Wednesday/);
    expect(status?.text).toMatch(/retraction r1 \(telegram, x\): the suit was not filed/);
  });

  it('Cancel under a correction preview sends nothing, and Confirm after it is refused', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;
    const storyId = await postedFromBot(h, ARTICLE);
    const [post] = h.standIn.botReplies(CHANNEL);
    const preview = keyboardMessage(await h.say(`/correct ${storyId} a typo`, { expect: 3 }));
    // A second preview of its own: cancelling one leaves the other to confirm.
    const other = keyboardMessage(await h.say(`/correct ${storyId} the vote was 3-2`, { expect: 3 }));
    expect((await h.press(preview, 'Cancel')).text).toBe('Done.');
    expect(h.current(preview).text).toContain('c1 cancelled');
    const refused = await h.desk.confirmAmendment(storyId, 'c1', { kind: 'editor', name: 'someone' });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('cancelled') });
    // Two confirmations at once (two editors, two processes): one sends, the other is refused.
    const both = await Promise.all([
      h.desk.confirmAmendment(storyId, 'c2', { kind: 'editor', name: 'first' }),
      h.desk.confirmAmendment(storyId, 'c2', { kind: 'editor', name: 'second' }),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(buttonsOf(other).size).toBe(2);
    await amended(h.stateOf, storyId, 'c2');
    expect(h.current(post!).text).toMatch(/Corrected \d\d:\d\d UTC: the vote was 3-2$/);
    expect(h.current(post!).text).not.toContain('a typo');
    expect(
      xs
        .tweets()
        .filter((t) => t.text.startsWith('Correction:'))
        .map((t) => t.text),
    ).toEqual(['Correction: the vote was 3-2']);
    expect(await h.stateOf(storyId, amendmentDestination('telegram', 'c1'))).toBeUndefined();

    // Confirm and Cancel of one preview at once (two editors): one of them wins, never both.
    await h.say(`/correct ${storyId} the fine was €2m`, { expect: 3 });
    const editor = { kind: 'editor', name: 'first' } as const;
    const [confirmed, cancelled] = await Promise.all([
      h.desk.confirmAmendment(storyId, 'c3', editor),
      h.desk.cancelAmendment(storyId, 'c3', { ...editor, name: 'second' }),
    ]);
    expect([confirmed.ok, cancelled.ok].filter(Boolean)).toHaveLength(1);
    const started = await h.stateOf(storyId, amendmentDestination('telegram', 'c3'));
    expect(started !== undefined).toBe(confirmed.ok);
  });
});

describe('the retraction preview of a live story', () => {
  it('says its post is unpinned first and shows each channel post it deletes: its update replies and the post', async () => {
    xStandIn = await startXStandIn();
    harness = await startHarness({ publishTo: { x: xStandIn } });
    const h = harness;
    const storyId = await postedFromBot(h, ARTICLE);
    const [post] = h.standIn.botReplies(CHANNEL);
    await h.say(`/live ${storyId}`);
    const update = keyboardMessage(
      await h.say(`/update ${storyId} The exchange will appeal.`, { expect: 2 }),
    );
    await h.press(update, 'Send update');
    await waitFor(
      async () =>
        (await h.stateOf(storyId, amendmentDestination('telegram', 'l1'))) === 'published' &&
        (await h.stateOf(storyId, amendmentDestination('telegram', 'u1'))) === 'published' &&
        (await h.stateOf(storyId, amendmentDestination('x', 'u1'))) === 'published',
      { what: 'the pin and the update', timeoutMs: 20_000 },
    );
    const reply = h.standIn.botReplies(CHANNEL).find((m) => m.reply_to_message_id === post!.message_id)!;

    const preview = await h.say(`/retract ${storyId} the suit was not filed`, { expect: 4 });
    const deletions = preview.filter((m) =>
      /is deleted \(Telegram allows it for 48 hours/.test(m.text ?? ''),
    );
    expect(deletions.map((m) => /message (\d+)/.exec(m.text ?? '')?.[1])).toEqual([
      String(reply.message_id),
      String(post!.message_id),
    ]);
    expect(keyboardMessage(preview).text).toContain(
      `telegram: the live story's post (message ${post!.message_id}) is unpinned first`,
    );
    // Nothing moved: still pinned, the reply still there.
    expect(h.current(post!).pinned).toBe(true);
    expect(h.current(reply).deleted).toBe(false);
  });
});

describe('from the CLI', () => {
  it('regwire correct <id> <file> and regwire retract <id> --reason: a 3-day-old post is edited, not deleted', async () => {
    telegramStandIn = await startTelegramStandIn({ floodLimits: false });
    xStandIn = await startXStandIn();
    const prefix = uniquePrefix('cli-amend');
    app = await startApp(
      loadConfig({ env: standInEnv({ prefix, telegram: telegramStandIn, x: xStandIn }) }),
      silentLogger,
      { roles: { workers: true, web: false, maintenance: false } },
    );
    const services = app.services;
    const stateOf = async (id: string, d: string) =>
      (await services.store.publications(id)).find((p) => p.destination === d)?.state;
    dir = await mkdtemp(path.join(tmpdir(), 'regwire-cli-amend-'));
    const env = { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix };
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
      return { code, out, err };
    };
    const story = {
      title: 'MiCA: the first twelve licences',
      body: 'ESMA publishes the register of twelve.',
      url: 'https://news.example.com/mica-12',
    };
    await writeFile(path.join(dir, 'story.json'), JSON.stringify(story));
    await writeFile(
      path.join(dir, 'fixed.json'),
      JSON.stringify({ ...story, body: 'ESMA publishes the register of eleven.' }),
    );

    const queued = await run('queue', path.join(dir, 'story.json'), '--now');
    expect(queued.code).toBe(0);
    const storyId = queued.out[0]!;
    await waitFor(
      async () =>
        (await stateOf(storyId, 'telegram')) === 'published' && (await stateOf(storyId, 'x')) === 'published',
      {
        what: 'the story to be published',
        timeoutMs: 20_000,
      },
    );
    const [post] = telegramStandIn.botReplies(CHANNEL);

    // Without --yes (and no terminal to ask at) the preview is printed and nothing is sent.
    const unconfirmed = await run(
      'correct',
      storyId,
      path.join(dir, 'fixed.json'),
      '--note',
      'eleven, not twelve',
    );
    expect(unconfirmed).toMatchObject({ code: 2, out: [] });
    expect(unconfirmed.err.join('\n')).toContain('register of [-twelve.-] {+eleven.+}');
    expect(unconfirmed.err.join('\n')).toContain('add --yes');
    expect(await stateOf(storyId, amendmentDestination('telegram', 'c1'))).toBeUndefined();
    const corrected = await run(
      'correct',
      storyId,
      path.join(dir, 'fixed.json'),
      '--note',
      'eleven, not twelve',
      '--yes',
    );
    expect(corrected).toMatchObject({ code: 0, out: ['c2'] });
    await amended(stateOf, storyId, 'c2');
    const edited = telegramStandIn.messages(CHANNEL).find((m) => m.message_id === post!.message_id)!;
    expect(edited.text).toContain('register of eleven');
    expect(edited.text).toMatch(/Corrected \d\d:\d\d UTC: eleven, not twelve$/);

    telegramStandIn.ageMessage(CHANNEL, post!.message_id, 72 * HOUR_MS);
    // regwire's ledger dates the post as sent three days ago too: the preview tells from it.
    const [sentPart] = await services.store.parts(storyId, 'telegram');
    await services.store.setPart(storyId, 'telegram', {
      ...sentPart!,
      at: new Date(Date.now() - 72 * HOUR_MS).toISOString(),
    });
    const out: string[] = [];
    const err: string[] = [];
    expect(await run('retract', storyId)).toMatchObject({ code: 2 });
    // At a terminal, the person is asked; the post is 3 days old, so the preview says it becomes a notice.
    const questions: string[] = [];
    const retracted = await runCli(['retract', storyId, '--reason', 'the register was withdrawn'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env,
      confirm: async (question) => {
        questions.push(question);
        return true;
      },
    });
    expect(retracted).toBe(0);
    expect(out).toEqual(['r1']);
    expect(questions).toEqual(['Send retraction r1? [y/N] ']);
    expect(err.join('\n')).toMatch(
      /channel post \d+ \(sent .+\) is too old to delete \(48 hours\): it is edited into this notice:\nRetracted/,
    );
    expect(err.join('\n')).toMatch(/x: tweet \d+ deleted/);
    await amended(stateOf, storyId, 'r1');
    const notice = telegramStandIn.messages(CHANNEL).find((m) => m.message_id === post!.message_id)!;
    expect(notice.deleted).toBe(false);
    expect(notice.text).toMatch(
      /^Retracted \d\d:\d\d UTC: the register was withdrawn\n\nMiCA: the first twelve licences$/,
    );
    expect(xStandIn.tweets().filter((t) => !t.deleted)).toEqual([]);
  });
});
