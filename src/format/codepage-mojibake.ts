import { CODE_PAGES, type CodePage } from './codepages.js';
import type { MojibakeRepair } from './mojibake.js';
import { oddity, scriptOf } from './text-oddity.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Candidate {
  readonly page: string;
  readonly text: string;
  readonly oddity: number;
}

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly oddity: number;
  readonly best: Candidate | undefined;
}

/**
 * Restores text that was UTF-8 read through any single-byte code page ({@link CODE_PAGES}: `Р‘Р°РЅРє` →
 * `Банк` through windows-1251, `ยท` → `·` through windows-874, `├⌐` → `é` through cp437).
 *
 * Each stretch of non-ASCII characters (UTF-8's multi-byte sequences hold no ASCII byte) is turned back
 * into bytes through every code page that has all its characters; a reading is kept only when those
 * bytes are valid UTF-8 throughout, of characters real text uses, and the word reads as less odd
 * ({@link oddity}) than before. A reading that is no less odd but no odder either (Thai misread as Thai
 * letters) is kept only when the same code page evidently garbled other words of the text, or when it is
 * punctuation read out of letters of a script that appears nowhere else in the text (`ยท` in English). Genuine text in a single-byte script almost never
 * forms valid UTF-8, so it is left alone.
 */
export function repairThroughCodePages(
  text: string,
  pages: readonly CodePage[] = CODE_PAGES,
): { text: string; repairs: MojibakeRepair[] } {
  const found: { start: number; end: number; oddity: number; readings: Candidate[] }[] = [];
  for (const match of text.matchAll(NON_ASCII)) {
    const start = match.index;
    const end = start + match[0].length;
    const segment = match[0];
    const decodings: { page: string; text: string }[] = [];
    for (const page of pages) {
      const decoded = readThrough(segment, page);
      if (decoded !== undefined) decodings.push({ page: page.name, text: decoded });
    }
    if (decodings.length === 0) continue;
    const [before, after] = wordAround(text, start, end);
    const original = oddity(before + segment + after);
    const readings: Candidate[] = [];
    for (const { page, text: decoded } of decodings) {
      const score = oddity(before + decoded + after);
      if (score <= original) readings.push({ page, text: decoded, oddity: score });
    }
    if (readings.length > 0) found.push({ start, end, oddity: original, readings });
  }
  if (found.length === 0) return { text, repairs: [] };

  // The text went through one code page: the one that reads the most stretches, the least oddly, into the
  // most common letters, is the likeliest for each. Code pages that share characters read a stretch in
  // different ways (`Ăź` is `ü` through ISO-8859-2 and `ß` through windows-1250).
  const tally = new Map<string, { read: number; oddity: number; rarity: number; order: number }>();
  for (const f of found) {
    for (const r of f.readings) {
      const t = tally.get(r.page) ?? { read: 0, oddity: 0, rarity: 0, order: pageOrder(pages, r.page) };
      tally.set(r.page, {
        ...t,
        read: t.read + 1,
        oddity: t.oddity + r.oddity,
        rarity: t.rarity + rarity(r.text),
      });
    }
  }
  const likelier = (a: string, b: string): number => {
    const x = tally.get(a)!;
    const y = tally.get(b)!;
    return y.read - x.read || x.oddity - y.oddity || x.rarity - y.rarity || x.order - y.order;
  };
  const segments: Segment[] = found.map((f) => {
    const best = f.readings.reduce((a, b) => (likelier(b.page, a.page) < 0 ? b : a));
    return { start: f.start, end: f.end, oddity: f.oddity, best };
  });

  const evidenced = new Set<string>();
  for (const s of segments) if (s.best && s.best.oddity < s.oddity) evidenced.add(s.best.page);
  // Letters per script in the whole text, and in the stretches that have a reading.
  const total = lettersByScript(text);
  const readable = lettersByScript(segments.map((s) => text.slice(s.start, s.end)).join(' '));

  const repairs: MojibakeRepair[] = [];
  let out = '';
  let cursor = 0;
  for (const s of segments) {
    const { best } = s;
    if (!best) continue;
    const from = text.slice(s.start, s.end);
    if (
      best.oddity === s.oddity &&
      !evidenced.has(best.page) &&
      !(isForeignIsland(from, total, readable) && !/\p{L}/u.test(best.text))
    )
      continue;
    out += text.slice(cursor, s.start) + best.text;
    cursor = s.end;
    repairs.push({ from, to: best.text });
  }
  return { text: out + text.slice(cursor), repairs };
}

