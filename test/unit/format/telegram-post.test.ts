import { bold, fmt, join, link } from 'telegraf/format';
import { describe, expect, it } from 'vitest';
import { loadSharedSample, storyFrom } from '../../../harness/story-files.js';
import type { TelegramPayload } from '../../../src/domain/rendered.js';
import type { StoryDraft } from '../../../src/domain/story.js';
import { render } from '../../../src/format/render.js';
import { defaultRenderOptions, renderOptionsSchema } from '../../../src/format/render-options.js';
import { expectTelegramWithinLimits } from './assertions.js';

const URL_A = 'https://example.com/story?a=1&b=2';
const story = (title: string, body: string, extra: Partial<StoryDraft> = {}) =>
  storyFrom({ title, body, tags: [], url: URL_A, ...extra });
const telegramOf = (s: ReturnType<typeof story>, options = defaultRenderOptions) =>
  render(s, options).telegram;
const message = (payloads: readonly TelegramPayload[], index = 0) => {
  const p = payloads[index];
  if (p?.method !== 'sendMessage') throw new Error(`payload ${index} is not a message`);
  return p;
};
const photo = (payloads: readonly TelegramPayload[], index = 0) => {
  const p = payloads[index];
  if (p?.method !== 'sendPhoto') throw new Error(`payload ${index} is not a photo`);
  return p;
};

