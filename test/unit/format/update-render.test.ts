import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors/input-error.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';
import { renderUpdate } from '../../../src/format/update-render.js';
import { parsePost } from '../../../src/format/x-length.js';

const AT = Date.parse('2026-12-04T14:05:00Z');

describe('renderUpdate', () => {
  it('heads the channel reply and the first tweet with the update time, bold on Telegram, no link or hashtags', () => {
    const { telegram, x } = renderUpdate(
      'k3m9x2qa',
      'The SEC said it will appeal.',
      AT,
      defaultRenderOptions,
    );
    expect(telegram).toEqual([
      {
        method: 'sendMessage',
        text: 'Update 14:05 UTC\n\nThe SEC said it will appeal.',
        entities: [{ type: 'bold', offset: 0, length: 16 }],
        link_preview_options: { is_disabled: true },
      },
    ]);
    expect(x).toEqual([{ text: 'Update 14:05 UTC\n\nThe SEC said it will appeal.' }]);
  });

  it('cleans the text as it cleans a story (mojibake, whitespace)', () => {
    const { x } = renderUpdate('k3m9x2qa', 'The SECâ€™s   appeal\u00a0was filed.', AT, defaultRenderOptions);
    expect(x[0]?.text).toBe('Update 14:05 UTC\n\nThe SEC’s appeal was filed.');
  });

  it('uses the configured headline', () => {
    const options = {
      ...defaultRenderOptions,
      amendments: { ...defaultRenderOptions.amendments, updateHeadline: 'UPDATE ({time} UTC)' },
    };
    expect(renderUpdate('k3m9x2qa', 'More.', AT, options).x[0]?.text).toBe('UPDATE (14:05 UTC)\n\nMore.');
  });

  it('refuses a text with nothing left once cleaned, saying so', () => {
    expect(() => renderUpdate('k3m9x2qa', '   \n\n  ', AT, defaultRenderOptions)).toThrow(InputError);
  });

  it('splits any text into tweets X accepts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.lorem({ maxCount: 40, mode: 'sentences' }), { minLength: 1, maxLength: 6 }),
        (paragraphs) => {
          const text = paragraphs.join('\n\n');
          if (text.trim() === '') return;
          const { x } = renderUpdate('k3m9x2qa', text, AT, defaultRenderOptions);
          expect(x.length).toBeGreaterThan(0);
          for (const post of x) expect(parsePost(post.text).valid).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
