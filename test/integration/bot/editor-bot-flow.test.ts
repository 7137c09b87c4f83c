import { afterEach, describe, expect, it } from 'vitest';
import { TELEGRAM_SANDBOX_CHANNEL } from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { waitFor } from '../../support/wait-for.js';
import {
  buttonsOf,
  EDITOR_ID,
  type Harness,
  keyboardMessage,
  previewedStoryId,
  startHarness,
} from './editor-bot-harness.js';
import { markPublished, markState } from './worker-states.js';

const ARTICLE = [
  'SEC sues exchange over unregistered staking',
  '',
  'The Securities and Exchange Commission filed suit on Tuesday against a large crypto exchange, alleging that its staking programme was an unregistered securities offering.',
  '',
  'The exchange said it would contest the claims in court. Bitcoin regulation experts expect a long fight.',
  '',
  'https://example.com/sec-staking',
].join('\n');

let harness: Harness | undefined;
let xStandIn: XStandIn | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await xStandIn?.close();
  xStandIn = undefined;
});

async function queueArticle(h: Harness, text = ARTICLE) {
  const replies = await h.say(`/queue ${text}`, { expect: 3 });
  const keyboard = keyboardMessage(replies);
  return { replies, keyboard, storyId: previewedStoryId(keyboard) };
}

describe('editor bot: help and the preview', () => {
  it('answers /start and /help with every command and an example', async () => {
    harness = await startHarness();
    const [start] = await harness.say('/start');
    const [help] = await harness.say('/help');
    for (const text of [start?.text, help?.text]) {
      for (const command of [
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
      ]) {
        expect(text).toContain(`/${command}`);
      }
      expect(text).toContain('/schedule k3m9x2qa tomorrow 09:00');
    }
    expect(harness.standIn.calls('setMyCommands')).toHaveLength(1);
  });

  it('/queue with text replies with the channel post exactly as rendered, the numbered thread and the buttons', async () => {
    harness = await startHarness();
    const { replies, keyboard, storyId } = await queueArticle(harness);
    const view = await harness.desk.view(storyId);
    if (!view.ok) throw new Error(view.error);
    const payload = view.value.rendered.telegram[0]!;
    const post = replies.find(
      (m) => m.text === (payload.method === 'sendMessage' ? payload.text : undefined),
    );
    expect(post, 'the channel post as followers see it').toBeDefined();
    expect(post!.entities ?? []).toEqual(payload.method === 'sendMessage' ? payload.entities : []);
    expect(post!.reply_markup).toBeUndefined();

    const tweets = view.value.rendered.x;
    expect(keyboard.text).toContain(`1/${tweets.length} · `);
    expect(keyboard.text).toMatch(/\d+\/280/);
    expect(keyboard.text).toContain(tweets[0]!.text);
    expect(keyboard.text).toContain('When it would publish');
    expect(keyboard.text).toMatch(
      /telegram \[next slot\]: \w{3} \d+ \w{3} \d{4}, \d\d:\d\d \(Europe\/Berlin\)/,
    );
    expect([...buttonsOf(keyboard).keys()]).toEqual([
      'Next slot',
      'Post now',
      'Breaking',
      'Schedule…',
      'Edit',
      'Discard',
      '✓ Link last',
      'Link first',
      'Link reply',
      'Link none',
    ]);
    for (const data of buttonsOf(keyboard).values()) expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
  });

  it('lists what hygiene changed', async () => {
    harness = await startHarness();
    const { keyboard } = await queueArticle(
      harness,
      'Title   with  spaces\n\nBody text that is long enough to be a story body.\n\nhttps://example.com/hyg',
    );
    expect(keyboard.text).toMatch(/Cleaned on intake:/);
  });

  it('queues a pasted article and a forwarded channel post', async () => {
    harness = await startHarness();
    const pasted = await harness.say(ARTICLE.replace('sec-staking', 'pasted'), { expect: 3 });
    expect(keyboardMessage(pasted).text).toContain('Preview of');
    const forwarded = await harness.say(
      'MiCA licence granted\n\nThe regulator granted the first licence under MiCA to a stablecoin issuer. https://example.com/mica',
      {
        expect: 3,
        forwardedFromChatId: TELEGRAM_SANDBOX_CHANNEL.id,
      },
    );
    expect(keyboardMessage(forwarded).text).toContain('MiCA licence granted');
    expect(await harness.storyCount()).toBe(2);
  });

  it('/queue <url> alone: takes the page metadata; when unreadable asks for the text and uses it', async () => {
    harness = await startHarness({
      bot: {
        fetchPage: async (url) => {
          if (url.includes('good'))
            return {
              title: 'CFTC fines broker',
              description: 'The CFTC fined a broker for unregistered swaps.',
            };
          throw new Error('the site answered 404 Not Found');
        },
      },
    });
    const good = await harness.say('/queue https://example.com/good', { expect: 3 });
    expect(keyboardMessage(good).text).toContain('CFTC fines broker');

    const [ask] = await harness.say('/queue https://example.com/missing');
    expect(ask?.text).toContain('404 Not Found');
    expect(ask?.text).toContain('Send me the story text');
    const preview = await harness.say('Broker fined\n\nA broker was fined by the regulator.', { expect: 3 });
    const storyId = previewedStoryId(keyboardMessage(preview));
    const view = await harness.desk.view(storyId);
    expect(view.ok && view.value.story.url).toBe('https://example.com/missing');
    expect(keyboardMessage(preview).text).toContain('Broker fined');
  });
});

