/**
 * One piece of an HTML source, as offsets into it (`end` exclusive).
 * - `text`: characters between markup.
 * - `tag`: a start or end tag; `name` lower-cased (`<A HREF=x>` is `a`).
 * - `skipped`: an element of the caller's `skipContentOf` set, from its start tag to its end tag (`</name>`,
 *   any case, optional spaces before `>`); `contentStart`/`contentEnd` delimit what was between them.
 * - `other`: a comment, `<!...>`, `<?...>`, or a tag left open at the end of the source.
 */
export type HtmlToken =
  | { readonly kind: 'text'; readonly start: number; readonly end: number }
  | {
      readonly kind: 'tag';
      readonly name: string;
      readonly closing: boolean;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'skipped';
      readonly name: string;
      readonly start: number;
      readonly end: number;
      readonly contentStart: number;
      readonly contentEnd: number;
    }
  | { readonly kind: 'other'; readonly start: number; readonly end: number };

const TAB = 9;
const LINE_FEED = 10;
const FORM_FEED = 12;
const RETURN = 13;
const SPACE = 32;
const BANG = 33;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const SLASH = 47;
const LESS = 60;
const EQUALS = 61;
const GREATER = 62;
const QUESTION = 63;

function isSpace(c: number): boolean {
  return c === SPACE || c === LINE_FEED || c === TAB || c === RETURN || c === FORM_FEED;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Splits untrusted HTML into {@link HtmlToken}s in one forward pass, in time linear in its length whatever
 * it holds (a megabyte of `<`, unclosed comments, `<script` without an end): every search either consumes
 * what it scanned or, when it finds nothing, is remembered so it never runs again. Markup follows the
 * HTML tokenizer where it matters for text: a tag starts with `<` and a letter (or `</` and a letter), its
 * name runs to a space, `/`, `>` or `<`, and a `>` inside a quoted attribute value does not end it. Where the
 * tokenizer would swallow the rest of the document, this stays forgiving instead: a `<` with no `>` after
 * it anywhere is text, an unclosed quote is an ordinary character, an unclosed comment ends at the next
 * `>`, and an element in `skipContentOf` with no end tag is just its start tag. Pure.
 */
export function* scanHtml(
  source: string,
  skipContentOf: ReadonlySet<string> = new Set(),
): Generator<HtmlToken, void, undefined> {
  const n = source.length;
  const lastGreater = source.lastIndexOf('>');
  const lastQuote = new Map<number, number>();
  // A search that found nothing from some offset finds nothing from any later one: remember where.
  let commentEndMissingFrom = n + 1;
  const endTagMissingFrom = new Map<string, number>();
  const endTagPatterns = new Map<string, RegExp>();

  function closingQuote(quote: number, from: number): number {
    let last = lastQuote.get(quote);
    if (last === undefined) {
      last = source.lastIndexOf(String.fromCharCode(quote));
      lastQuote.set(quote, last);
    }
    return last >= from ? source.indexOf(String.fromCharCode(quote), from) : -1;
  }

  function endTag(name: string, from: number): { start: number; end: number } | undefined {
    if (from >= (endTagMissingFrom.get(name) ?? n + 1)) return undefined;
    let pattern = endTagPatterns.get(name);
    if (!pattern) {
      pattern = new RegExp(`</${name.replace(/[^a-z0-9-]/g, '')}\\s*>`, 'gi');
      endTagPatterns.set(name, pattern);
    }
    pattern.lastIndex = from;
    const match = pattern.exec(source);
    if (!match) {
      endTagMissingFrom.set(name, from);
      return undefined;
    }
    return { start: match.index, end: match.index + match[0].length };
  }

  // The markup starting at `start` (a `<`), or undefined when that `<` is text.
  function markupAt(start: number): HtmlToken | undefined {
    const next = source.charCodeAt(start + 1);
    if (next === BANG || next === QUESTION) {
      if (next === BANG && source.startsWith('<!--', start) && start + 4 < commentEndMissingFrom) {
        const close = source.indexOf('-->', start + 4);
        if (close !== -1) return { kind: 'other', start, end: close + 3 };
        commentEndMissingFrom = start + 4;
      }
      // Guaranteed found: the caller checked there is a `>` after `start`.
      return { kind: 'other', start, end: source.indexOf('>', start + 2) + 1 };
    }
    const closing = next === SLASH;
    const nameStart = closing ? start + 2 : start + 1;
    if (!isAsciiLetter(source.charCodeAt(nameStart))) return undefined;
    let i = nameStart + 1;
    while (i < n) {
      const c = source.charCodeAt(i);
      if (isSpace(c) || c === SLASH || c === GREATER || c === LESS) break;
      i++;
    }
    const name = source.slice(nameStart, i).toLowerCase();
    let afterEquals = false;
    while (i < n) {
      const c = source.charCodeAt(i);
      if (c === GREATER) break;
      if (afterEquals && (c === DOUBLE_QUOTE || c === SINGLE_QUOTE)) {
        const close = closingQuote(c, i + 1);
        afterEquals = false;
        i = close === -1 ? i + 1 : close + 1;
        continue;
      }
      if (c === EQUALS) afterEquals = true;
      else if (!isSpace(c)) afterEquals = false;
      i++;
    }
    // Every `>` left was inside a quoted value: the tag is open at the end of the source.
    if (i >= n) return { kind: 'other', start, end: n };
    const end = i + 1;
    if (!closing && skipContentOf.has(name)) {
      const close = endTag(name, end);
      if (close)
        return { kind: 'skipped', name, start, end: close.end, contentStart: end, contentEnd: close.start };
    }
    return { kind: 'tag', name, closing, start, end };
  }

  let textStart = 0;
  let lt = source.indexOf('<');
  // Past the last `>`, no markup can end: the rest is text.
  while (lt !== -1 && lt < lastGreater) {
    const token = markupAt(lt);
    if (!token) {
      lt = source.indexOf('<', lt + 1);
      continue;
    }
    if (token.start > textStart) yield { kind: 'text', start: textStart, end: token.start };
    yield token;
    textStart = token.end;
    lt = source.indexOf('<', token.end);
  }
  if (textStart < n) yield { kind: 'text', start: textStart, end: n };
}
