import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { loadSharedSample, storyFrom } from '../../../harness/story-files.js';
import type { StoryDraft } from '../../../src/domain/story.js';
import { render } from '../../../src/format/render.js';
import { defaultRenderOptions, renderOptionsSchema } from '../../../src/format/render-options.js';
import { xWeight } from '../../../src/format/x-length.js';
import { expectOneCashtagPerPost, expectValidThread } from './assertions.js';

const URL_A = 'https://example.com/story';
const story = (title: string, body: string, extra: Partial<StoryDraft> = {}) =>
  storyFrom({ title, body, tags: [], url: URL_A, ...extra });
const thread = (s: ReturnType<typeof story>, options = defaultRenderOptions) =>
  render(s, options).x.map((p) => p.text);
const withOptions = (x: object) => renderOptionsSchema.parse({ x });
const MEDIUM_BODY = [
  'The Securities and Exchange Commission filed suit in federal court on Tuesday, saying the exchange ran an unregistered venue for years.',
  'Coinbase said it would fight the case and called the agency hostile to an industry it has never regulated by rule.',
  'Shares of the company fell nine per cent in early trading before recovering part of the loss by the close.',
].join('\n\n');
const LONGER_PARAGRAPHS = Array.from(
  { length: 20 },
  (_, i) =>
    `Paragraph ${i + 1} says the regulator published a long consultation on custody rules for crypto firms. It runs to many pages.`,
).join('\n\n');

