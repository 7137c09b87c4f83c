import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePage, TINY_PNG, wordpressRss } from '../../../harness/feed-fixtures.js';
import { uniquePrefix } from '../../../harness/redis.js';
import type { App } from '../../../src/app/start-app.js';
import type { StandInMessage, TelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import type { XStandIn } from '../../../src/sandbox/standins/x/index.js';
import type { FeedServer } from '../../support/feed-server.js';
import {
  expectPhotoPostAndImageThread,
  type IntakeRig,
  startIntakeRig,
} from '../../support/intake-harness.js';
import { waitFor } from '../../support/wait-for.js';

const CHANNEL = '@regwire_sandbox';
/** The stand-in's default supergroup, used as the editors' chat. */
const DESK_GROUP_ID = -1001000000002;
const EDITOR_ID = 4242;
const TITLE = 'Hong Kong grants first stablecoin licences to HSBC and Standard Chartered';

type Button = { text: string; callback_data?: string };
const buttonsOf = (message: StandInMessage): Button[] =>
  ((message.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();

// The real app (Redis, workers, feed intake, the editor bot) against the Telegram and X stand-ins: a new item
// in a review-mode feed → the preview in the editors' chat → an editor presses "Post now" → the channel post
// with the photo and a thread whose first tweet carries the image.
describe('feed intake through the editor bot, end to end', () => {
  let rig: IntakeRig;
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let feeds: FeedServer;
  let app: App;

  beforeAll(async () => {
    rig = await startIntakeRig({
      prefix: uniquePrefix('intake-bot-e2e'),
      roles: { workers: true, web: false, maintenance: true, bot: true },
      telegramChannel: CHANNEL,
      env: { TELEGRAM_EDITORS_CHAT_ID: String(DESK_GROUP_ID), EDITOR_IDS: String(EDITOR_ID) },
      prepare: (server) => {
        server.set('/feed/', { body: wordpressRss({ title: 'Policy Wire', url: server.origin }, []) });
        server.set('/uploads/hk.png', { body: TINY_PNG, contentType: 'image/png' });
        return {
          sources: {
            'policy-wire': {
              url: server.url('/feed/'),
              name: 'Policy Wire',
              mode: 'review',
              pollEveryMs: 300,
            },
          },
          fetch: { timeoutMs: 2_000 },
        };
      },
    });
    ({ telegram, x, feeds, app } = rig);
    expect(app.bot).toBeDefined();
  }, 15_000);

  afterAll(async () => rig?.close());

  it('new item → preview in the editors’ chat → Post now → photo post and a thread with the image', async () => {
    feeds.set('/2026/11/hk-stablecoin-licences/', {
      contentType: 'text/html',
      body: articlePage({
        title: TITLE,
        imageUrl: '/uploads/hk.png',
        paragraphs: [
          'The Hong Kong Monetary Authority on Friday granted the first stablecoin issuer licences under the Stablecoins Ordinance, to HSBC and a Standard Chartered joint venture.',
          'Licensed issuers must hold full reserves and publish monthly attestations; the regulator said further licences will follow once applicants meet its compliance rules.',
        ],
      }),
    });
    feeds.set('/feed/', {
      body: wordpressRss({ title: 'Policy Wire', url: feeds.origin }, [
        {
          title: TITLE,
          link: feeds.url('/2026/11/hk-stablecoin-licences/'),
          guid: `${feeds.origin}/?p=2`,
          date: new Date().toISOString(),
          summaryHtml: '<p>The HKMA granted the first licences',
        },
      ]),
    });

    // The preview: the header naming the source, the channel post as followers will see it, the buttons.
    const keyboard = await waitFor(
      () => telegram.botReplies(DESK_GROUP_ID).find((m) => buttonsOf(m).some((b) => b.text === 'Post now')),
      { what: 'the preview in the editors’ chat', timeoutMs: 10_000 },
    );
    const preview = telegram.botReplies(DESK_GROUP_ID);
    expect(preview[0]?.text).toMatch(/^From Policy Wire — relevance \d+/);
    expect(preview[1]?.caption ?? preview[1]?.text).toContain(TITLE);
    expect(buttonsOf(keyboard).map((b) => b.text)).toEqual([
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
    const storyId = /Preview of (\S+):/.exec(keyboard.text ?? '')?.[1];
    expect(storyId).toBeDefined();
    expect(telegram.messages(CHANNEL)).toHaveLength(0);

    const answersBefore = telegram.callbackAnswers().length;
    telegram.pressButton({
      fromId: EDITOR_ID,
      messageChatId: DESK_GROUP_ID,
      messageId: keyboard.message_id,
      data: buttonsOf(keyboard).find((b) => b.text === 'Post now')?.callback_data ?? '',
    });
    const answer = await waitFor(() => telegram.callbackAnswers()[answersBefore], { what: 'the answer' });
    expect(answer.text).toBe('Done.');

    await expectPhotoPostAndImageThread({
      app,
      telegram,
      x,
      channel: CHANNEL,
      storyId: storyId ?? '',
      imageUrl: feeds.url('/uploads/hk.png'),
      title: TITLE,
    });

    const edited = await waitFor(
      () => {
        const m = telegram.messages(DESK_GROUP_ID).find((m) => m.message_id === keyboard.message_id);
        return m?.text?.includes('✓ Posting now by') && m;
      },
      { what: 'the preview marked as acted on' },
    );
    expect(buttonsOf(edited)).toEqual([]);
  }, 20_000);
});
