import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { describe, expect, it, vi } from 'vitest';
import { decodeEntities, htmlToLine, htmlToText } from '../../../src/intake/html-text.js';

// The real parser, counted.
vi.mock('linkedom', async (importOriginal) => {
  const actual = await importOriginal<typeof import('linkedom')>();
  return { ...actual, parseHTML: vi.fn(actual.parseHTML) };
});

describe('htmlToText', () => {
  it('drops tags, decodes entities and keeps paragraphs', () => {
    const html =
      '<p>The <strong>SEC</strong> &amp; the CFTC said&#8230; it&#8217;s &ldquo;final&rdquo;.</p>\n<p>Second<br>line &euro;5&nbsp;m</p><script>var x = "<p>no</p>";</script><!-- c -->';
    expect(htmlToText(html)).toBe('The SEC & the CFTC said… it’s “final”.\n\nSecond\nline €5 m');
  });

  it('decodes rare named entities through an HTML parser, and numeric ones', () => {
    expect(decodeEntities('&frac12; &rarr; &#x1F680; &#0; &unknownentity;')).toBe(
      '½ → 🚀 \uFFFD &unknownentity;',
    );
  });

  it('reads a WordPress description with its "[…]" tail and link-only paragraphs', () => {
    const html =
      '<p>Regulators in Hong Kong moved on Friday [&#8230;]</p>\n<p>The post <a href="https://x.example/a">Title</a> appeared first on <a href="https://x.example">X</a>.</p>';
    expect(htmlToText(html)).toBe(
      'Regulators in Hong Kong moved on Friday […]\n\nThe post Title appeared first on X.',
    );
  });

  it('parses once for all the rare entity names of a text, not once per name', () => {
    // A parse per name: a megabyte of distinct made-up names (`&q1;&q2;…`) took about 4 s.
    let text = '&frac12; &notit; ';
    for (let i = 0; i < 5_000; i++) text += `&q${i.toString(36)};`;
    vi.mocked(parseHTML).mockClear();
    const decoded = decodeEntities(text);
    expect(vi.mocked(parseHTML)).toHaveBeenCalledTimes(1);
    expect(decoded.startsWith('½ ¬it; &q0;&q1;')).toBe(true);
    expect(decoded.endsWith(`&q${(4_999).toString(36)};`)).toBe(true);
  });

  it('keeps plain text paragraphs and decodes its entities', () => {
    expect(htmlToText('One &amp; two\n\n\nThree\nfour')).toBe('One & two\n\nThree\nfour');
  });

  it('htmlToLine gives one line', () => {
    expect(htmlToLine('SEC <em>sues</em>\n<br/> Binance')).toBe('SEC sues Binance');
  });

  it('never throws and never leaves a tag behind (property)', () => {
    const word = fc.stringMatching(/^[a-z &;#0-9]{0,12}$/);
    const tag = fc.constantFrom(
      '<p>',
      '</p>',
      '<b>',
      '</b>',
      '<br/>',
      '<div class="x">',
      '</div>',
      '<a href="u">',
      '</a>',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(word, tag), { maxLength: 30 }), (pieces) => {
        const out = htmlToText(pieces.join(''));
        expect(out).not.toMatch(/<\/?(p|b|br|div|a)\b/);
        expect(out).not.toMatch(/\n{3,}/);
        expect(out).toBe(out.trim());
      }),
    );
  });

  it('is stable on its own output when that output has no markup characters (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 .,\n]{0,80}$/), (text) => {
        const once = htmlToText(text);
        expect(htmlToText(once)).toBe(once);
      }),
    );
  });
});