const NON_ASCII = /[^\u0000-\u007f]+/gu;

function pageOrder(pages: readonly CodePage[], name: string): number {
  return pages.findIndex((p) => p.name === name);
}

// Accented letters of European writing, most frequent first; any other character counts as rarer.
const COMMON_LETTERS = 'éáóíüöäàèçñúãâêôõåøæëïîûìòùýčšžřěůłąęśćżźńőűğşıăț';

/** How unusual the characters of a reading are: 0 for ASCII, growing with rarity. */
function rarity(text: string): number {
  let sum = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) continue;
    const i = COMMON_LETTERS.indexOf(char.toLowerCase());
    // Typographic spaces and invisible format characters are rarer than any visible character.
    const invisible = char !== '\u00a0' && /[\p{Z}\p{Cf}]/u.test(char);
    sum += invisible ? 2 * COMMON_LETTERS.length : i === -1 ? COMMON_LETTERS.length : i;
  }
  return sum;
}

/** The ASCII non-space characters glued to a stretch on either side: the rest of its word. */
function wordAround(text: string, start: number, end: number): [string, string] {
  let s = start;
  while (s > 0 && /[\u0021-\u007e]/.test(text.charAt(s - 1))) s--;
  let e = end;
  while (e < text.length && /[\u0021-\u007e]/.test(text.charAt(e))) e++;
  return [text.slice(s, start), text.slice(end, e)];
}

/** The stretch as UTF-8 bytes read through `page`, decoded, when that is valid and plausible text. */
function readThrough(segment: string, page: CodePage): string | undefined {
  // Cheap refusals first: most stretches of genuine text fail here, without building any bytes.
  if (segment.length < 2) return undefined;
  const lead = page.byteOf.get(segment.charAt(0));
  if (lead === undefined || lead < 0xc2 || lead > 0xf4) return undefined;
  const bytes = new Uint8Array(segment.length);
  let n = 0;
  for (let i = 0; i < segment.length; i++) {
    const byte = page.byteOf.get(segment.charAt(i));
    if (byte === undefined) return undefined;
    bytes[n++] = byte;
  }
  if (!isWellFormedUtf8(bytes, n)) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(bytes.subarray(0, n));
  } catch {
    return undefined;
  }
  for (const char of decoded) if (!plausible(char.codePointAt(0)!)) return undefined;
  return decoded;
}

/** Whether `bytes[0, n)` are whole UTF-8 multi-byte sequences (the strict decoder still has the last word). */
function isWellFormedUtf8(bytes: Uint8Array, n: number): boolean {
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > n) return false;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return false;
    }
    i += length;
  }
  return true;
}

/**
 * Whether a decoded code point is something real text contains: assigned, not private use or a control,
 * and for two-byte sequences only the blocks text is written in (genuine text misread as UTF-8 mostly
 * lands in IPA, Syriac, Thaana or N'Ko).
 */
function plausible(cp: number): boolean {
  const char = String.fromCodePoint(cp);
  if (UNUSABLE.test(char)) return false;
  if (cp < 0x800) {
    return (
      (cp >= 0xa0 && cp <= 0x24f) ||
      (cp >= 0x370 && cp <= 0x52f) ||
      (cp >= 0x531 && cp <= 0x58f) ||
      (cp >= 0x591 && cp <= 0x5f4) ||
      (cp >= 0x600 && cp <= 0x6ff)
    );
  }
  return true;
}

const UNUSABLE = /[\p{Cn}\p{Co}\p{Cs}\p{Cc}]/u;

/**
 * Whether the stretch's letters are all of one non-Latin script whose every letter in the text is in a
 * stretch that has a reading: a Thai-looking `ยท` in an English story, not a Thai word in a Thai one.
 */
function isForeignIsland(
  segment: string,
  total: ReadonlyMap<string, number>,
  readable: ReadonlyMap<string, number>,
): boolean {
  const scripts = [...lettersByScript(segment).keys()];
  const [script] = scripts;
  if (scripts.length !== 1 || script === undefined || script === 'Latin') return false;
  return total.get(script) === readable.get(script);
}

function lettersByScript(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80 || !/\p{L}/u.test(char)) continue;
    const script = scriptOf(char) ?? 'none';
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return counts;
}
