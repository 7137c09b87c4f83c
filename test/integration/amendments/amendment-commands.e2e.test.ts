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
import { type Harness, keyboardMessage, previewedStoryId, startHarness } from '../bot/editor-bot-harness.js';

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

async function amended(
  stateOf: (storyId: string, destination: string) => Promise<string | undefined>,
  storyId: string,
  amendmentId: string,
): Promise<void> {
  await waitFor(
    async () =>
      (await stateOf(storyId, amendmentDestination('telegram', amendmentId))) === 'published' &&
      (await stateOf(storyId, amendmentDestination('x', amendmentId))) === 'published',
    { what: `amendment ${amendmentId} of ${storyId} to land on both destinations`, timeoutMs: 20_000 },
  );
}

describe('from the editor bot', () => {
  it('/correct edits the channel post and replies under the thread; /retract deletes both; /corrections lists them', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;
    const keyboard = keyboardMessage(await h.say(`/queue ${ARTICLE}`, { expect: 3 }));
    const storyId = previewedStoryId(keyboard);
    await h.press(keyboard, 'Post now');
    await waitFor(
      async () =>
        (await h.stateOf(storyId, 'telegram')) === 'published' &&
        (await h.stateOf(storyId, 'x')) === 'published',
      { what: 'the story to be published', timeoutMs: 20_000 },
    );
    const [post] = h.standIn.botReplies(CHANNEL);
    const firstTweet = xs.tweets()[0]!;

    const [answer] = await h.say(`/correct ${storyId} the suit was filed on Wednesday`);
    expect(answer?.text).toContain(`${storyId} correction c1`);
    await amended(h.stateOf, storyId, 'c1');
    const corrected = h.current(post!);
    expect(corrected.history).toHaveLength(1);
    expect(corrected.text).toMatch(/\n\nCorrected \d\d:\d\d UTC: the suit was filed on Wednesday$/);
    const replies = xs
      .tweets()
      .filter((t) => t.in_reply_to_tweet_id === firstTweet.id && t.text.startsWith('Correction:'));
    expect(replies.map((t) => t.text)).toEqual(['Correction: the suit was filed on Wednesday']);

    const [retracting] = await h.say(`/retract ${storyId} the suit was not filed`);
    expect(retracting?.text).toContain(`${storyId} retraction r1`);
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

    const corrected = await run(
      'correct',
      storyId,
      path.join(dir, 'fixed.json'),
      '--note',
      'eleven, not twelve',
    );
    expect(corrected).toMatchObject({ code: 0, out: ['c1'] });
    await amended(stateOf, storyId, 'c1');
    const edited = telegramStandIn.messages(CHANNEL).find((m) => m.message_id === post!.message_id)!;
    expect(edited.text).toContain('register of eleven');
    expect(edited.text).toMatch(/Corrected \d\d:\d\d UTC: eleven, not twelve$/);

    telegramStandIn.ageMessage(CHANNEL, post!.message_id, 72 * HOUR_MS);
    expect(await run('retract', storyId)).toMatchObject({ code: 2 });
    const retracted = await run('retract', storyId, '--reason', 'the register was withdrawn');
    expect(retracted).toMatchObject({ code: 0, out: ['r1'] });
    await amended(stateOf, storyId, 'r1');
    const notice = telegramStandIn.messages(CHANNEL).find((m) => m.message_id === post!.message_id)!;
    expect(notice.deleted).toBe(false);
    expect(notice.text).toMatch(
      /^Retracted \d\d:\d\d UTC: the register was withdrawn\n\nMiCA: the first twelve licences$/,
    );
    expect(xStandIn.tweets().filter((t) => !t.deleted)).toEqual([]);
  });
});
