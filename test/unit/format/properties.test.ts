import fc from 'fast-check';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import type { Story } from '../../../src/domain/story.js';
import { render } from '../../../src/format/render.js';
import {
  defaultRenderOptions,
  type RenderOptions,
  renderOptionsSchema,
} from '../../../src/format/render-options.js';
import { xWeight } from '../../../src/format/x-length.js';
import { expectOneCashtagPerPost, expectTelegramWithinLimits, expectValidThread } from './assertions.js';

// Words of every kind a story holds. None is longer than a post: only such words may be broken.
const latinWord = fc.stringMatching(/^[A-Za-z][a-z]{0,11}[.,;:!?]?$/);
const word = fc.oneof(
  { weight: 8, arbitrary: latinWord },
  {
    weight: 2,
    arbitrary: fc.constantFrom('中国人民银行', '发布公告。', '金融庁は', '検討した！', '한국', '你知道吗？'),
  },
  { weight: 1, arbitrary: fc.constantFrom('🚀', '🇺🇸', '👨‍👩‍👧‍👦', '👍🏽', '❤️') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'https://example.com/a/b?c=1&d=2',
      `https://www.sec.gov/${'x'.repeat(150)}.pdf`,
      'example.org/path',
      'Coinbase.com',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('@SECGov', '@binance_us', '#DeFi', '#暗号資産', '$BTC', '$ETH', '$SOL'),
  },
  { weight: 1, arbitrary: fc.constantFrom('$1.2bn', '€500m', '3.5%', '12,345.67', '2024-06-30', '−7.8%') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('<b>', '&amp;', '*bold*', '_it_', '<', '>', '&', '`x`', 'a<b&c>d'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('“quoted”', '‘single’', '«guillemets»', '—', '…', 'Ελληνικά', 'Банк'),
  },
);
const sentence = fc.array(word, { minLength: 1, maxLength: 40 }).map((ws) => ws.join(' '));
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 8 }).map((ss) => ss.join(' '));
const storyArb = fc.record({
  title: fc.array(word, { minLength: 1, maxLength: 30 }).map((ws) => ws.join(' ')),
  body: fc.array(paragraph, { minLength: 0, maxLength: 12 }).map((ps) => ps.join('\n\n')),
  url: fc.option(
    fc.constantFrom('https://example.com/story', `https://example.com/${'long-slug-'.repeat(30)}`),
    {
      nil: undefined,
    },
  ),
  imageUrl: fc.option(fc.constant('https://example.com/i.jpg'), { nil: undefined, freq: 4 }),
});
const optionsArb: fc.Arbitrary<RenderOptions> = fc
  .record({
    maxTweets: fc.integer({ min: 1, max: 25 }),
    position: fc.constantFrom('suffix', 'prefix', 'off'),
    linkPlacement: fc.constantFrom('first', 'last', 'none'),
    hashtags: fc.constantFrom('none', 'first', 'last'),
    maxWeightedLength: fc.constantFrom(280, 200, 120),
    overflow: fc.constantFrom('cut', 'photo-then-text'),
    maxLeadParagraphs: fc.integer({ min: 0, max: 5 }),
  })
  .map((o) =>
    renderOptionsSchema.parse({
      x: {
        maxTweets: o.maxTweets,
        numbering: { position: o.position },
        linkPlacement: o.linkPlacement,
        hashtags: o.hashtags,
        maxWeightedLength: o.maxWeightedLength,
      },
      telegram: { image: { overflow: o.overflow }, maxLeadParagraphs: o.maxLeadParagraphs },
    }),
  );

const toStory = (s: {
  title: string;
  body: string;
  url: string | undefined;
  imageUrl: string | undefined;
}): Story => ({
  id: 'prop0001',
  title: s.title,
  body: s.body,
  tags: [],
  changes: [],
  ...(s.url && { url: s.url }),
  ...(s.imageUrl && { imageUrl: s.imageUrl }),
});

/** Whitespace-separated words, with a cashtag's `$` dropped (the thread may write extra ones without it). */
const wordsOf = (text: string) =>
  text
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => w.replace(/^\$(?=[A-Za-z])/, ''));

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Every word of the posts is a word of the source, in order and whole; words with CJK may be split into
 * pieces (CJK has no spaces), which must then be consecutive parts of one source word.
 */
function expectWordsInOrder(postWords: readonly string[], sourceWords: readonly string[]): void {
  let i = 0;
  let partial = '';
  for (const w of postWords) {
    if (partial !== '') {
      const rest = sourceWords[i - 1]!.slice(partial.length);
      if (rest.startsWith(w)) {
        partial += w;
        if (partial === sourceWords[i - 1]) partial = '';
        continue;
      }
      partial = '';
    }
    while (i < sourceWords.length && sourceWords[i] !== w && !(CJK.test(w) && sourceWords[i]!.startsWith(w)))
      i++;
    expect(i < sourceWords.length, `word "${w}" not found in order`).toBe(true);
    if (sourceWords[i] !== w) partial = w;
    i++;
  }
}

