/** What {@link normalizeWhitespace} changed, by kind. */
export interface WhitespaceReport {
  /** No-break and other fixed-width spaces turned into ordinary spaces. */
  readonly noBreakSpaces: number;
  /** Invisible characters removed (soft hyphens, zero-width spaces, byte-order marks, control characters). */
  readonly invisibles: number;
  /** Whether anything else changed: line endings, runs of spaces or blank lines, trailing spaces. */
  readonly layout: boolean;
}

// U+00A0 no-break, U+1680 ogham, U+2000–U+200A fixed widths, U+202F narrow no-break, U+205F math.
const SPACE_LIKE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F]/g;
// Soft hyphen, zero-width space, word joiner, BOM, the two non-characters X rejects, and control
// characters other than tab and newline. ZWJ/ZWNJ stay: emoji sequences and Persian need them.
const INVISIBLE =
  /[\u00AD\u200B\u2060\uFEFF\uFFFE\uFFFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Normalizes whitespace. Multi-line text (a body) keeps its paragraphs: lines are trimmed, runs of spaces
 * become one, and runs of blank lines become a single blank line (the paragraph separator). Single-line
 * text (a title) is collapsed onto one line.
 */
export function normalizeWhitespace(
  text: string,
  mode: 'multiline' | 'single-line',
): { text: string; report: WhitespaceReport } {
  let noBreakSpaces = 0;
  let invisibles = 0;
  let s = text.replace(SPACE_LIKE, () => {
    noBreakSpaces++;
    return ' ';
  });
  s = s.replace(/\r\n?|[\u2028\u0085]/g, '\n').replace(/\u2029/g, '\n\n');
  s = s.replace(INVISIBLE, () => {
    invisibles++;
    return '';
  });
  const afterChars = s;
  if (mode === 'single-line') {
    s = s.replace(/\s+/g, ' ').trim();
  } else {
    s = s
      .replace(/[ \t]+/g, ' ')
      .replace(/ ?\n ?/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
  // Trimming the ends of the whole text is not worth an editor's attention; changes inside it are.
  return { text: s, report: { noBreakSpaces, invisibles, layout: s !== afterChars.trim() } };
}
