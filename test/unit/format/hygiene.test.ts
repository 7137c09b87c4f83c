import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSharedSample } from '../../../harness/story-files.js';
import type { StoryDraft } from '../../../src/domain/story.js';
import { cleanStory } from '../../../src/format/hygiene.js';
import { defaultRenderOptions, renderOptionsSchema } from '../../../src/format/render-options.js';

const draft = (title: string, body: string, extra: Partial<StoryDraft> = {}): StoryDraft => ({
  title,
  body,
  tags: [],
  ...extra,
});
const clean = (d: StoryDraft) => cleanStory(d, defaultRenderOptions);

describe('cleanStory on the shared Beijing sample', () => {
  const story = loadSharedSample();

  it('keeps the title once, restores the curly quote, drops the footer', () => {
    expect(story.title).toBe(
      'Beijing Intensifies Crackdown on Crypto Mining in Updated Energy Conservation Plan',
    );
    expect(story.body.startsWith('Beijing has unveiled a revised energy conservation plan')).toBe(true);
    expect(story.body).toContain('virtual currency ‘mining’ activities');
    expect(story.body).not.toMatch(/β€|Powered by|Follow us|Join our|\u00a0/);
    expect(story.body.endsWith('transparency in energy consumption within the crypto sector.')).toBe(true);
    expect(story.body.split('\n\n')).toHaveLength(5);
  });

  it('reports every change', () => {
    expect(story.changes).toEqual([
      'Repaired garbled characters “β€˜” → “‘”',
      'Replaced 1 no-break space with ordinary spaces',
      'Removed outlet boilerplate line “Powered by Crypto Expert BD”',
      'Removed outlet boilerplate line “Follow us on Twitter:”',
      'Removed outlet boilerplate line “Join our Telegram channel:”',
      'Removed the title repeated at the start of the body',
    ]);
  });

  it('is idempotent', () => {
    const again = clean(story);
    expect(again.changes).toEqual([]);
    expect(again.draft.title).toBe(story.title);
    expect(again.draft.body).toBe(story.body);
  });
});

