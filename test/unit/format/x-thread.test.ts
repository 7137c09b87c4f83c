import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import type { StoryDraft } from '../../../src/domain/story.js';
import { render } from '../../../src/format/render.js';
import { defaultRenderOptions, renderOptionsSchema } from '../../../src/format/render-options.js';
import { expectOneCashtagPerPost, expectValidThread } from './assertions.js';
import { loadSharedSample, storyFrom } from './story-files.js';

const URL_A = 'https://example.com/story';
const story = (title: string, body: string, extra: Partial<StoryDraft> = {}) =>
  storyFrom({ title, body, tags: [], url: URL_A, ...extra });
const thread = (s: ReturnType<typeof story>, options = defaultRenderOptions) =>
  render(s, options).x.map((p) => p.text);
const withOptions = (x: object) => renderOptionsSchema.parse({ x });
const LONG_PARAGRAPHS = Array.from(
  { length: 12 },
  (_, i) =>
    `Paragraph ${i + 1} says the regulator published a long consultation on custody rules for crypto firms. It runs to many pages.`,
).join('\n\n');

describe('X thread', () => {
  it('opens with the headline, then the body, numbered i/n, link in the last post', () => {
    const posts = thread(
      story('SEC sues Coinbase', 'The agency filed suit on Tuesday.\n\nCoinbase said it would fight.'),
    );
    expect(posts).toEqual([
      'SEC sues Coinbase 1/2',
      `The agency filed suit on Tuesday.\n\nCoinbase said it would fight.\n\nFull story: ${URL_A} 2/2`,
    ]);
  });

  it('does not number a single post', () => {
    expect(thread(story('Title only', '', { url: undefined }))).toEqual(['Title only']);
  });

  it.each([
    [{ position: 'prefix' }, /^1\/2 SEC sues/],
    [{ format: '({i}/{n})' }, /SEC sues Coinbase \(1\/2\)$/],
    [{ format: '🧵 {i}' }, /SEC sues Coinbase 🧵 1$/],
    [{ position: 'off' }, /^SEC sues Coinbase$/],
  ])('numbering %j', (numbering, firstPost) => {
    const posts = thread(story('SEC sues Coinbase', 'Body.'), withOptions({ numbering }));
    expect(posts[0]).toMatch(firstPost);
  });

  it('caps a long story: keeps its lead, ends with an ellipsis and the link', () => {
    const posts = thread(story('Regulator consults on custody', LONG_PARAGRAPHS));
    expect(posts).toHaveLength(6);
    expect(posts[0]).toBe('Regulator consults on custody 1/6');
    expect(posts[1]).toMatch(/^Paragraph 1 says/);
    expect(posts[5]).toMatch(new RegExp(` …\\n\\nFull story: ${URL_A} 6/6$`));
    expectValidThread(
      render(story('Regulator consults on custody', LONG_PARAGRAPHS), defaultRenderOptions).x,
    );
  });

  it('honours a configured cap', () => {
    const posts = thread(story('Regulator consults', LONG_PARAGRAPHS), withOptions({ maxTweets: 3 }));
    expect(posts).toHaveLength(3);
    expect(posts[2]).toContain(`Full story: ${URL_A} 3/3`);
    expect(thread(story('Regulator consults', LONG_PARAGRAPHS), withOptions({ maxTweets: 1 }))[0]).toMatch(
      /^Regulator consults …\n\nFull story: /,
    );
  });

  it('puts the link with the headline when configured, or nowhere', () => {
    const first = thread(story('SEC sues Coinbase', 'Body.'), withOptions({ linkPlacement: 'first' }));
    expect(first[0]).toBe(`SEC sues Coinbase\n\n${URL_A} 1/2`);
    expect(first[1]).toBe('Body. 2/2');
    const none = thread(story('SEC sues Coinbase', 'Body.'), withOptions({ linkPlacement: 'none' }));
    expect(none.join('\n')).not.toContain(URL_A);
  });

  it('still links the full story from the last post of a capped thread when the link went first', () => {
    const posts = thread(story('Consultation', LONG_PARAGRAPHS), withOptions({ linkPlacement: 'first' }));
    expect(posts[0]).toContain(URL_A);
    expect(posts.at(-1)).toContain(`Full story: ${URL_A}`);
  });

  it('can add hashtags to the first or last post', () => {
    const s = story('SEC sues Coinbase', 'The SEC said.');
    expect(thread(s, withOptions({ hashtags: 'first' }))[0]).toBe(
      'SEC sues Coinbase\n\n#SEC #Enforcement 1/2',
    );
    expect(thread(s, withOptions({ hashtags: 'last' })).at(-1)).toMatch(/#SEC #Enforcement 2\/2$/);
  });

  it('keeps at most one $cashtag per post, writing the others without $', () => {
    const s = story(
      '$BTC and $ETH fall',
      'Bitcoin ($BTC) fell, $ETH and $SOL too. $XRP was flat. It cost $1.2bn.',
    );
    const posts = thread(s);
    expectOneCashtagPerPost(render(s, defaultRenderOptions).x);
    expect(posts[0]).toBe('$BTC and ETH fall 1/2');
    // "($BTC)" is no cashtag for X (it needs a space before the $), so $ETH is the post's one cashtag.
    expect(posts[1]).toContain('Bitcoin ($BTC) fell, $ETH and SOL too. XRP was flat. It cost $1.2bn.');
  });

  it('never posts an empty or a duplicate post', () => {
    const s = story('Developing', 'Developing story.\n\nDeveloping story.\n\nDeveloping story.', {
      url: undefined,
    });
    const off = withOptions({ numbering: { position: 'off' }, maxWeightedLength: 80 });
    const posts = thread(s, off);
    expect(new Set(posts).size).toBe(posts.length);
    expect(posts.every((p) => p.trim() !== '')).toBe(true);
  });

  it('never splits inside a URL, @mention, #hashtag, $cashtag or amount', () => {
    const tokens = [
      'https://www.sec.gov/litigation/complaints/2023/comp-pr2023-102.pdf?version=2&lang=en',
      '@SECGov',
      '#CryptoTaskForce',
      '$COIN',
      '$1.2bn',
      '€500m',
      '12,345.67',
      'example.com/path',
    ];
    const sentence = `Regulators and lawyers discussed ${tokens.join(' and ')} at length without pause`;
    const s = story('Tokens', Array.from({ length: 4 }, () => sentence).join(' and then '), {
      url: undefined,
    });
    const posts = render(s, withOptions({ numbering: { position: 'off' }, maxTweets: 25 })).x;
    expectValidThread(posts, 25);
    const words = posts.flatMap((p) => p.text.split(/\s+/));
    for (const token of tokens)
      expect(words.filter((w) => w === token || w === token.replace('$', ''))).toHaveLength(4);
  });

  it('keeps an amount together with its unit', () => {
    const body = `${'word '.repeat(262)}$1.2 billion more words here`;
    const posts = thread(
      story('Amounts', body, { url: undefined }),
      withOptions({ numbering: { position: 'off' } }),
    );
    expect(posts.some((p) => p.includes('$1.2 billion'))).toBe(true);
  });

  it('splits Chinese at 。！？ and counts it double', () => {
    const body = Array.from(
      { length: 8 },
      (_, i) =>
        `中国人民银行周五发布第${'一二三四五六七八'[i]}号公告，重申虚拟货币相关业务属于非法金融活动。`,
    );
    const s = story('中国人民银行重申风险', body.join(''), { url: undefined });
    const posts = render(s, withOptions({ numbering: { position: 'off' } })).x;
    expectValidThread(posts);
    for (const post of posts.slice(1)) {
      expect(post.text.endsWith('。')).toBe(true);
      expect(twitterText.parseTweet(post.text).weightedLength).toBe(post.text.length * 2);
    }
    expect(posts.length).toBeGreaterThan(2);
  });

  it('handles mixed scripts and emoji', () => {
    const body =
      'Hong Kong 香港证监会周二发出牌照。申请名单上还有十余家机构。 The regulator said 📈 trading is allowed 🇭🇰. '.repeat(
        6,
      );
    const posts = render(story('香港 SFC 🚀', body), defaultRenderOptions).x;
    expectValidThread(posts);
  });

  it('respects a lower configured limit', () => {
    const posts = render(
      story('Regulator consults', LONG_PARAGRAPHS),
      withOptions({ maxWeightedLength: 140, maxTweets: 25 }),
    ).x;
    for (const p of posts) expect(twitterText.parseTweet(p.text).weightedLength).toBeLessThanOrEqual(140);
  });

  it('renders the shared sample as valid posts, headline first', () => {
    const posts = render({ ...loadSharedSample(), url: 'https://example.com/b' }, defaultRenderOptions).x;
    expectValidThread(posts);
    expect(posts[0]?.text).toBe(
      'Beijing Intensifies Crackdown on Crypto Mining in Updated Energy Conservation Plan 1/6',
    );
    expect(posts.map((p) => p.text).join(' ')).toContain('virtual currency ‘mining’ activities');
    expect(posts.at(-1)?.text).toMatch(/…\n\nFull story: https:\/\/example\.com\/b 6\/6$/);
  });
});
