import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, keyboardMessage, previewedStoryId, startHarness } from './editor-bot-harness.js';
import { markPublished } from './worker-states.js';

// The harness's desk clock starts on Thu 28 Nov 2030, 10:00 in Berlin: "tomorrow 09:00" is Fri 29 Nov.
const TOMORROW_9 = Date.parse('2030-11-29T08:00:00Z');
const TOMORROW_9_TEXT = 'Embargoed until Fri 29 Nov 2030, 09:00 (Europe/Berlin)';
const TOMORROW_9_PATTERN = TOMORROW_9_TEXT.replace(/[()/]/g, '\\$&');

const ARTICLE = [
  'ESMA publishes the MiCA register of licensed issuers',
  '',
  'The European Securities and Markets Authority published its first register of stablecoin issuers licensed under MiCA, with three firms on it.',
  '',
  'https://example.com/mica-register',
].join('\n');

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function queueArticle(h: Harness, slug = 'mica-register'): Promise<string> {
  const replies = await h.say(`/queue ${ARTICLE.replace('mica-register', slug)}`, { expect: 3 });
  return previewedStoryId(keyboardMessage(replies));
}

/** The bot's answer among the replies (a "moved" alert may come to the editor's private chat too). */
function answerIn(replies: readonly { text?: string }[], start: RegExp): string {
  const found = replies.find((m) => start.test(m.text ?? ''));
  if (!found) throw new Error(`no answer like ${start} among: ${replies.map((m) => m.text).join(' | ')}`);
  return found.text ?? '';
}

/** Each destination's embargo, by destination id. */
async function embargoesOf(h: Harness, storyId: string): Promise<Record<string, number | undefined>> {
  const view = await h.desk.view(storyId);
  if (!view.ok) throw new Error(view.error);
  return Object.fromEntries(view.value.destinations.map((d) => [d.destination, d.embargoUntilMs]));
}