describe('editor bot: the whole flow to published posts', () => {
  it('/queue → Post now → channel post and thread published → /status shows the links and history', async () => {
    xStandIn = await startXStandIn();
    const xs = xStandIn;
    harness = await startHarness({ publishTo: { x: xs } });
    const h = harness;

    const { keyboard, storyId } = await queueArticle(h);
    const answer = await h.press(keyboard, 'Post now');
    expect(answer.text).toBe('Done.');
    const edited = h.current(keyboard);
    expect(edited.text).toContain('✓ Posting now by User 4242, ');
    expect(edited.reply_markup).toBeUndefined();

    await waitFor(
      async () =>
        (await h.stateOf(storyId, 'telegram')) === 'published' &&
        (await h.stateOf(storyId, 'x')) === 'published',
      { what: 'the story to be published on both destinations' },
    );
    const channel = h.standIn.botReplies(TELEGRAM_SANDBOX_CHANNEL.id);
    expect(channel).toHaveLength(1);
    const view = await h.desk.view(storyId);
    if (!view.ok) throw new Error(view.error);
    const payload = view.value.rendered.telegram[0]!;
    expect(channel[0]!.text).toBe(payload.method === 'sendMessage' ? payload.text : undefined);
    expect(xs.threads()).toHaveLength(1);
    expect(xs.tweets()).toHaveLength(view.value.rendered.x.length);

    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toContain('telegram (telegram): published');
    expect(status?.text).toContain(`https://t.me/regwire_sandbox/${channel[0]!.message_id}`);
    expect(status?.text).toContain(`https://x.com/i/web/status/${xs.tweets()[0]!.id}`);
    expect(status?.text).toMatch(/History:\n.*drafted by User 4242/);
    expect(status?.text).toMatch(/scheduled \(now\): telegram .*; x .* by User 4242/);
  });
});

describe('editor bot: buttons on the preview', () => {
  it('Next slot and Breaking schedule; Discard discards; Schedule… and Edit explain', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await queueArticle(h);
    await h.press(first.keyboard, 'Next slot');
    expect(await h.stateOf(first.storyId, 'telegram')).toBe('scheduled');
    expect(h.current(first.keyboard).text).toContain('✓ Scheduled for the next slot by');

    const second = await queueArticle(h, ARTICLE.replace('sec-staking', 'second'));
    await h.press(second.keyboard, 'Breaking');
    expect(await h.stateOf(second.storyId, 'x')).toBe('scheduled');
    expect(h.current(second.keyboard).text).toContain('breaking news');

    const third = await queueArticle(h, ARTICLE.replace('sec-staking', 'third'));
    const before = h.replies().length;
    await h.press(third.keyboard, 'Schedule…');
    expect(h.replies().slice(before).at(-1)?.text).toContain(`/schedule ${third.storyId} <when>`);
    await h.press(third.keyboard, 'Edit');
    expect(h.replies().at(-1)?.text).toContain(`Send the new text for ${third.storyId}`);
    const edited = await h.say(
      'A new headline for the story\n\nAnd a new body, with enough words to publish.',
      { expect: 3 },
    );
    expect(keyboardMessage(edited).text).toContain('A new headline for the story');

    // Asked again, then the bot restarts before the answer: the answer is a reply to the question (the
    // question asks for one), so it is still understood as this story's new text, not a new story.
    await h.press(third.keyboard, 'Edit');
    const question = h.replies().at(-1)!;
    expect(question.reply_markup).toMatchObject({ force_reply: true });
    await h.restart();
    const storiesBefore = await h.storyCount();
    const afterRestart = await h.say('A headline written after a restart\n\nThe body stays as it was.', {
      expect: 3,
      replyToMessageId: question.message_id,
    });
    expect(afterRestart.map((m) => m.text).join('\n')).toContain(`Edited ${third.storyId}`);
    expect(keyboardMessage(afterRestart).text).toContain('A headline written after a restart');
    expect(await h.storyCount()).toBe(storiesBefore);

    const discard = await h.press(third.keyboard, 'Discard');
    expect(discard.text).toBe('Done.');
    expect(await h.stateOf(third.storyId, 'x')).toBe('cancelled');
    expect(h.current(third.keyboard).text).toContain('✓ Discarded by');
  });
});

