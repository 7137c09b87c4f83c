import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CP437_80_FF } from '../../../src/format/codepages.js';
import { cleanStory } from '../../../src/format/hygiene.js';
import { repairMojibake } from '../../../src/format/mojibake.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';

// Every single-byte encoding of the WHATWG Encoding Standard (what TextDecoder implements), written out
// here independently of the implementation; the test covers each one this Node build can decode.
const WHATWG_SINGLE_BYTE = [
  'ibm866',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-8-i',
  'iso-8859-10',
  'iso-8859-13',
  'iso-8859-14',
  'iso-8859-15',
  'iso-8859-16',
  'koi8-r',
  'koi8-u',
  'macintosh',
  'windows-874',
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'x-mac-cyrillic',
  'x-user-defined',
];
const decodable = WHATWG_SINGLE_BYTE.filter((label) => {
  try {
    return new TextDecoder(label).decode(Uint8Array.of(0x80, 0xff)).length === 2;
  } catch {
    return false;
  }
});

/** What a decoder for `page` makes of UTF-8 text. */
function garble(text: string, page: string): string {
  const bytes = new TextEncoder().encode(text);
  if (page === 'cp437')
    return Array.from(bytes, (b) => (b < 0x80 ? String.fromCharCode(b) : CP437_80_FF.charAt(b - 0x80))).join(
      '',
    );
  return new TextDecoder(page).decode(bytes);
}

// Real sentences in many scripts, written for this test.
const SENTENCES = [
  'The regulator’s “final” rules take effect in 2026 — after a consultation…',
  'Café owners in Zürich and São Paulo now accept bitcoin; naïve investors beware.',
  'La Comisión Nacional del Mercado de Valores advirtió sobre los riesgos de las criptomonedas.',
  'Die BaFin prüft, ob die Börse ihre Pflichten gegenüber Anlegern erfüllt hat.',
  'Urząd Komisji Nadzoru Finansowego ostrzega przed nielicencjonowanymi giełdami.',
  'Česká národní banka zvažuje nákup bitcoinu do svých rezerv.',
  'Банк России предложил запретить оплату криптовалютой внутри страны.',
  'Національний банк України оприлюднив нові правила для віртуальних активів.',
  'Η Επιτροπή Κεφαλαιαγοράς ενέκρινε την πρώτη άδεια για πάροχο κρυπτοστοιχείων.',
  'สำนักงานคณะกรรมการ ก.ล.ต. ออกเกณฑ์ใหม่สำหรับผู้ให้บริการสินทรัพย์ดิจิทัล',
  '中国人民银行重申虚拟货币交易属于非法金融活动。',
  '金融庁は暗号資産の規制見直しを検討している。',
  '금융위원회는 가상자산 이용자 보호법을 시행한다.',
  'هيئة الأوراق المالية تصدر قواعد جديدة للأصول الرقمية.',
  'רשות ניירות ערך פרסמה הנחיות חדשות לנכסים דיגיטליים.',
  'Türkiye Sermaye Piyasası Kurulu kripto varlık hizmet sağlayıcılarını lisanslayacak.',
  'Ngân hàng Nhà nước Việt Nam cảnh báo về tiền số.',
  'Markets 🚀 rallied after the ruling 🇺🇸 and analysts cheered 👍🏽.',
  'Reuters · 2 min read · Updated ✓',
  'Ελληνικά και English μαζί: “MiCA” σε ισχύ.',
];

describe('repairMojibake through every single-byte code page', () => {
  const pages = [...decodable, 'cp437'];

  it('covers every single-byte code page Node decodes, and cp437', () => {
    expect(decodable).toContain('windows-874');
    expect(decodable).toContain('windows-1251');
    expect(decodable.length).toBeGreaterThanOrEqual(25);
  });

  it.each(pages)('%s: garbled sentences come back as written', (page) => {
    let checked = 0;
    for (const sentence of SENTENCES) {
      const garbled = garble(sentence, page);
      // A decoder that had no character for a byte wrote U+FFFD: that byte is lost, nothing can restore it.
      if (garbled.includes('\uFFFD') || garbled === sentence) continue;
      checked++;
      expect(repairMojibake(garbled).text, `${page}: ${garbled}`).toBe(sentence);
    }
    expect(checked).toBeGreaterThan(0);
  });

  it.each(SENTENCES)('leaves clean text alone: %s', (sentence) => {
    expect(repairMojibake(sentence)).toEqual({ text: sentence, repairs: [] });
  });

  it('restores any mix of sentences garbled through any code page, and leaves them alone when clean', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...pages),
        fc.array(fc.constantFrom(...SENTENCES), { minLength: 1, maxLength: 4 }),
        (page, picked) => {
          const text = picked.join(' ');
          expect(repairMojibake(text).text).toBe(text);
          const garbled = garble(text, page);
          fc.pre(!garbled.includes('\uFFFD'));
          expect(repairMojibake(garbled).text).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['windows-874 (the issue’s case)', 'Reuters ยท 2 min read', 'Reuters · 2 min read'],
    ['windows-1251', garble('Банк России', 'windows-1251'), 'Банк России'],
    ['cp437', 'caf├⌐ in Z├╝rich', 'café in Zürich'],
    ['koi8-r', garble('Биржа «Восток» — лицензия', 'koi8-r'), 'Биржа «Восток» — лицензия'],
    ['windows-1256', garble('Dubai’s VARA فرضت غرامة', 'windows-1256'), 'Dubai’s VARA فرضت غرامة'],
    ['macintosh', garble('Zürich · 5 €', 'macintosh'), 'Zürich · 5 €'],
  ])('%s', (_name, garbled, restored) => {
    expect(garbled).not.toBe(restored);
    expect(repairMojibake(garbled).text).toBe(restored);
  });

  it.each([
    ['a short Ukrainian word beside Greek', 'Ні Επιτροπή'],
    ['Thai text whose letters happen to spell valid UTF-8', 'เธก เธอ'],
    ['Polish capitals', 'DÓŁ ZAŻÓŁĆ'],
    ['box drawing in a table', '│ SEC │ 2026 │'],
  ])('leaves %s alone', (_name, text) => {
    expect(repairMojibake(text).text).toBe(text);
  });
});

describe('hygiene’s report of a wholly garbled story', () => {
  it('gives a few examples and counts the rest', () => {
    const text =
      'Банк России предложил ограничить покупку криптовалют для неквалифицированных инвесторов: не более трёхсот тысяч рублей в год после теста';
    const { changes } = cleanStory(
      { title: garble(text, 'windows-1251'), body: '', tags: [] },
      defaultRenderOptions,
    );
    expect(changes).toHaveLength(10);
    expect(changes[0]).toBe('Repaired garbled characters “Р‘Р°РЅРє” → “Банк”');
    expect(changes[9]).toBe('Repaired 9 more garbled sequences');
  });
});