describe('render properties over generated stories', () => {
  it('every post valid, at most one cashtag, words kept whole and in order, URLs intact', () => {
    fc.assert(
      fc.property(storyArb, optionsArb, (s, options) => {
        const story = toStory(s);
        const { x } = render(story, options);
        expectValidThread(x, options.x.maxTweets);
        expectOneCashtagPerPost(x);
        const url = story.url;
        const extra = new Set(['…', 'Full', 'story:', ...(url ? [url] : [])]);
        const postWords = x.flatMap((p) =>
          wordsOf(p.text).filter((w) => !extra.has(w) && !/^\d+\/\d+$/.test(w) && !/^#\w+$/u.test(w)),
        );
        const sourceWords = wordsOf(`${story.title}\n\n${story.body}`).filter((w) => !/^#\w+$/u.test(w));
        expectWordsInOrder(postWords, sourceWords);
        // The hook: the thread starts with the headline's first word.
        const first = wordsOf(x[0]!.text).find((w) => !/^\d+\/\d+$/.test(w));
        expect(first).toBe(wordsOf(story.title)[0]);
      }),
      { numRuns: 250 },
    );
  });

  it('every Telegram payload within limits, entities inside the text, markup shown literally', () => {
    fc.assert(
      fc.property(storyArb, optionsArb, (s, options) => {
        const story = toStory(s);
        const { telegram } = render(story, options);
        expectTelegramWithinLimits(telegram);
        const last = telegram.at(-1)!;
        const text = last.method === 'sendMessage' ? last.text : last.caption;
        const sections = text.split('\n\n').slice(1);
        while (sections.length > 0 && /^(Read source|(#[\p{L}\p{N}_]+ ?)+)$/u.test(sections.at(-1)!))
          sections.pop();
        const lead = sections.join('\n\n');
        const markup = ['<b>', '&amp;', '*bold*', '_it_', 'a<b&c>d'];
        for (const m of markup)
          if (story.body.split('\n\n')[0]?.startsWith(m) && lead !== '') expect(text).toContain(m);
        // The lead is words of the body, in order and whole.
        if (lead !== '') {
          const leadWords = wordsOf(lead).filter((w) => w !== '…');
          expectWordsInOrder(leadWords, wordsOf(story.body));
        }
      }),
      { numRuns: 250 },
    );
  });

  it('a story that fits in one post is one post, unnumbered', () => {
    const short = fc.record({
      title: fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' ')),
      body: fc.array(sentence, { minLength: 0, maxLength: 3 }).map((ss) => ss.join('\n\n')),
    });
    fc.assert(
      fc.property(short, (s) => {
        const story = toStory({ ...s, url: 'https://example.com/story', imageUrl: undefined });
        const { x } = render(story, defaultRenderOptions);
        const whole = `${story.title}\n\n${story.body}\n\nFull story: ${story.url}`;
        if (xWeight(whole) <= 270) {
          expect(x).toHaveLength(1);
          expect(x[0]!.text).not.toMatch(/\d+\/\d+$/);
        }
        if (x.length > 1) expect(xWeight(whole)).toBeGreaterThan(280 - 40);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts only a story longer than the cap: one that needs at most three quarters of it is whole', () => {
    fc.assert(
      fc.property(storyArb, fc.integer({ min: 2, max: 8 }), (s, maxTweets) => {
        const story = toStory({ ...s, url: 'https://example.com/story', imageUrl: undefined });
        const options = renderOptionsSchema.parse({ x: { maxTweets } });
        const words = wordsOf(`${story.title}\n\n${story.body}`);
        fc.pre(xWeight(`${story.title}\n\n${story.body}`) <= 0.75 * maxTweets * 270);
        const { x } = render(story, options);
        const postWords = wordsOf(x.map((p) => p.text).join(' ')).filter((w) => !/^\d+\/\d+$/.test(w));
        // The thread ends with the body's last word, then the link; nothing was cut.
        expect(postWords.slice(-3)).toEqual(['Full', 'story:', story.url]);
        const lastWord = postWords.at(-4) ?? '';
        expect(lastWord !== '' && words.at(-1)!.endsWith(lastWord), `ends with ${lastWord}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a story just over the cap runs sentences on between words, never inside a word, link or cashtag', () => {
    // Paragraphs of whole sentences, 1 to 1.4 times what the cap holds: the packings that let a sentence
    // continue in the next post are the ones that run.
    const sized = fc
      .tuple(storyArb, fc.integer({ min: 2, max: 6 }), fc.double({ min: 1, max: 1.4, noNaN: true }))
      .map(([s, maxTweets, factor]) => {
        const target = factor * maxTweets * 270;
        const sentences = s.body.split(/(?<=[.!?])\s+|\n\n/).filter((t) => t !== '');
        let body = '';
        for (let i = 0; sentences.length > 0 && xWeight(body) < target; i++) {
          body += (i === 0 ? '' : i % 3 === 0 ? '\n\n' : ' ') + sentences[i % sentences.length];
        }
        return {
          story: toStory({ ...s, body, url: 'https://example.com/story', imageUrl: undefined }),
          maxTweets,
        };
      });
    fc.assert(
      fc.property(sized, ({ story, maxTweets }) => {
        const options = renderOptionsSchema.parse({ x: { maxTweets } });
        const { x } = render(story, options);
        expectValidThread(x, maxTweets);
        expectOneCashtagPerPost(x);
        for (const post of x)
          expect(twitterText.parseTweet(post.text).weightedLength).toBeLessThanOrEqual(280);
        const extra = new Set(['…', 'Full', 'story:', story.url]);
        const postWords = x.flatMap((p) =>
          wordsOf(p.text).filter((w) => !extra.has(w) && !/^\d+\/\d+$/.test(w)),
        );
        expectWordsInOrder(postWords, wordsOf(`${story.title}\n\n${story.body}`));
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(storyArb, (s) => {
        expect(render(toStory(s), defaultRenderOptions)).toEqual(render(toStory(s), defaultRenderOptions));
      }),
      { numRuns: 30 },
    );
  });
});
