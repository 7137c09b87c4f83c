import { repairThroughCodePages } from './codepage-mojibake.js';
import { HIGH_BYTE_OF_CHAR } from './codepages.js';

/** One repaired sequence: the garbled text as it arrived and what it stood for. */
export interface MojibakeRepair {
  readonly from: string;
  readonly to: string;
}

/** Passes over the text: text garbled twice (UTF-8 → 1252 → UTF-8 → 1252) needs two. */
const MAX_PASSES = 3;

interface Candidate {
  /** Index in the run of its first character. */
  readonly start: number;
  /** Index in the run after its last character. */
  readonly end: number;
  readonly codePoint: number;
  readonly kind: 'trusted' | 'needs-company';
}

/**
 * Restores text that was UTF-8 but was decoded through a single-byte code page. First the Western
 * family (Windows-1252, Windows-1253, Latin-1, and their mixtures: `â€™` → `’`, `Ã©` → `é`, `β€˜` → `‘`,
 * `ðŸš€` → `🚀`), including the common partial forms where the last byte was lost (`â€` → `”`, `Â ` → ` `),
 * repeated until nothing changes so doubly garbled text is restored too; then every other single-byte
 * code page Node decodes, and cp437 (`Р‘Р°РЅРє` → `Банк`, `ยท` → `·`), see {@link repairThroughCodePages}.
 *
 * Genuine text is left alone: a sequence must be valid UTF-8, decode to a plausible character, and (Western)
 * not sit inside a genuine Greek or all-caps word, or (other code pages) make its word read less oddly;
 * a lone Western sequence that would decode to a letter of a non-Latin script (e.g. `é…”` → `酔`) needs a
 * neighbouring sequence before it is trusted.
 */
export function repairMojibake(text: string): { text: string; repairs: MojibakeRepair[] } {
  // Whole stretches first, through whichever code page reads them best; then the Western pass, for
  // partial forms and text garbled twice.
  const whole = repairThroughCodePages(text);
  const western = repairWestern(whole.text);
  return { text: western.text, repairs: chain(whole.repairs, western.repairs) };
}

/** The repairs of two passes, a second-pass repair of a first-pass result reported as one. */
function chain(first: readonly MojibakeRepair[], second: readonly MojibakeRepair[]): MojibakeRepair[] {
  const out = [...first];
  for (const r of second) {
    const i = out.findIndex((f) => f.to === r.from);
    if (i === -1) out.push(r);
    else out[i] = { from: out[i]!.from, to: r.to };
  }
  return out;
}

/** The Western pass: Windows-1252, Windows-1253 and Latin-1 as one table, partial forms included. */
function repairWestern(text: string): { text: string; repairs: MojibakeRepair[] } {
  const repairs: MojibakeRepair[] = [];
  const out = replaceRuns(text, (from, to) => {
    const run = text.slice(from, to);
    const repaired = repairToFixedPoint(run, text.charAt(from - 1), text.charAt(to));
    if (repaired !== run) repairs.push(difference(run, repaired));
    return repaired;
  });
  return { text: out, repairs };
}

/**
 * `text` with each maximal run `text[from, to)` of code-page characters (each standing for a byte
 * 0x80–0xFF) replaced by `replace(from, to)`; everything between runs is kept as it is.
 */
function replaceRuns(text: string, replace: (from: number, to: number) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (!HIGH_BYTE_OF_CHAR.has(text.charAt(i))) {
      const stop = nextMappedIndex(text, i);
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    let j = i;
    while (j < text.length && HIGH_BYTE_OF_CHAR.has(text.charAt(j))) j++;
    out += replace(i, j);
    i = j;
  }
  return out;
}

/**
 * Repairs one run of code-page characters, pass after pass, with its neighbours as context (they are not
 * code-page characters, so no pass changes them). One run, one reported repair, however many passes.
 */
function repairToFixedPoint(run: string, before: string, after: string): string {
  let context = before + run + after;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = repairPass(context);
    if (next === context) break;
    context = next;
  }
  return context.slice(before.length, context.length - after.length);
}

/** The changed middle of a run: common leading and trailing characters left out. */
function difference(from: string, to: string): MojibakeRepair {
  const a = Array.from(from);
  const b = Array.from(to);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  return { from: a.slice(head, a.length - tail).join(''), to: b.slice(head, b.length - tail).join('') };
}

function repairPass(text: string): string {
  return replaceRuns(text, (from, to) => repairRun(text, from, to));
}

function nextMappedIndex(text: string, from: number): number {
  let k = from;
  // Fast skip: ASCII never takes part, and most text is ASCII.
  while (k < text.length && (text.charCodeAt(k) < 0x80 || !HIGH_BYTE_OF_CHAR.has(text.charAt(k)))) k++;
  return k;
}

