import { afterEach, describe, expect, it } from 'vitest';
import type { IntakeEvent } from '../../../src/ports/intake-bus.js';
import type { StandInMessage } from '../../../src/sandbox/standins/telegram/index.js';
import {
  buttonsOf,
  DESK_GROUP_ID,
  EDITOR_ID,
  type Harness,
  keyboardMessage,
  SECOND_EDITOR_ID,
  startHarness,
} from './editor-bot-harness.js';

const RELEVANCE = 'relevance 14 (threshold 4): licen* +5 (title), stablecoin +4 (title), HKMA +3 (body)';
const PREVIEW_BUTTONS = [
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
];
/** Fast pacing, so a handful of events does not take seconds. */
const FAST = { perChatIntervalMs: 20 };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Creates a story on the desk as feed intake would, and the `draft` event announcing it. */
async function draftFromFeed(h: Harness): Promise<Extract<IntakeEvent, { relevance: string }>> {
  const created = await h.desk.createDraft(
    {
      title: 'Hong Kong grants first stablecoin licences to HSBC and Standard Chartered',
      body: 'The Hong Kong Monetary Authority on Friday granted the first stablecoin issuer licences under the Stablecoins Ordinance.\n\nLicensed issuers must hold full reserves and publish monthly attestations.',
      url: 'https://www.coindesk.com/policy/2026/11/27/hk-stablecoin-licences',
    },
    { kind: 'system', name: 'feed intake' },
  );
  if (!created.ok) throw new Error(created.error);
  return {
    kind: 'draft',
    storyId: created.value.story.id,
    title: created.value.story.title,
    sourceId: 'coindesk',
    sourceName: 'CoinDesk',
    relevance: RELEVANCE,
  };
}

const noButtons = (message: StandInMessage | undefined) => expect(buttonsOf(message!).size).toBe(0);

