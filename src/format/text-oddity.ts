/**
 * How odd a piece of text looks, as a count of the things mojibake produces and real writing does not:
 * letters of two scripts glued together (`cafГ©`), symbols and control characters stuck to letters
 * (`Ã©`, `Р°`), a capital inside a lower-case word (`fÃªte`), replacement characters. Real text in any
 * one script scores 0 or close to it; a garbled word scores about one per garbled character.
 */
export function oddity(text: string): number {
  const chars = Array.from(text);
  let score = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const code = c.codePointAt(0)!;
    if (code === 0xfffd) score += 3;
    else if (code >= 0x80 && code <= 0x9f) score += 2;
    const prev = chars[i - 1];
    const next = chars[i + 1];
    const prevLetter = prev !== undefined && LETTER.test(prev);
    const nextLetter = next !== undefined && LETTER.test(next);
    if (code >= 0x80 && SYMBOL.test(c) && !UNIT_SIGN.test(c) && (prevLetter || nextLetter)) score += 1;
    if (code >= 0x80 && PUNCTUATION.test(c) && !IN_WORD.test(c) && prevLetter && nextLetter) score += 1;
    // A symbol against another symbol or punctuation (`¬∑`, `â€™`); emoji sequences are exempt.
    if (
      code >= 0x80 &&
      SYMBOL.test(c) &&
      !EMOJI.test(c) &&
      next !== undefined &&
      next.codePointAt(0)! >= 0x80
    ) {
      if ((SYMBOL.test(next) && !EMOJI.test(next)) || PUNCTUATION.test(next)) score += 1;
    }
    // A capital opening a word and followed by a symbol or punctuation (`Â·`, `Ð°`), not in an all-caps word.
    if (code >= 0x80 && UPPER.test(c) && !prevLetter && next !== undefined && next.codePointAt(0)! >= 0x80) {
      if (SYMBOL.test(next) || PUNCTUATION.test(next)) score += 1;
    }
    // Box drawing and block elements: DOS-console mojibake, never in news text.
    if (code >= 0x2500 && code <= 0x259f) score += 1;
    // A combining mark on nothing, or on a letter of another script (a Hebrew point on a Latin z).
    if (MARK.test(c)) {
      const markScript = scriptOfMark(c);
      if (!prevLetter && !(prev !== undefined && MARK.test(prev))) score += 1;
      else if (prevLetter && markScript !== undefined && scriptOf(prev) !== markScript) score += 1;
    }
    if (prev === undefined || !prevLetter || !LETTER.test(c)) continue;
    const a = scriptOf(prev);
    const b = scriptOf(c);
    if (a !== undefined && b !== undefined && a !== b) score += 1;
    if (code >= 0x80 && UPPER.test(c) && LOWER.test(prev)) score += 1;
  }
  return score;
}

const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
// Symbols, other numbers (², ¼), private use and format characters: none sits inside a real word.
const SYMBOL = /[\p{S}\p{No}\p{Co}\p{Cf}\p{Cc}]/u;
const PUNCTUATION = /\p{P}/u;
// Signs written against a word or number in real text: 25°C, m², Bitcoin™, €5.
// Punctuation that belongs inside words: apostrophes, hyphens, the Catalan middle dot, Hebrew geresh.
const IN_WORD = /[’ʼ‐‑·׳״]/u;
const UNIT_SIGN = /[°²³¹µ™®©€£¥‰]/u;
const MARK = /\p{M}/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200D|\uFE0F|\u20E3/u;

// Scripts that mix within real words are one family here: Japanese writes Han with kana, Korean Hangul
// with Han.
const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];

/** The script family of a combining mark, when it belongs to one (accents shared by all are `undefined`). */
function scriptOfMark(mark: string): string | undefined {
  for (const [name, pattern] of SCRIPTS) if (pattern.test(mark)) return name;
  return undefined;
}

/** The script family of a letter; `undefined` for letters of no script in particular (µ) or others. */
export function scriptOf(letter: string): string | undefined {
  if (letter.charCodeAt(0) < 0x80) return 'Latin';
  for (const [name, pattern] of SCRIPTS) if (pattern.test(letter)) return name;
  return /\p{Script=Common}/u.test(letter) ? undefined : 'Other';
}