describe('X thread', () => {
  it('makes a story that fits in one post one post: headline, body, link, unnumbered', () => {
    // The case: a headline of 47 and a body of 160 weighted characters.
    const title = 'Dubai regulator fines three unlicensed brokers.';
    const body =
      'VARA said the three firms marketed leveraged tokens to residents without a licence; each must now pay AED 600,000 and stop onboarding new clients till licensed.';
    expect([xWeight(title), xWeight(body)]).toEqual([47, 160]);
    expect(thread(story(title, body))).toEqual([`${title}\n\n${body}\n\nFull story: ${URL_A}`]);
  });

  it('opens with the headline and the lede, packs the sentences that follow, numbers i/n, links last', () => {
    const posts = thread(story('SEC sues Coinbase', MEDIUM_BODY));
    expect(posts).toHaveLength(2);
    expect(posts[0]).toMatch(/^SEC sues Coinbase\n\nThe Securities and Exchange Commission filed suit/);
    expect(posts[0]).toMatch(/ 1\/2$/);
    expect(posts[1]).toMatch(new RegExp(`Full story: ${URL_A} 2/2$`));
    for (const p of posts) expect(twitterText.parseTweet(p).weightedLength).toBeGreaterThan(140);
  });

  it('starts a paragraph on a new post when the current one is well filled, else continues it', () => {
    const filled = `${'Long lede sentence about the new licensing regime and its reach. '.repeat(3).trim()}`;
    const posts = thread(
      story(
        'Licences',
        `${filled}\n\nSecond paragraph that would not fit after the lede in post one. ${'More. '.repeat(30)}`,
      ),
      withOptions({ numbering: { position: 'off' } }),
    );
    expect(posts[0]).toBe(`Licences\n\n${filled}`);
    expect(posts[1]).toMatch(/^Second paragraph/);
  });

  it('does not number a single post', () => {
    expect(thread(story('Title only', '', { url: undefined }))).toEqual(['Title only']);
  });

  it.each([
    [{ position: 'prefix' }, /^1\/2 SEC sues/],
    [{ format: '({i}/{n})' }, /\(1\/2\)$/],
    [{ format: '🧵 {i}' }, / 🧵 1$/],
    [{ position: 'off' }, /^SEC sues Coinbase\n\nThe Securities[\s\S]*\.$/],
  ])('numbering %j', (numbering, firstPost) => {
    const posts = thread(story('SEC sues Coinbase', MEDIUM_BODY), withOptions({ numbering }));
    expect(posts[0]).toMatch(firstPost);
  });

  it('caps only a story longer than the cap: keeps its lead, ends with an ellipsis and the link', () => {
    const posts = thread(story('Regulator consults on custody', LONGER_PARAGRAPHS));
    expect(posts).toHaveLength(6);
    expect(posts[0]).toMatch(/^Regulator consults on custody\n\nParagraph 1 says/);
    expect(posts[5]).toMatch(new RegExp(` …\\n\\nFull story: ${URL_A} 6/6$`));
    expectValidThread(
      render(story('Regulator consults on custody', LONGER_PARAGRAPHS), defaultRenderOptions).x,
    );
  });

  it('fits a story that is only just longer than the cap by letting sentences run on, before cutting anything', () => {
    const nine = LONGER_PARAGRAPHS.split('\n\n').slice(0, 11).join('\n\n');
    const posts = thread(story('Regulator consults on custody', nine));
    expect(posts).toHaveLength(6);
    expect(posts.join(' ')).not.toContain('…');
    expect(posts[5]).toMatch(/Paragraph 11 says[\s\S]*It runs to many pages\.\n\nFull story: /);
  });

  it('honours a configured cap', () => {
    const posts = thread(story('Regulator consults', LONGER_PARAGRAPHS), withOptions({ maxTweets: 3 }));
    expect(posts).toHaveLength(3);
    expect(posts[2]).toContain(`Full story: ${URL_A} 3/3`);
    expect(thread(story('Regulator consults', LONGER_PARAGRAPHS), withOptions({ maxTweets: 1 }))[0]).toMatch(
      /^Regulator consults\n\nParagraph 1 says[\s\S]* …\n\nFull story: /,
    );
  });

  it('puts the link with the headline when configured, or nowhere', () => {
    const first = thread(story('SEC sues Coinbase', MEDIUM_BODY), withOptions({ linkPlacement: 'first' }));
    expect(first[0]).toMatch(new RegExp(`^SEC sues Coinbase\\n\\n${URL_A}\\n\\nThe Securities`));
    expect(first.at(-1)).not.toContain('Full story');
    expect(thread(story('SEC sues Coinbase', 'Body.'), withOptions({ linkPlacement: 'first' }))).toEqual([
      `SEC sues Coinbase\n\n${URL_A}\n\nBody.`,
    ]);
    const none = thread(story('SEC sues Coinbase', MEDIUM_BODY), withOptions({ linkPlacement: 'none' }));
    expect(none.join('\n')).not.toContain(URL_A);
  });

  it('still links the full story from the last post of a capped thread when the link went first', () => {
    const posts = thread(story('Consultation', LONGER_PARAGRAPHS), withOptions({ linkPlacement: 'first' }));
    expect(posts[0]).toContain(URL_A);
    expect(posts.at(-1)).toContain(`Full story: ${URL_A}`);
  });

  it('can add hashtags to the first or last post', () => {
    const s = story('SEC sues Coinbase', 'The SEC said.');
    expect(thread(s, withOptions({ hashtags: 'first' }))).toEqual([
      `SEC sues Coinbase\n\n#SEC #Enforcement\n\nThe SEC said.\n\nFull story: ${URL_A}`,
    ]);
    expect(thread(s, withOptions({ hashtags: 'last' })).at(-1)).toMatch(/#SEC #Enforcement$/);
    const long = story('SEC sues Coinbase', MEDIUM_BODY);
    expect(thread(long, withOptions({ hashtags: 'last' })).at(-1)).toMatch(/#SEC #Enforcement 2\/2$/);
  });

  it('keeps at most one $cashtag per post, writing the others without $', () => {
    const s = story(
      '$BTC and $ETH fall',
      'Bitcoin ($BTC) fell, $ETH and $SOL too. $XRP was flat. It cost $1.2bn.',
    );
    const posts = thread(s);
    expectOneCashtagPerPost(render(s, defaultRenderOptions).x);
    // One post now, so one cashtag in all: "($BTC)" is no cashtag for X (it needs a space before the $).
    expect(posts).toEqual([
      `$BTC and ETH fall\n\nBitcoin ($BTC) fell, ETH and SOL too. XRP was flat. It cost $1.2bn.\n\nFull story: ${URL_A}`,
    ]);
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
      story('Regulator consults', LONGER_PARAGRAPHS),
      withOptions({ maxWeightedLength: 140, maxTweets: 25 }),
    ).x;
    for (const p of posts) expect(twitterText.parseTweet(p.text).weightedLength).toBeLessThanOrEqual(140);
  });

  it('renders the shared sample as valid posts, headline and lede first', () => {
    const posts = render({ ...loadSharedSample(), url: 'https://example.com/b' }, defaultRenderOptions).x;
    expectValidThread(posts);
    expect(posts[0]?.text).toMatch(
      /^Beijing Intensifies Crackdown on Crypto Mining in Updated Energy Conservation Plan\n\nBeijing has unveiled a revised energy conservation plan[\s\S]* 1\/6$/,
    );
    expect(posts.map((p) => p.text).join(' ')).toContain('virtual currency ‘mining’ activities');
    expect(posts.at(-1)?.text).toMatch(/…\n\nFull story: https:\/\/example\.com\/b 6\/6$/);
  });
});
