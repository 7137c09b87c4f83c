import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storyFrom } from '../../../harness/story-files.js';
import { xPricingSchema } from '../../../src/config/x-billing-schema.js';
import { X_LINK_POLICIES } from '../../../src/domain/x-link-policy.js';
import { render } from '../../../src/format/render.js';
import { renderOptionsSchema } from '../../../src/format/render-options.js';
import { containsUrl, threadCost } from '../../../src/format/x-cost.js';
import { parsePost } from '../../../src/format/x-length.js';

const URL = 'https://news.example.com/sec/staking-review';
const PRICES = xPricingSchema.parse({});
const paragraph = (i: number) =>
  `Paragraph ${i} says the regulator opened a review of how staking services hold client assets, and that firms have sixty days to answer its questions in writing.`;
const story = (paragraphs: number, body?: string) =>
  storyFrom({
    title: 'SEC opens a review of staking services',
    body: body ?? Array.from({ length: paragraphs }, (_, i) => paragraph(i + 1)).join('\n\n'),
    url: URL,
    tags: [],
  });
const posts = (s: ReturnType<typeof story>, x: object) =>
  render(s, renderOptionsSchema.parse({ x })).x.map((p) => p.text);
const withUrl = (texts: readonly string[]) => texts.flatMap((t, i) => (containsUrl(t) ? [i + 1] : []));

describe('X link policy', () => {
  const long = story(12);

  it('last (today’s behaviour): the link ends the last post, which alone costs the with-URL price', () => {
    const thread = posts(long, { linkPlacement: 'last' });
    expect(thread).toHaveLength(6);
    expect(withUrl(thread)).toEqual([6]);
    expect(thread[5]).toContain(`Full story: ${URL}`);
    expect(
      threadCost(
        thread.map((text) => ({ text })),
        PRICES,
      ).totalUsd,
    ).toBe(0.275);
  });

  it('first: the link goes with the headline (and a cut thread still ends with it: two with-URL posts)', () => {
    const thread = posts(long, { linkPlacement: 'first' });
    expect(thread[0]).toContain(URL);
    expect(withUrl(thread)).toEqual([1, 6]);
    expect(
      threadCost(
        thread.map((text) => ({ text })),
        PRICES,
      ).totalUsd,
    ).toBe(0.46);
    expect(withUrl(posts(story(5), { linkPlacement: 'first' }))).toEqual([1]);
  });

  it('reply: the story without its link, then the link alone in a final reply', () => {
    const thread = posts(long, { linkPlacement: 'reply' });
    expect(thread).toHaveLength(6);
    expect(withUrl(thread)).toEqual([6]);
    expect(thread[5]).toBe(`Full story: ${URL} 6/6`);
    expect(thread[4]).toMatch(/… 5\/6$/);
  });

  it('reply: a story that fits one post becomes the post and the link reply', () => {
    const thread = posts(story(1), { linkPlacement: 'reply' });
    expect(thread).toEqual([expect.stringMatching(/^SEC opens a review.* 1\/2$/s), `Full story: ${URL} 2/2`]);
  });

  it('none: no URL anywhere on X (only creates at the plain price); Telegram keeps the link', () => {
    const rendered = render(long, renderOptionsSchema.parse({ x: { linkPlacement: 'none' } }));
    const thread = rendered.x.map((p) => p.text);
    expect(withUrl(thread)).toEqual([]);
    expect(threadCost(rendered.x, PRICES).totalUsd).toBe(0.09);
    expect(JSON.stringify(rendered.telegram)).toContain(URL);
  });

  it('property: every policy gives valid posts, the link exactly where the policy puts it', () => {
    const text = fc
      .array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 })
      .map((ns) => ns.map((n) => paragraph(n).slice(0, 40 + n * 12)).join('\n\n'));
    fc.assert(
      fc.property(
        text,
        fc.constantFrom(...X_LINK_POLICIES),
        fc.integer({ min: 2, max: 8 }),
        (body, link, max) => {
          const thread = posts(story(0, body), { linkPlacement: link, maxTweets: max });
          for (const post of thread) expect(parsePost(post).valid).toBe(true);
          const linked = withUrl(thread);
          if (link === 'none') expect(linked).toEqual([]);
          // A thread cut at maxTweets also ends with the link.
          if (link === 'first') {
            expect(linked[0]).toBe(1);
            expect(linked.every((n) => n === 1 || n === thread.length)).toBe(true);
          }
          if (link === 'last' || link === 'reply') expect(linked).toEqual([thread.length]);
          if (link === 'reply' && thread.length > 1)
            expect(thread.at(-1)).toMatch(/^Full story: \S+( \d+\/\d+)?$/);
          expect(thread.length).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('long posts (X Premium)', () => {
  const premium = { maxWeightedLength: 25_000 };
  const medium = story(5);
  const huge = story(0, Array.from({ length: 200 }, (_, i) => paragraph(i + 1)).join('\n\n'));

  it('auto and long-post: one valid long post with the whole story and its link, for a Premium account', () => {
    for (const format of ['auto', 'long-post']) {
      const [post, ...rest] = posts(medium, { ...premium, format });
      expect(rest).toEqual([]);
      expect(post).toContain(paragraph(5));
      expect(post).toMatch(new RegExp(`Full story: ${URL}$`));
      const parsed = parsePost(post ?? '', 25_000);
      expect(parsed.valid).toBe(true);
      expect(parsed.weightedLength).toBeGreaterThan(280);
    }
  });

  it('a thread otherwise: an account at 280, or the format thread', () => {
    expect(posts(medium, { format: 'auto' }).length).toBeGreaterThan(1);
    expect(posts(medium, { format: 'long-post' }).length).toBeGreaterThan(1);
    const thread = posts(medium, { ...premium, format: 'thread' });
    expect(thread).toEqual(posts(medium, {}));
    for (const post of thread) expect(parsePost(post).valid).toBe(true);
  });

  it('a story longer than the long limit: long-post cuts it with the link, auto makes a thread', () => {
    const [cut, ...rest] = posts(huge, { ...premium, format: 'long-post' });
    expect(rest).toEqual([]);
    expect(cut).toMatch(new RegExp(` …\\n\\nFull story: ${URL}$`));
    expect(parsePost(cut ?? '', 25_000)).toMatchObject({ valid: true });
    expect(posts(huge, { ...premium, format: 'auto' })).toHaveLength(6);
  });

  it('long post with the link in a reply: the post, then the link', () => {
    const thread = posts(medium, { ...premium, format: 'auto', linkPlacement: 'reply' });
    expect(thread).toHaveLength(2);
    expect(thread[1]).toBe(`Full story: ${URL} 2/2`);
    expect(containsUrl(thread[0] ?? '')).toBe(false);
  });
});
