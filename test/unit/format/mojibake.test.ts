import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../../src/format/mojibake.js';

// Windows-1252 bytes 0x80–0x9F, written out independently of the implementation's table; the five
// undefined bytes decode to the C1 control of the same number, as browsers and most decoders do.
const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** What a Windows-1252 decoder makes of UTF-8 text. */
function garble(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    out += byte >= 0x80 && byte <= 0x9f ? CP1252_80_9F.charAt(byte - 0x80) : String.fromCharCode(byte);
  }
  return out;
}

describe('repairMojibake: garbled text is restored', () => {
  it.each([
    ['Windows-1252 apostrophe', 'SECâ€™s case', 'SEC’s case'],
    ['Windows-1252 quotes', 'â€œMost tokensâ€\u009d', '“Most tokens”'],
    ['Windows-1252 em dash and ellipsis', 'remarks â€” delivered â€¦', 'remarks — delivered …'],
    ['Latin-1 accents', 'cafÃ© in ZÃ¼rich, SÃ£o Paulo', 'café in Zürich, São Paulo'],
    [
      'Windows-1253 (the shared sample)',
      'clean up virtual currency β€˜mining’ activities',
      'clean up virtual currency ‘mining’ activities',
    ],
    ['Windows-1253 right quote', 'the cityβ€™s plan', 'the city’s plan'],
    ['euro sign', 'â‚¬500m', '€500m'],
    ['trade mark', 'Bitcoinâ„¢', 'Bitcoin™'],
    ['emoji', 'rocket ðŸš€ launch', 'rocket 🚀 launch'],
    ['CJK', 'ä¸­å›½äººæ°‘é“¶è¡Œ', '中国人民银行'],
    [
      'partial: closing quote lost its last byte',
      'â€œMost tokens are securitiesâ€',
      '“Most tokens are securities”',
    ],
    ['partial: opening quote lost its last byte', 'he said â€no', 'he said “no'],
    ['partial: no-break space turned into a space', 'Powered byÂ Crypto', 'Powered by Crypto'],
    ['doubly garbled', 'FCAÃ¢â‚¬â„¢s regime', 'FCA’s regime'],
    ['C1 control bytes kept by a Latin-1 decoder', 'itâ\u0080\u0099s', 'it’s'],
  ])('%s', (_name, garbled, restored) => {
    expect(repairMojibake(garbled).text).toBe(restored);
  });

  it.each([
    'Банк России предложил',
    '中国人民银行重申虚拟货币风险。',
    '金融庁は「検討」を始めた',
    '한국 금융위원회',
    'the city’s “plan” — and more…',
    'Ελληνικά: η Επιτροπή',
    'café, naïve, Zürich, São Paulo',
    'rocket 🚀 flag 🇺🇸 family 👨‍👩‍👧‍👦',
    'Tiếng Việt',
  ])('round trip through Windows-1252: %s', (text) => {
    expect(repairMojibake(garble(text)).text).toBe(text);
  });

  it('restores any mix of words garbled through Windows-1252', () => {
    const word = fc.constantFrom(
      'SEC’s',
      '“quoted”',
      'café',
      'Zürich',
      '€500m',
      '—',
      '…',
      'Банк',
      'России',
      '中国人民银行',
      'ステーブルコイン',
      '🚀',
      '👍🏽',
      'naïve',
      'plain',
      'ASCII',
      '$BTC',
      'Ελληνικά',
      'Tiếng',
      '™',
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), (words) => {
        const text = words.join(' ');
        expect(repairMojibake(garble(text)).text).toBe(text);
      }),
    );
  });

  it('reports each repaired sequence as it arrived and what it became', () => {
    const { repairs } = repairMojibake('the cityβ€™s β€˜mining’ and FCAÃ¢â‚¬â„¢s');
    // In the order the passes found them; a stretch garbled twice is one repair.
    expect(repairs).toHaveLength(3);
    expect(repairs).toEqual(
      expect.arrayContaining([
        { from: 'β€™', to: '’' },
        { from: 'β€˜', to: '‘' },
        { from: 'Ã¢â‚¬â„¢', to: '’' },
      ]),
    );
  });
});

describe('repairMojibake: genuine text is left untouched', () => {
  it.each([
    ['Greek', 'Η Επιτροπή Κεφαλαιαγοράς «ΕΚ» ανακοίνωσε. ΚΑΤΆΣΤΑΣΗ: «ΝΑΙ», «Ή όλοι ή κανείς», ά» έ” ή’ ί…'],
    ['Greek all caps with tonos', 'ΤΆΣΗ ΜΈΡΑ ΠΆΝΩ ΔΎΟ ΌΧΙ'],
    ['Cyrillic and Ukrainian', 'Банк России, Ёмкость, «Ні», Україні, Ї Є І Ґ'],
    ['Chinese, Japanese, Korean', '中国人民银行。金融庁は「検討」！한국 금융위원회'],
    ['accented Latin', 'Naïve déjà vu, façade, São Paulo, Zürich, Ærø, Øresund, ¿Qué? ¡Ya! „Wir prüfen.“'],
    ['accents next to punctuation', 'Le café… était « froid », CAFÉ… GRÜß“ Gruß“ FRANÇAIS» É” Ü“'],
    ['accent, no-break space, guillemet (French)', 'répété\u00a0» et café\u00a0»'],
    ['symbols', '€100, £5, ¥600, © 2024 ™ ® ° ± ² ³ ½ ¾ µ ¶ § ¬ — – • ‰ † ‡'],
    ['emoji', '🚀 🇺🇸 👨‍👩‍👧‍👦 👍🏽 ❤️ 1️⃣'],
    ['Arabic and Hebrew', 'الإمارات تصدر قواعد جديدة שלום'],
    ['plain ASCII', 'SEC sues Coinbase for $1.2bn <b>&amp;</b>'],
  ])('%s', (_name, text) => {
    const result = repairMojibake(text);
    expect(result.text).toBe(text);
    expect(result.repairs).toEqual([]);
  });

  it('leaves any mix of genuine words and punctuation alone', () => {
    const word = fc.constantFrom(
      'Επιτροπή',
      'ΚΑΤΆΣΤΑΣΗ',
      'άδεια',
      'ΝΑΙ',
      'Ή',
      'Банк',
      'Ёмкость',
      'Ні',
      'Україні',
      '中国',
      '金融庁',
      '한국',
      'café',
      'déjà',
      'Naïve',
      'São',
      'Zürich',
      'Ærø',
      'Gruß',
      'CAFÉ',
      'FRANÇAIS',
      'España',
      '¿Qué?',
      '¡Ya!',
      '€5',
      '£4',
      '¥600',
      '©',
      '™',
      '°C',
      '½',
      '🚀',
      '👍🏽',
      '❤️',
      'SEC',
      '$BTC',
      '$1.2bn',
    );
    const glue = fc.constantFrom(' ', ', ', '… ', '» ', ' «', '“', '” ', '’', ' — ', '\u00a0', '. ', ': ');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, glue), { minLength: 1, maxLength: 16 }), (parts) => {
        const text = parts.map(([w, g]) => w + g).join('');
        expect(repairMojibake(text).text).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    const once = repairMojibake('SECâ€™s cafÃ© ðŸš€ β€˜miningâ€').text;
    expect(repairMojibake(once).text).toBe(once);
  });
});
