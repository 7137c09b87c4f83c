import { afterEach, describe, expect, it } from 'vitest';
import { xPricingSchema } from '../../../src/config/x-billing-schema.js';
import { threadCost } from '../../../src/format/x-cost.js';
import { costLine } from '../../../src/format/x-cost-example.js';
import {
  buttonsOf,
  type Harness,
  keyboardMessage,
  previewedStoryId,
  startHarness,
} from './editor-bot-harness.js';

const PRICING = xPricingSchema.parse({});
const ARTICLE = [
  'SEC sues exchange over unregistered staking',
  '',
  ...Array.from(
    { length: 5 },
    (_, i) =>
      `Paragraph ${i + 1}: the Securities and Exchange Commission says the exchange ran an unregistered staking programme for years, and asks the court to stop it.`,
  ).flatMap((p) => [p, '']),
  'https://example.com/sec-staking-choice',
].join('\n');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The preview's line for one link policy: "✓ last: 6 tweets · $0.275 · link in tweet 6". */
function choiceLine(text: string | undefined, link: string): string {
  const line = text?.split('\n').find((l) => l.slice(2).startsWith(`${link}: `));
  if (!line) throw new Error(`no line for ${link} in ${text}`);
  return line;
}

// The preview prices every link policy for this story, and its buttons switch to one.
describe('editor bot: the preview compares where the link goes on X', () => {
  it('shows each policy’s tweets and cost, marks the current one, and its buttons switch to what it priced', async () => {
    const h = await startHarness({ bot: { xPricing: PRICING } });
    harness = h;
    const replies = await h.say(`/queue ${ARTICLE}`, { expect: 3 });
    const preview = keyboardMessage(replies);
    const storyId = previewedStoryId(preview);
    expect(preview.text).toContain(
      `Where the link goes on X (the Link buttons, or /link ${storyId} <policy>):`,
    );
    expect(choiceLine(preview.text, 'last').startsWith('✓ ')).toBe(true);
    for (const link of ['first', 'reply', 'none'])
      expect(choiceLine(preview.text, link).startsWith('• ')).toBe(true);
    expect(choiceLine(preview.text, 'none')).toMatch(/ · no link$/);
    expect(choiceLine(preview.text, 'first')).toMatch(/ · link in tweet 1$/);
    // Without the link on X every tweet is at the plain price.
    const usd = (link: string) => Number(/\$(\d+\.\d+)/.exec(choiceLine(preview.text, link))?.[1]);
    expect(usd('none')).toBeLessThan(usd('last'));
    expect(usd('none')).toBeLessThan(usd('first'));

    for (const link of ['none', 'first', 'reply', 'last'] as const) {
      const before = h.replies().length;
      // The first preview's buttons still work after the choice changed (pressed here for every policy).
      const label = link === 'last' ? '✓ Link last' : `Link ${link}`;
      const answer = await h.press(preview, label);
      const view = await h.desk.view(storyId);
      if (!view.ok) throw new Error(view.error);
      const x = view.value.rendered.x;
      const cost = threadCost(x, PRICING);
      // What the story now holds is what the preview promised for that choice.
      expect(`${link}: ${costLine(x.length, cost.totalUsd, cost.postsWithUrl)}`).toBe(
        choiceLine(preview.text, link).slice(2),
      );
      expect(answer.text).toBe(`Link ${link}: ${costLine(x.length, cost.totalUsd, cost.postsWithUrl)}`);
      expect(view.value.story.xLink).toBe(link);
      // A new preview comes with the thread as it now is, the choice ticked.
      const fresh = keyboardMessage(h.replies().slice(before));
      expect(choiceLine(fresh.text, link).startsWith('✓ ')).toBe(true);
      expect(buttonsOf(fresh).has(`✓ Link ${link}`)).toBe(true);
      expect(fresh.text).toContain(x[0]?.text);
    }
    const history = await h.desk.view(storyId);
    if (!history.ok) throw new Error(history.error);
    expect(history.value.history.map((e) => e.action)).toEqual(
      expect.arrayContaining(['X link policy: none', 'X link policy: first']),
    );
  });

  it('leaves the choice out for a story without a link', async () => {
    const h = await startHarness({ bot: { xPricing: PRICING } });
    harness = h;
    const replies = await h.say(
      '/queue Regulator opens review of stablecoin reserves\n\nThe markets authority said it had opened a review of how issuers hold their reserves.',
      { expect: 2 },
    );
    const preview = keyboardMessage(replies);
    expect(preview.text).not.toContain('Where the link goes on X');
    expect([...buttonsOf(preview).keys()].some((label) => label.includes('Link'))).toBe(false);
  });
});