describe('editor bot: feed-intake news', () => {
  it('relays every kind of intake event to the editors’ chat, a draft as the usual preview', async () => {
    harness = await startHarness({
      bot: { editorIds: [EDITOR_ID], editorsChatId: DESK_GROUP_ID, pace: FAST },
    });
    const h = harness;

    const draft = await draftFromFeed(h);
    const view = await h.desk.view(draft.storyId);
    if (!view.ok) throw new Error(view.error);
    const unchanged = await h.snapshot();
    await h.intake(draft);
    expect(h.replies(DESK_GROUP_ID)).toHaveLength(3);
    const preview = h.replies(DESK_GROUP_ID);
    // Header line, the channel post exactly as rendered (without buttons), the thread with the buttons.
    expect(preview[0]?.text).toBe(`From CoinDesk — ${RELEVANCE}`);
    noButtons(preview[0]);
    const payload = view.value.rendered.telegram[0]!;
    const post = preview[1]!;
    if (payload.method === 'sendMessage') {
      expect(post.text).toBe(payload.text);
      expect(post.entities ?? []).toEqual(payload.entities ?? []);
    } else {
      expect(post.caption).toBe(payload.caption);
    }
    expect(post.reply_markup).toBeUndefined();
    const keyboard = keyboardMessage(preview);
    expect(keyboard.text).toContain(`Preview of ${draft.storyId}`);
    expect(keyboard.text).toContain(view.value.rendered.x[0]!.text);
    expect([...buttonsOf(keyboard).keys()]).toEqual(PREVIEW_BUTTONS);

    const events: IntakeEvent[] = [
      {
        kind: 'scheduled',
        storyId: 'q7w8e9r0',
        title: 'MiCA: ESMA publishes final stablecoin guidelines',
        sourceId: 'esma',
        sourceName: 'ESMA news',
        relevance: 'relevance 9 (threshold 4): MiCA +5 (title), ESMA +4 (title)',
        plan: 'telegram-main Sat 28 Nov 2026, 17:30 (Europe/Berlin)',
      },
      {
        kind: 'duplicate',
        storyId: draft.storyId,
        title: 'HSBC, Standard Chartered win first Hong Kong stablecoin licenses',
        sourceId: 'asia-ledger',
        sourceName: 'Asia Ledger',
        url: 'https://asialedger.example.com/hk-stablecoin-licenses/',
        reason: 'similar title (0.82)',
      },
      {
        kind: 'source-failing',
        sourceId: 'the-block',
        sourceName: 'The Block',
        failures: 5,
        message: 'The Block has failed 5 polls in a row: HTTP 503 from https://www.theblock.co/rss.xml',
      },
      {
        kind: 'source-recovered',
        sourceId: 'the-block',
        sourceName: 'The Block',
        failures: 0,
        message: 'The Block answers again (after 5 failed polls).',
      },
    ];
    const before = h.replies(DESK_GROUP_ID).length;
    await h.intake(...events);
    const [scheduled, duplicate, failing, recovered, ...extra] = h.replies(DESK_GROUP_ID).slice(before);
    expect(extra).toEqual([]);

    expect(scheduled?.text).toContain('ESMA news');
    expect(scheduled?.text).toContain('q7w8e9r0 "MiCA: ESMA publishes final stablecoin guidelines"');
    expect(scheduled?.text).toContain('Plan: telegram-main Sat 28 Nov 2026, 17:30 (Europe/Berlin)');
    expect(scheduled?.text).toContain('/status q7w8e9r0');
    noButtons(scheduled);

    expect(duplicate?.text).toBe(
      `🔁 Same story from Asia Ledger: "HSBC, Standard Chartered win first Hong Kong stablecoin licenses" (https://asialedger.example.com/hk-stablecoin-licenses/) linked to ${draft.storyId}, not drafted: similar title (0.82).`,
    );
    expect(duplicate?.text).not.toContain('\n');
    noButtons(duplicate);

    expect(failing?.text).toBe(
      'The Block has failed 5 polls in a row: HTTP 503 from https://www.theblock.co/rss.xml',
    );
    noButtons(failing);
    expect(recovered?.text).toBe('The Block answers again (after 5 failed polls).');
    noButtons(recovered);

    // With an editors' chat, editors' private chats stay quiet; nothing was changed on the desk.
    expect(h.replies(EDITOR_ID)).toEqual([]);
    expect(await h.snapshot()).toEqual(unchanged);

    // A stopped bot stops reading: news raised meanwhile waits for the next start.
    await h.editor.stop();
    await h.services.intake.publish(events[0]!);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await h.services.intake.backlog()).toBe(1);
  });

  it('a draft preview’s buttons work: Post now schedules it through the desk', async () => {
    harness = await startHarness({
      bot: { editorIds: [EDITOR_ID], editorsChatId: DESK_GROUP_ID, pace: FAST },
    });
    const h = harness;
    const draft = await draftFromFeed(h);
    await h.intake(draft);
    const keyboard = keyboardMessage(h.replies(DESK_GROUP_ID));

    const answer = await h.press(keyboard, 'Post now');
    expect(answer.text).toBe('Done.');
    const view = await h.desk.view(draft.storyId);
    if (!view.ok) throw new Error(view.error);
    expect(view.value.history.at(-1)).toMatchObject({
      action: expect.stringMatching(/^scheduled \(now\)/),
      actor: { kind: 'editor', id: EDITOR_ID },
    });
    expect(await h.stateOf(draft.storyId, 'telegram')).toBe('scheduled');
    expect(await h.stateOf(draft.storyId, 'x')).toBe('scheduled');
    const edited = h.current(keyboard);
    expect(edited.text).toContain('✓ Posting now by');
    expect(buttonsOf(edited).size).toBe(0);
  });

  it('without an editors’ chat, each editor’s private chat gets the news; an unreachable editor is logged', async () => {
    const UNREACHABLE = 4545;
    harness = await startHarness({
      bot: { editorIds: [EDITOR_ID, SECOND_EDITOR_ID, UNREACHABLE], pace: FAST },
    });
    const h = harness;
    await h.say('/start');
    await h.say('/start', { fromId: SECOND_EDITOR_ID });
    const before = [h.replies(EDITOR_ID).length, h.replies(SECOND_EDITOR_ID).length] as const;

    const draft = await draftFromFeed(h);
    await h.intake(draft, {
      kind: 'source-failing',
      sourceId: 'coindesk',
      sourceName: 'CoinDesk',
      failures: 3,
      message: 'CoinDesk has failed 3 polls in a row: timed out after 8 s',
    });
    for (const [chat, from] of [
      [EDITOR_ID, before[0]],
      [SECOND_EDITOR_ID, before[1]],
    ] as const) {
      const news = h.replies(chat).slice(from);
      expect(news[0]?.text).toBe(`From CoinDesk — ${RELEVANCE}`);
      expect([...buttonsOf(keyboardMessage(news)).keys()]).toEqual(PREVIEW_BUTTONS);
      expect(news.at(-1)?.text).toBe('CoinDesk has failed 3 polls in a row: timed out after 8 s');
    }
    expect(h.replies(DESK_GROUP_ID)).toEqual([]);

    // The editor who never started the bot cannot be written to: logged, and the others were not held up.
    const undelivered = h.logs.filter((l) => l.msg === 'editor bot: intake news not delivered');
    expect(undelivered.map((l) => [l.chatId, l.kind])).toEqual([
      [UNREACHABLE, 'draft'],
      [UNREACHABLE, 'source-failing'],
    ]);

    // A draft whose story cannot be read still reaches editors, as a notice without buttons.
    const last = h.replies(EDITOR_ID).length;
    await h.intake({ ...draft, storyId: 'zzzz9999' });
    expect(h.replies(EDITOR_ID)).toHaveLength(last + 1);
    const notice = h.replies(EDITOR_ID).at(-1)!;
    expect(notice.text).toContain('Draft zzzz9999 "Hong Kong grants first stablecoin licences');
    expect(notice.text).toContain('No preview: no story with id zzzz9999');
    noButtons(notice);
  });

  it('spreads a burst of events out under the chat’s flood limits instead of running into 429s', async () => {
    const limits = { perChatIntervalMs: 150, perChatBurst: 3, perGroupPerMinute: 1_000 };
    harness = await startHarness({
      standIn: { floodLimits: limits },
      bot: { editorIds: [EDITOR_ID], editorsChatId: DESK_GROUP_ID, pace: limits },
    });
    const h = harness;
    const count = 12;
    const started = Date.now();
    await h.intake(
      ...Array.from({ length: count }, (_, n): IntakeEvent => {
        const i = n + 1;
        return {
          kind: i % 2 === 1 ? 'source-failing' : 'source-recovered',
          sourceId: `source-${i}`,
          sourceName: `Source ${i}`,
          failures: i,
          message: `news ${i}`,
        };
      }),
    );
    expect(h.replies(DESK_GROUP_ID).map((m) => m.text)).toEqual(
      Array.from({ length: count }, (_, i) => `news ${i + 1}`),
    );
    // Every sendMessage was accepted the first time: no 429, so no retry.
    expect(h.standIn.calls('sendMessage')).toHaveLength(count);
    // 3 at once, then one per 150 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual((count - 3) * 150 - 50);
  });
});