describe('editor bot: /embargo', () => {
  it('/help lists /embargo with an example', async () => {
    harness = await startHarness();
    const [help] = await harness.say('/help');
    expect(help?.text).toContain('/embargo — ');
    expect(help?.text).toContain('/embargo k3m9x2qa tomorrow 09:00');
  });

  it('sets an embargo on a draft; the answer, the preview and /status show it; off lifts it', async () => {
    harness = await startHarness();
    const h = harness;
    const storyId = await queueArticle(h);
    const [answer] = await h.say(`/embargo ${storyId} tomorrow 09:00`);
    expect(answer?.text).toContain(`${TOMORROW_9_TEXT}: ${storyId}, set by`);
    expect(answer?.text).toContain('Nothing had to move.');
    expect(await embargoesOf(h, storyId)).toEqual({ telegram: TOMORROW_9, x: TOMORROW_9 });
    // A draft's next slot is planned after the embargo.
    expect(answer?.text).toMatch(/telegram \[next slot\]: \w{3} (29|30) Nov 2030/);

    const preview = keyboardMessage(
      await h.say(`/edit ${storyId} title MiCA register: three issuers`, { expect: 3 }),
    );
    expect(preview.text).toContain(`When it would publish:\n${TOMORROW_9_TEXT}\n`);

    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toMatch(new RegExp(`telegram \\(telegram\\): draft\\n  ${TOMORROW_9_PATTERN}`));
    expect(status?.text).toMatch(new RegExp(`x \\(x\\): draft\\n  ${TOMORROW_9_PATTERN}`));
    expect(status?.text).toMatch(
      /embargo until Fri 29 Nov 2030, 09:00 \(Europe\/Berlin\) on telegram, x by @?/,
    );

    const [lifted] = await h.say(`/embargo ${storyId} off`);
    expect(lifted?.text).toContain(`Embargo on ${storyId} lifted by`);
    expect(await embargoesOf(h, storyId)).toEqual({ telegram: undefined, x: undefined });
    const [after] = await h.say(`/status ${storyId}`);
    expect(after?.text).not.toContain('Embargoed until');
  });

  it('moves a scheduled time that falls inside the embargo, and says so', async () => {
    harness = await startHarness();
    const h = harness;
    const storyId = await queueArticle(h);
    await h.say(`/schedule ${storyId} in 1h`);
    const replies = await h.say(`/embargo ${storyId} tomorrow 09:00`, { expect: 3 });
    const answer = answerIn(replies, /^Embargoed until/);
    expect(answer).toMatch(/Moved to after the embargo: (telegram, x|x, telegram)\./);
    expect(answer).toContain('(moved: embargoed until Fri 29 Nov 2030, 09:00 (Europe/Berlin)');
    // Every editor hears of the move, with what moved it.
    const alerts = replies.filter((m) => m.text?.startsWith('⚠️ Story moved later than asked'));
    expect(alerts.map((m) => m.text?.split('\n')[1])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\w+ on telegram: embargoed until Fri 29 Nov 2030, 09:00/),
        expect.stringMatching(/^\w+ on x: embargoed until Fri 29 Nov 2030, 09:00/),
      ]),
    );
    const view = await h.desk.view(storyId);
    if (!view.ok) throw new Error(view.error);
    for (const d of view.value.destinations) {
      expect(d.state).toBe('scheduled');
      expect(d.atMs).toBeGreaterThanOrEqual(TOMORROW_9);
    }
  });

  it('says which destination it could not hold: one already published', async () => {
    harness = await startHarness();
    const h = harness;
    const storyId = await queueArticle(h);
    await h.say(`/now ${storyId}`);
    await markPublished(h.services, storyId, 'telegram', h.clock.now());
    const replies = await h.say(`/embargo ${storyId} tomorrow 09:00`, { expect: 2 });
    expect(answerIn(replies, /^Embargoed until/)).toContain('Not held on telegram: it is published');
    expect(await embargoesOf(h, storyId)).toEqual({ telegram: undefined, x: TOMORROW_9 });
    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toMatch(
      new RegExp(`x \\(x\\): scheduled, [^\\n]*\\n(  [^\\n]*\\n)*  ${TOMORROW_9_PATTERN}`),
    );
  });

  it('refuses what it cannot read, changing nothing', async () => {
    harness = await startHarness();
    const h = harness;
    const storyId = await queueArticle(h);
    const before = await h.snapshot();
    // Without an id, the draft just previewed is the one meant (#18): only the time is missing.
    const [noArgs] = await h.say('/embargo');
    expect(noArgs?.text).toContain('Until when?');
    const [noTime] = await h.say(`/embargo ${storyId}`);
    expect(noTime?.text).toContain('Until when?');
    const [unreadable] = await h.say(`/embargo ${storyId} someday soon`);
    expect(unreadable?.text).toMatch(/^Can't read "someday soon" as a time/);
    expect(unreadable?.text).toContain('/embargo k3m9x2qa off');
    const [now] = await h.say(`/embargo ${storyId} now`);
    expect(now?.text).toContain(`to lift one, /embargo ${storyId} off`);
    const [past] = await h.say(`/embargo ${storyId} 2030-11-27 09:00`);
    expect(past?.text).toContain('is in the past');
    const [unknown] = await h.say('/embargo zzzzzzzz tomorrow 09:00');
    expect(unknown?.text).toContain('no story with id zzzzzzzz');
    expect(await h.snapshot()).toEqual(before);
  });

  it('is refused to a non-editor', async () => {
    harness = await startHarness();
    const h = harness;
    const storyId = await queueArticle(h);
    const before = await h.snapshot();
    const [refused] = await h.say(`/embargo ${storyId} tomorrow 09:00`, { fromId: 9999 });
    expect(refused?.text).toContain('only the newsroom');
    expect(await h.snapshot()).toEqual(before);
  });
});