describe('Telegram channel post', () => {
  it('is headline in bold, lead, "Read source" link, hashtags, as text and entities', () => {
    const post = message(
      telegramOf(story('SEC sues Coinbase', 'The SEC sued Coinbase.\n\nThe SEC said more.')),
    );
    expect(post.text).toBe(
      'SEC sues Coinbase\n\nThe SEC sued Coinbase.\n\nThe SEC said more.\n\nRead source\n\n#SEC #Enforcement',
    );
    expect(post.entities).toEqual([
      { type: 'bold', offset: 0, length: 17 },
      { type: 'text_link', offset: 63, length: 11, url: URL_A },
    ]);
    expect(post).not.toHaveProperty('parse_mode');
  });

  it('matches what telegraf/format builds for the same parts', () => {
    const post = message(telegramOf(story('SEC sues 🚀 Coinbase', 'Lead “quoted” 👨‍👩‍👧‍👦.')));
    const expected = join(
      [
        bold('SEC sues 🚀 Coinbase'),
        fmt`Lead “quoted” 👨‍👩‍👧‍👦.`,
        link('Read source', URL_A),
        fmt`#SEC #Enforcement`,
      ],
      '\n\n',
    );
    expect(post.text).toBe(expected.text);
    expect(post.entities).toEqual(expected.entities);
  });

  it('shows <, >, &, *, _ and backticks literally', () => {
    const s = story('Fine of <$5m> & *more*', 'Fees <b>0.5%</b> & __hidden__ _x_ `code` [link](x).');
    const post = message(telegramOf(s));
    expect(post.text).toContain('Fine of <$5m> & *more*');
    expect(post.text).toContain('Fees <b>0.5%</b> & __hidden__ _x_ `code` [link](x).');
    expect(post.entities.map((e) => e.type)).toEqual(['bold', 'text_link']);
  });

  it('takes the first paragraphs as the lead, three by default', () => {
    const body = ['One.', 'Two.', 'Three.', 'Four.'].join('\n\n');
    const post = message(telegramOf(story('Title', body)));
    expect(post.text).toContain('One.\n\nTwo.\n\nThree.\n\nRead source');
    expect(post.text).not.toContain('Four.');
    const all = renderOptionsSchema.parse({ telegram: { maxLeadParagraphs: 0 } });
    expect(message(telegramOf(story('Title', body), all)).text).toContain('Four.');
  });

  it('cuts a lead too long at a sentence, with an ellipsis, keeping the link and hashtags', () => {
    const sentence = 'The Securities and Exchange Commission said the exchange broke the rules again. ';
    const s = story('SEC sues exchange', sentence.repeat(80).trim());
    const post = message(telegramOf(s));
    expect(post.text.length).toBeLessThanOrEqual(4096);
    expect(post.text).toMatch(/rules again\. …\n\nRead source\n\n#SEC #Enforcement$/);
    expectTelegramWithinLimits([post]);
  });

  it('cuts at a word when even the first sentence is too long, never inside a word', () => {
    const s = story('Long', `${'regulation '.repeat(500)}end.`);
    const post = message(telegramOf(s));
    expect(post.text.length).toBeLessThanOrEqual(4096);
    expect(post.text).toMatch(/ regulation …\n\nRead source/);
  });

  it('cuts a very long headline at a word, inside its bold entity', () => {
    const title = `Senators unveil ${'sweeping '.repeat(60)}bill`;
    const post = message(telegramOf(story(title, 'Body.')));
    const headline = post.text.slice(0, post.entities[0]!.length);
    expect(headline.length).toBeLessThanOrEqual(300);
    expect(headline).toMatch(/sweeping…$/);
  });

  it('with no URL has no link and no preview', () => {
    const post = message(telegramOf(story('No link', 'Body.', { url: undefined })));
    expect(post.text).not.toContain('Read source');
    expect(post.link_preview_options).toEqual({ is_disabled: true });
    expect(post.reply_markup).toBeUndefined();
  });

  it('offers the source as an inline URL button, or both, or neither', () => {
    const s = story('T', 'Body.');
    const button = message(telegramOf(s, renderOptionsSchema.parse({ telegram: { sourceLink: 'button' } })));
    expect(button.text).not.toContain('Read source');
    expect(button.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Read source', url: URL_A }]] });
    const both = message(
      telegramOf(
        s,
        renderOptionsSchema.parse({ telegram: { sourceLink: 'both', sourceLinkLabel: 'Source ↗' } }),
      ),
    );
    expect(both.text).toContain('Source ↗');
    expect(both.reply_markup?.inline_keyboard[0]?.[0]?.text).toBe('Source ↗');
    const none = message(telegramOf(s, renderOptionsSchema.parse({ telegram: { sourceLink: 'none' } })));
    expect(none.entities.map((e) => e.type)).toEqual(['bold']);
  });

  it.each([
    [{}, { url: URL_A, prefer_large_media: true }],
    [
      { size: 'small', position: 'above' },
      { url: URL_A, prefer_small_media: true, show_above_text: true },
    ],
    [{ size: 'auto' }, { url: URL_A }],
    [{ enabled: false }, { is_disabled: true }],
  ])('link preview %j', (linkPreview, expected) => {
    const options = renderOptionsSchema.parse({ telegram: { linkPreview } });
    expect(message(telegramOf(story('T', 'Body.'), options)).link_preview_options).toEqual(expected);
  });

  describe('with an image', () => {
    const IMG = 'https://example.com/i.jpg';
    const short = story('OFAC sanctions exchange', 'OFAC said.', { imageUrl: IMG });
    const long = story(
      'OFAC sanctions exchange',
      'OFAC said the exchange helped evade sanctions. '.repeat(60).trim(),
      {
        imageUrl: IMG,
      },
    );

    it('sends one photo with the post as caption when it fits', () => {
      const [only, ...rest] = telegramOf(short);
      expect(rest).toEqual([]);
      const p = photo([only!]);
      expect(p.photo).toBe(IMG);
      expect(p.caption).toBe('OFAC sanctions exchange\n\nOFAC said.\n\nRead source\n\n#OFAC #Sanctions');
      expect(p.caption_entities[0]).toEqual({ type: 'bold', offset: 0, length: 23 });
    });

    it('cuts a long post to the 1024-unit caption at a sentence, with ellipsis and link', () => {
      const payloads = telegramOf(long);
      expect(payloads).toHaveLength(1);
      const p = photo(payloads);
      expect(p.caption.length).toBeLessThanOrEqual(1024);
      expect(p.caption).toMatch(/sanctions\. …\n\nRead source\n\n#OFAC #Sanctions$/);
      expectTelegramWithinLimits(payloads);
    });

    it('falls back to a photo with the headline, then the full post, when configured', () => {
      const options = renderOptionsSchema.parse({
        telegram: { image: { overflow: 'photo-then-text' }, sourceLink: 'both' },
      });
      const payloads = telegramOf(long, options);
      expect(payloads.map((p) => p.method)).toEqual(['sendPhoto', 'sendMessage']);
      expect(photo(payloads).caption).toBe('OFAC sanctions exchange');
      expect(photo(payloads).caption_entities).toEqual([{ type: 'bold', offset: 0, length: 23 }]);
      expect(photo(payloads).reply_markup).toBeUndefined();
      const text = message(payloads, 1);
      expect(text.text.length).toBeGreaterThan(1024);
      expect(text.link_preview_options).toEqual({ is_disabled: true });
      expect(text.reply_markup?.inline_keyboard[0]?.[0]?.url).toBe(URL_A);
      expectTelegramWithinLimits(payloads);
    });

    it('can always send photo then text, or ignore the image', () => {
      const always = renderOptionsSchema.parse({ telegram: { image: { mode: 'photo-then-text' } } });
      expect(telegramOf(short, always).map((p) => p.method)).toEqual(['sendPhoto', 'sendMessage']);
      const ignore = renderOptionsSchema.parse({ telegram: { image: { mode: 'ignore' } } });
      expect(telegramOf(short, ignore).map((p) => p.method)).toEqual(['sendMessage']);
    });
  });

  it('renders the shared sample with the title once, the curly quote, no footer, hashtags', () => {
    const post = message(
      render({ ...loadSharedSample(), url: 'https://example.com/b' }, defaultRenderOptions).telegram,
    );
    expect(post.text.match(/Beijing Intensifies Crackdown/g)).toHaveLength(1);
    expect(post.text).toContain('‘mining’');
    expect(post.text).not.toMatch(/Powered by|Follow us|Join our|β€/);
    expect(post.text).toMatch(/\n\n#China .*#Mining #Regulation$/);
    expectTelegramWithinLimits([post]);
  });
});