/** Repairs one maximal run `text[from, to)` of characters that each stand for a byte 0x80–0xFF. */
function repairRun(text: string, from: number, to: number): string {
  const run = text.slice(from, to);
  const bytes: number[] = [];
  for (let k = 0; k < run.length; k++) bytes.push(HIGH_BYTE_OF_CHAR.get(run.charAt(k)) ?? 0);
  const before = text.charAt(from - 1);
  const after = text.charAt(to);

  const candidates: Candidate[] = [];
  let k = 0;
  while (k < bytes.length) {
    const found = decodeAt(bytes, k);
    if (found && !looksGenuine(text, from + k, from + k + found.length)) {
      candidates.push({ start: k, end: k + found.length, codePoint: found.codePoint, kind: found.kind });
      k += found.length;
    } else {
      k += 1;
    }
  }

  let out = '';
  let cursor = 0;
  for (let c = 0; c < candidates.length; c++) {
    const cand = candidates[c]!;
    if (cand.kind === 'needs-company') {
      const prev = candidates[c - 1];
      const next = candidates[c + 1];
      const accompanied = prev?.end === cand.start || next?.start === cand.end;
      if (!accompanied) continue;
    }
    out += run.slice(cursor, cand.start) + String.fromCodePoint(cand.codePoint);
    cursor = cand.end;
  }
  out += run.slice(cursor);
  return repairPartialTail(out, run, bytes, cursor, candidates, before, after);
}

/**
 * The partial forms, at the end of a run only: `â€`/`β€` whose third byte was an undefined one and got
 * dropped (almost always a curly double quote), and `Â` whose no-break space was turned into a space.
 */
function repairPartialTail(
  out: string,
  run: string,
  bytes: readonly number[],
  cursor: number,
  candidates: readonly Candidate[],
  before: string,
  after: string,
): string {
  const n = bytes.length;
  const lastCandidateEnd = candidates.at(-1)?.end ?? 0;
  if (
    n >= 2 &&
    bytes[n - 2] === 0xe2 &&
    bytes[n - 1] === 0x80 &&
    lastCandidateEnd <= n - 2 &&
    cursor <= n - 2
  ) {
    const quote = /[\p{L}\p{N}]/u.test(after) ? '\u201C' : '\u201D';
    return out.slice(0, out.length - 2) + quote;
  }
  if (n >= 1 && bytes[n - 1] === 0xc2 && after === ' ' && lastCandidateEnd <= n - 1 && cursor <= n - 1) {
    const prev = n >= 2 ? run.charAt(n - 2) : before;
    if (!/\p{Lu}/u.test(prev)) {
      return out.slice(0, out.length - 1);
    }
  }
  return out;
}

/** The UTF-8 sequence starting at `bytes[k]`, if there is a valid and plausible one. */
function decodeAt(
  bytes: readonly number[],
  k: number,
): { length: number; codePoint: number; kind: Candidate['kind'] } | undefined {
  const lead = bytes[k]!;
  const length =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;
  if (length === 0 || k + length > bytes.length) return undefined;
  let codePoint = lead & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
  for (let m = 1; m < length; m++) {
    const b = bytes[k + m]!;
    if (b < 0x80 || b > 0xbf) return undefined;
    codePoint = (codePoint << 6) | (b & 0x3f);
  }
  const kind = plausibility(length, codePoint);
  return kind ? { length, codePoint, kind } : undefined;
}

/**
 * Whether a decoded code point is something real text contains. Rejects overlong forms, surrogates and
 * private use by construction, and the blocks genuine text produces by accident (`Κ»` → U+02BB,
 * `ß“` → U+07D3).
 */
function plausibility(length: number, cp: number): Candidate['kind'] | undefined {
  if (length === 2) {
    const ok =
      (cp >= 0xa0 && cp <= 0x24f) ||
      (cp >= 0x370 && cp <= 0x52f) ||
      (cp >= 0x5d0 && cp <= 0x5ea) ||
      (cp >= 0x600 && cp <= 0x6ff);
    return ok ? 'trusted' : undefined;
  }
  if (length === 3) {
    if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xf8ff) || cp > 0xfffd) return undefined;
    const symbol =
      (cp >= 0x2000 && cp <= 0x2bff) ||
      (cp >= 0x1e00 && cp <= 0x1eff) ||
      (cp >= 0xfb00 && cp <= 0xfb06) ||
      (cp >= 0xfe00 && cp <= 0xfe0f);
    return symbol ? 'trusted' : 'needs-company';
  }
  if (cp < 0x10000) return undefined;
  return cp <= 0x3ffff || (cp >= 0xe0000 && cp <= 0xe007f) ? 'trusted' : undefined;
}

/**
 * Whether the characters `text[start, end)` belong to a genuine word: a Greek letter inside Greek text, or
 * an upper-case letter continuing an all-caps ASCII word (`CAFÉ…`, but not `ZÃ¼rich`).
 */
function looksGenuine(text: string, start: number, end: number): boolean {
  const lead = text.charAt(start);
  const before = text.charAt(start - 1);
  const after = text.charAt(end);
  if (GREEK_LETTER.test(lead) && (GREEK_LETTER.test(before) || GREEK_LETTER.test(after))) return true;
  return /\p{Lu}/u.test(lead) && /[A-Z]/.test(before) && !/\p{Ll}/u.test(after);
}

const GREEK_LETTER = /\p{Script=Greek}/u;
