import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageEntity } from '../../../src/domain/rendered.js';
import { wordDiff } from '../../../src/format/word-diff.js';

const marked = (text: string, entities: readonly MessageEntity[], type: string): string[] =>
  entities.filter((e) => e.type === type).map((e) => text.slice(e.offset, e.offset + e.length));

describe('a word diff of a channel post', () => {
  it('strikes removed words through and marks added words bold and underlined', () => {
    const diff = wordDiff('The vote was 4-1 on Tuesday.', 'The vote was 3-2 on Wednesday.', 4096);
    expect(diff.text).toBe('The vote was 4-1 3-2 on Tuesday. Wednesday.');
    expect(marked(diff.text, diff.entities, 'strikethrough')).toEqual(['4-1', 'Tuesday.']);
    expect(marked(diff.text, diff.entities, 'underline')).toEqual(['3-2', 'Wednesday.']);
    expect(marked(diff.text, diff.entities, 'bold')).toEqual(['3-2', 'Wednesday.']);
    expect({ removed: diff.removed, added: diff.added, truncated: diff.truncated }).toEqual({
      removed: 2,
      added: 2,
      truncated: false,
    });
  });

  it('marks an added line as one change and keeps the line breaks', () => {
    const before = 'SEC sues exchange\n\nThe suit was filed on Tuesday.';
    const after = `${before}\n\nCorrected 14:05 UTC: the suit was filed on Wednesday`;
    const diff = wordDiff(before, after, 4096);
    expect(diff.text).toBe(after);
    expect(marked(diff.text, diff.entities, 'underline')).toEqual([
      'Corrected 14:05 UTC: the suit was filed on Wednesday',
    ]);
    expect(marked(diff.text, diff.entities, 'strikethrough')).toEqual([]);
  });

  it('says nothing changed for the same text', () => {
    const diff = wordDiff('Same words here', 'Same words here', 4096);
    expect(diff).toMatchObject({ text: 'Same words here', entities: [], removed: 0, added: 0 });
  });

  it('stays within the limit, with every entity inside the text, for any texts', () => {
    const words = fc.array(fc.constantFrom('a', 'bb', 'ETF', 'approves', '4-1', '\n', 'ümlaut', '🚀'), {
      maxLength: 60,
    });
    fc.assert(
      fc.property(words, words, fc.integer({ min: 5, max: 200 }), (a, b, limit) => {
        const diff = wordDiff(a.join(' '), b.join(' '), limit);
        expect(diff.text.length).toBeLessThanOrEqual(limit);
        for (const e of diff.entities) {
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.length).toBeGreaterThan(0);
          expect(e.offset + e.length).toBeLessThanOrEqual(diff.text.length);
        }
        if (!diff.truncated) {
          // Without the removed words, the diff reads as the new text (up to spacing).
          const struck = new Set<number>();
          for (const e of diff.entities.filter((x) => x.type === 'strikethrough'))
            for (let i = e.offset; i < e.offset + e.length; i++) struck.add(i);
          const kept =
            [...diff.text].length === diff.text.length
              ? [...diff.text].filter((_c, i) => !struck.has(i)).join('')
              : undefined;
          if (kept !== undefined)
            expect(kept.split(/\s+/).filter(Boolean)).toEqual(b.join(' ').split(/\s+/).filter(Boolean));
        }
      }),
    );
  });
});