describe('editor bot: /schedule', () => {
  it('reads time phrases in the desk time zone and shows them back; per destination; refuses the past and nonsense', async () => {
    harness = await startHarness();
    const h = harness;
    const { storyId } = await queueArticle(h);
    const [later] = await h.say(`/schedule ${storyId} in 2h`);
    expect(later?.text).toMatch(new RegExp(`^Scheduled ${storyId}:\\n`));
    expect(later?.text).toMatch(/\n• telegram \[scheduled\]: .*\(Europe\/Berlin\)/);
    expect(Math.abs((await atMsOf(h, storyId, 'telegram')) - (h.clock.now() + 2 * 3_600_000))).toBeLessThan(
      60_000,
    );

    const [tomorrow] = await h.say(`/schedule ${storyId} tomorrow 09:00`);
    expect(tomorrow?.text).toContain('09:00 (Europe/Berlin)');

    const [iso] = await h.say(`/schedule ${storyId} 2030-12-01 08:00`);
    expect(iso?.text).toContain('Sun 1 Dec 2030, 08:00 (Europe/Berlin)');
    const [isoZ] = await h.say(`/schedule ${storyId} 2030-12-01T08:00:00Z`);
    expect(isoZ?.text).toContain('Sun 1 Dec 2030, 09:00 (Europe/Berlin)');

    const [onlyX] = await h.say(`/schedule ${storyId} x 2031-01-02 10:00`);
    expect(onlyX?.text).toContain('x [scheduled]: Thu 2 Jan 2031, 10:00');
    expect(await atMsOf(h, storyId, 'telegram')).toBe(Date.parse('2030-12-01T08:00:00Z'));
    const [tgNext] = await h.say(`/schedule ${storyId} tg next`);
    expect(tgNext?.text).toContain('telegram [scheduled]');
    const [clock] = await h.say(`/schedule ${storyId} 14:30`);
    expect(clock?.text).toContain('14:30 (Europe/Berlin)');

    const before = await h.snapshot();
    const [past] = await h.say(`/schedule ${storyId} 2020-01-01 08:00`);
    expect(past?.text).toContain('is in the past');
    expect(past?.text).toContain('/schedule k3m9x2qa tomorrow 09:00');
    const [nonsense] = await h.say(`/schedule ${storyId} whenever you like`);
    expect(nonsense?.text).toMatch(/can't read/i);
    expect(nonsense?.text).toContain('e.g. /schedule');
    const [missing] = await h.say(`/schedule ${storyId}`);
    expect(missing?.text).toContain('When?');
    const [badDest] = await h.say(`/schedule ${storyId} telegram-backup in 1h`);
    expect(badDest?.text).toMatch(/can't read|No destination/i);
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('editor bot: /list, /status and story commands', () => {
  it('/list pages through upcoming publications with buttons', async () => {
    harness = await startHarness();
    const h = harness;
    for (let i = 0; i < 5; i++) {
      const { storyId } = await queueArticle(h, ARTICLE.replace('sec-staking', `list-${i}`));
      await h.say(`/schedule ${storyId} in ${i + 1}h`);
    }
    const [page1] = await h.say('/list');
    expect(page1?.text).toContain('Upcoming (1–8)');
    expect(page1?.text).toContain('telegram:');
    expect(page1?.text).toContain('x:');
    expect([...buttonsOf(page1!).keys()]).toEqual(['Later ›']);
    await h.press(page1!, 'Later ›');
    const page2 = h.current(page1!);
    expect(page2.text).toContain('Upcoming (9–10)');
    expect([...buttonsOf(page2).keys()]).toEqual(['‹ Earlier']);
    await h.press(page2, '‹ Earlier');
    expect(h.current(page1!).text).toContain('Upcoming (1–8)');
  });

  it('/now, /cancel, /retry and /edit, with /edit refused once published', async () => {
    harness = await startHarness();
    const h = harness;
    const { storyId } = await queueArticle(h);
    const [retryNothing] = await h.say(`/retry ${storyId}`);
    expect(retryNothing?.text).toContain('nothing to retry');
    const [edited] = await h.say(`/edit ${storyId} title Exchange sued by the SEC`, { expect: 3 });
    expect(edited?.text).toContain(`Edited ${storyId}`);
    const [now] = await h.say(`/now ${storyId}`);
    expect(now?.text).toContain(`Publishing ${storyId} now`);
    await markPublished(h.services, storyId, 'telegram', h.clock.now());
    const [refused] = await h.say(`/edit ${storyId} body Another body entirely.`);
    expect(refused?.text).toContain('Not edited');
    expect(refused?.text).toContain('already published on telegram');
    const [cancel] = await h.say(`/cancel ${storyId}`);
    expect(cancel?.text).toContain(`Cancelled ${storyId}`);
    expect(await h.stateOf(storyId, 'telegram')).toBe('published');
    expect(await h.stateOf(storyId, 'x')).toBe('cancelled');

    const failed = await queueArticle(h, ARTICLE.replace('sec-staking', 'failing'));
    await markState(h.services, failed.storyId, 'x', 'failed', h.clock.now());
    const [retry] = await h.say(`/retry ${failed.storyId}`);
    expect(retry?.text).toContain(`Retrying ${failed.storyId}`);
    expect(await h.stateOf(failed.storyId, 'x')).toBe('scheduled');
  });

  it('/digest previews what was published since the last digest; /whoami', async () => {
    harness = await startHarness();
    const h = harness;
    const [none] = await h.say('/digest');
    expect(none?.text).toContain('no stories were published in the digest period');
    const { storyId } = await queueArticle(h);
    await markPublished(h.services, storyId, 'telegram', h.clock.now());
    const preview = await h.say('/digest', { expect: 2 });
    const ask = keyboardMessage(preview);
    expect(ask.text).toContain(`Today's digest: 1 stories (${storyId})`);
    expect(preview[0]?.text).toContain('Crypto regulation today');
    expect([...buttonsOf(ask).keys()]).toEqual(['Send digest now']);
    const [who] = await h.say('/whoami', { username: 'alice' });
    expect(who?.text).toBe(
      `You are @alice, Telegram id ${EDITOR_ID}. You are an editor: you can queue, schedule, edit and cancel stories.`,
    );
  });

  it('"Send digest now" under the preview sends the digest that was previewed', async () => {
    harness = await startHarness();
    const h = harness;
    const { storyId } = await queueArticle(h);
    await markPublished(h.services, storyId, 'telegram', h.clock.now());
    const ask = keyboardMessage(await h.say('/digest', { expect: 2 }));
    const stories = await h.storyCount();
    expect((await h.press(ask, 'Send digest now')).text).toBe('Done.');
    // The digest is a story of its own, going out now.
    expect(await h.storyCount()).toBe(stories + 1);
    const [digestId = ''] = await h.services.store.recent(1);
    const digest = await h.desk.view(digestId);
    expect(digest.ok && digest.value.story.title).toMatch(/^Crypto regulation today/);
    expect(digest.ok && digest.value.destinations.map((d) => d.state)).toEqual(['scheduled', 'scheduled']);
    expect(h.current(ask).text).toContain('✓ Digest of 1 stories sent by');
  });
});

async function atMsOf(h: Harness, storyId: string, destination: string): Promise<number> {
  const view = await h.desk.view(storyId);
  if (!view.ok) throw new Error(view.error);
  return view.value.destinations.find((d) => d.destination === destination)?.atMs ?? Number.NaN;
}