describe('cleanStory', () => {
  it('normalizes to NFC', () => {
    const result = clean(draft('Cafe\u0301 rules', 'Re\u0301gulation.'));
    expect(result.draft.title).toBe('Café rules');
    expect(result.draft.body).toBe('Régulation.');
    expect(result.changes).toContain('Normalized Unicode to NFC');
  });

  it('normalizes whitespace: no-break spaces, invisibles, blank-line runs, trailing spaces, CRLF', () => {
    const result = clean(
      draft(
        '  SEC\u00a0sues\texchange  ',
        'One\u200b para\u00ad.   \r\n\r\n\r\n\r\nTwo\u202fpara.\t\r\nStill two.  \n\n\n\nThree.',
      ),
    );
    expect(result.draft.title).toBe('SEC sues exchange');
    expect(result.draft.body).toBe('One para.\n\nTwo para.\nStill two.\n\nThree.');
    expect(result.changes).toEqual([
      'Replaced 2 no-break spaces with ordinary spaces',
      'Removed 2 invisible characters',
      'Normalized whitespace (line breaks, blank lines, extra spaces)',
    ]);
  });

  it('keeps zero-width joiners, which emoji need', () => {
    expect(clean(draft('Family 👨‍👩‍👧‍👦', 'Body.')).draft.title).toBe('Family 👨‍👩‍👧‍👦');
  });

  it('drops the title repeated as the first paragraph or first line, loosely compared', () => {
    expect(clean(draft('SEC sues Coinbase', 'SEC sues Coinbase\n\nThe agency said.')).draft.body).toBe(
      'The agency said.',
    );
    expect(clean(draft('SEC sues Coinbase', 'SEC SUES COINBASE.\nThe agency said.')).draft.body).toBe(
      'The agency said.',
    );
    expect(
      clean(draft('SEC sues Coinbase', 'SEC sues Coinbase\n\nSEC sues Coinbase\n\nText.')).changes,
    ).toContain('Removed the title repeated 2 times at the start of the body');
  });

  it('keeps a first paragraph that only starts like the title', () => {
    const body = 'SEC sues Coinbase, the largest U.S. exchange, on Tuesday.';
    expect(clean(draft('SEC sues Coinbase', body)).draft.body).toBe(body);
  });

  it.each([
    'Powered by Crypto Expert BD',
    'Follow us on Twitter:',
    'Follow us on X for more',
    'Join our Telegram channel:',
    'Join us on Discord community',
    'Read more at CoinDesk',
    'Read the full story on Reuters',
    'Read more: https://example.com/x',
    'Subscribe to our newsletter for daily updates',
    'Subscribe now!',
    'Share this article',
    'Share on Facebook',
    'Click to share on Twitter',
    'The post SEC sues X appeared first on Crypto News.',
    'Image credit: Shutterstock',
  ])('removes the boilerplate line %j', (line) => {
    const result = clean(draft('Title', `Real paragraph.\n\n${line}\n\nAnother real one.`));
    expect(result.draft.body).toBe('Real paragraph.\n\nAnother real one.');
    expect(result.changes).toContain(`Removed outlet boilerplate line “${line}”`);
  });

  it('takes the bare link or handle after a prompt ending in a colon', () => {
    const result = clean(
      draft('T', 'Text.\n\nFollow us on X:\n@outlet\n\nJoin our Telegram channel:\n\nhttps://t.me/outlet'),
    );
    expect(result.draft.body).toBe('Text.');
  });

  it.each([
    'Share prices fell 4% after the announcement.',
    'Like many exchanges, it complied.',
    'Follow-up hearings are scheduled for June.',
    'Read the filing carefully, lawyers said.',
    'Subscribers to the fund lost money.',
  ])('keeps prose that merely starts like boilerplate: %j', (line) => {
    expect(clean(draft('Title', `Lead.\n\n${line}`)).draft.body).toBe(`Lead.\n\n${line}`);
  });

  it('never treats a long paragraph as boilerplate', () => {
    const long = `Follow us on ${'a very long line of genuine reporting '.repeat(8)}`.trim();
    expect(clean(draft('T', long)).draft.body).toBe(long);
  });

  it('takes its boilerplate patterns from the options', () => {
    const options = renderOptionsSchema.parse({ hygiene: { boilerplatePatterns: ['^sponsored:.*$'] } });
    const result = cleanStory(draft('T', 'Text.\n\nSponsored: buy our token\n\nPowered by X'), options);
    expect(result.draft.body).toBe('Text.\n\nPowered by X');
  });

  it('can be told not to touch mojibake or repeated titles', () => {
    const options = renderOptionsSchema.parse({
      hygiene: { repairMojibake: false, dropRepeatedTitle: false },
    });
    const result = cleanStory(draft('T', 'T\n\nSECâ€™s case.'), options);
    expect(result.draft.body).toBe('T\n\nSECâ€™s case.');
    expect(result.changes).toEqual([]);
  });

  it('reports nothing for a clean story', () => {
    expect(
      clean(draft('SEC sues Coinbase', 'The agency said.\n\nMore text.', { url: 'https://e.com/a' })).changes,
    ).toEqual([]);
  });

  it('repairs mojibake that a soft hyphen hid, in one cleaning (found by the property below)', () => {
    const once = clean(draft('Title', 'wordPowered by XÃ©\u00adword'));
    expect(once.draft.body).toBe('wordPowered by Xéword');
    expect(clean(once.draft).changes).toEqual([]);
  });

  it('is idempotent on arbitrary dirty text', () => {
    const piece = fc.constantFrom(
      'word',
      'Title',
      ' ',
      '  ',
      '\n',
      '\n\n\n',
      '\r\n',
      '\t',
      '\u00a0',
      '\u200b',
      '\u00ad',
      'â€™',
      'Ã©',
      'β€˜',
      'Powered by X',
      'Follow us on X:',
      '@handle',
      'https://t.me/x',
      '中文。',
      '🚀',
      'e\u0301',
      'ΚΑΤΆ',
      'Банк',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.array(piece, { maxLength: 6 }),
        (bodyParts, titleParts) => {
          const title = `Title ${titleParts.join('')}`;
          const once = clean(draft(title, `${title}\n\n${bodyParts.join('')}`));
          const twice = clean(once.draft);
          expect(twice.draft).toEqual(once.draft);
          expect(twice.changes).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
