import { describe, expect, it } from 'vitest';
import { pack } from '../../../src/format/packer.js';
import { splitParagraphs, splitSentences, splitWords } from '../../../src/format/sentences.js';
import { xWeight } from '../../../src/format/x-length.js';

const texts = (pieces: { text: string }[]) => pieces.map((p) => p.text);

describe('splitSentences', () => {
  it('splits English at sentence ends, never inside URLs, amounts or abbreviations in tokens', () => {
    expect(
      texts(splitSentences('It fell to $1.2bn. See https://x.com/a?b=1.c! Then U.S. firms left.')),
    ).toEqual(['It fell to $1.2bn.', 'See https://x.com/a?b=1.c!', 'Then U.S. firms left.']);
  });

  it('splits CJK at 。！？ with no space, keeping closing quotes with their sentence', () => {
    const pieces = splitSentences('中国人民银行发布公告。比特币交易被禁止！他说：「好。」你知道吗？');
    expect(texts(pieces)).toEqual([
      '中国人民银行发布公告。',
      '比特币交易被禁止！',
      '他说：「好。」',
      '你知道吗？',
    ]);
    expect(pieces.map((p) => p.sep)).toEqual(['', '', '', '']);
  });

  it('treats each line of a list as its own sentence, joined by a line break', () => {
    const pieces = splitSentences('Rules:\n- one\n- two');
    expect(texts(pieces)).toEqual(['Rules:', '- one', '- two']);
    expect(pieces.map((p) => p.sep)).toEqual(['', '\n', '\n']);
  });

  it('does not end a sentence after an initialism or a title before a capital', () => {
    expect(
      texts(splitSentences('The U.S. Treasury and the U.K. FCA agreed. Dr. Okafor and Mr. Li signed. Done.')),
    ).toEqual(['The U.S. Treasury and the U.K. FCA agreed.', 'Dr. Okafor and Mr. Li signed.', 'Done.']);
  });

  it('restores the text when joined with the separators', () => {
    const paragraph = 'One. Two? 三。四！Five “six.” Seven';
    const joined = splitSentences(paragraph)
      .map((p, i) => (i === 0 ? p.text : p.sep + p.text))
      .join('');
    expect(joined).toBe(paragraph);
  });
});

describe('splitWords', () => {
  it('splits at spaces and keeps an amount with its unit', () => {
    expect(texts(splitWords('It raised $1.2 billion and 3.5 percent from @sec #tag $BTC'))).toEqual([
      'It',
      'raised',
      '$1.2 billion',
      'and',
      '3.5 percent',
      'from',
      '@sec',
      '#tag',
      '$BTC',
    ]);
  });

  it('splits CJK text into words, never inside an embedded URL or hashtag', () => {
    const words = texts(splitWords('新加坡金融管理局发布稳定币监管框架详见https://example.com/a.b中文#标签'));
    expect(words.length).toBeGreaterThan(3);
    expect(words).toContain('https://example.com/a.b');
    expect(words.some((w) => w.includes('#标签'))).toBe(true);
    expect(words.join('')).toBe('新加坡金融管理局发布稳定币监管框架详见https://example.com/a.b中文#标签');
  });
});

describe('splitParagraphs', () => {
  it('splits on blank lines and drops empty paragraphs', () => {
    expect(splitParagraphs('\n\nOne\nline two\n\n \n\nTwo\n')).toEqual(['One\nline two', 'Two']);
  });
});

describe('pack', () => {
  it('measures each unit a bounded number of times: cost linear in the text', () => {
    const sizes = [2_000, 8_000, 32_000];
    const measured = sizes.map((size) => {
      const sentence = 'Regulators said the rules would apply to exchanges and brokers from next year. ';
      const body = sentence.repeat(Math.ceil(size / sentence.length)).slice(0, size);
      const paragraphs = [body, `${'word '.repeat(size / 5)}`.trim()];
      let chars = 0;
      const measure = (text: string) => {
        chars += text.length;
        return xWeight(text);
      };
      pack([paragraphs], { measure, capacityAt: () => 270, maxChunks: Number.POSITIVE_INFINITY });
      return chars / (2 * size);
    });
    for (const perChar of measured) expect(perChar).toBeLessThan(5);
    // Same cost per character at every size: no re-measuring of the remaining text.
    expect(measured[2]! / measured[0]!).toBeLessThan(1.3);
  });

  it('stops at maxChunks and says the text did not all fit', () => {
    const result = pack([['one two three four five six']], {
      measure: (t) => t.length,
      capacityAt: () => 9,
      maxChunks: 2,
    });
    expect(result).toEqual({ chunks: ['one two', 'three'], complete: false });
  });

  it("fills an under-used chunk with the next paragraph's sentences, else breaks at the paragraph", () => {
    const measure = (t: string) => t.length;
    const blocks = [['Head line.', 'Aaaa aaaa. Bbbb bbbb.', 'Cccc cccc cccc cccc cccc.']];
    const loose = pack(blocks, { measure, capacityAt: () => 26, maxChunks: 5 });
    expect(loose.chunks).toEqual(['Head line.', 'Aaaa aaaa. Bbbb bbbb.', 'Cccc cccc cccc cccc cccc.']);
    const filled = pack(blocks, { measure, capacityAt: () => 26, maxChunks: 5, paragraphBreakFill: 2 / 3 });
    expect(filled.chunks).toEqual(['Head line.\n\nAaaa aaaa.', 'Bbbb bbbb.', 'Cccc cccc cccc cccc cccc.']);
  });

  it('splits a sentence between words to fill a chunk only when asked to', () => {
    const measure = (t: string) => t.length;
    const blocks = [['One two. Three four five six.']];
    expect(pack(blocks, { measure, capacityAt: () => 22, maxChunks: 5 }).chunks).toEqual([
      'One two.',
      'Three four five six.',
    ]);
    expect(
      pack(blocks, { measure, capacityAt: () => 22, maxChunks: 5, sentenceBreakFill: 1 }).chunks,
    ).toEqual(['One two. Three four', 'five six.']);
  });

  it('balances an over-long sentence instead of leaving a stub', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}xx`).join(' ');
    const { chunks } = pack([[words]], {
      measure: (t) => t.length,
      capacityAt: () => 200,
      maxChunks: 10,
      balanceLongSentences: true,
    });
    expect(chunks).toHaveLength(2);
    expect(Math.abs(chunks[0]!.length - chunks[1]!.length)).toBeLessThan(30);
  });
});
