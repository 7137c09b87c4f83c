import { parseHTML } from 'linkedom';
import { scanHtml } from '../net/html-scan.js';
import { decodeNumericReference } from '../util/numeric-reference.js';

// Private-use markers for breaks while whitespace from the source markup is collapsed.
const PARA = '\uE000';
const LINE = '\uE001';

// Elements whose content is not text a reader sees: dropped up to their end tag.
const DROPPED_ELEMENTS: ReadonlySet<string> = new Set(
  'script style noscript template svg iframe object head'.split(' '),
);
const BLOCK = new Set(
  'p div section article header footer aside nav main blockquote figure figcaption ul ol li dl dt dd table thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6 pre hr address details summary'.split(
    ' ',
  ),
);
const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

// The entities feeds actually use; anything else is decoded by an HTML parser once and cached.
const COMMON_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
  eacute: 'é',
  egrave: 'è',
  aacute: 'á',
  agrave: 'à',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  ntilde: 'ñ',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  ccedil: 'ç',
  shy: '\u00AD',
};
const parsedEntities = new Map<string, string>();

/** Decodes HTML character references (all named ones of HTML5, decimal and hex). Pure. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  const rare = new Set<string>();
  for (const [whole, ref = ''] of text.matchAll(ENTITY)) {
    if (!ref.startsWith('#') && COMMON_ENTITIES[ref] === undefined && !parsedEntities.has(whole))
      rare.add(whole);
  }
  const decoded = rare.size > 0 ? namedEntities([...rare]) : undefined;
  return text.replace(ENTITY, (whole, ref: string) => {
    if (ref.startsWith('#')) return decodeNumericReference(ref) ?? '\uFFFD';
    return COMMON_ENTITIES[ref] ?? parsedEntities.get(whole) ?? decoded?.get(whole) ?? whole;
  });
}

// One parse, of one text node, for all of a text's rare references: a parse per reference made a
// megabyte of distinct made-up names (`&q1;&q2;…`) cost seconds. No reference decodes to a private-use
// character, so one separates them.
const SEPARATOR = '\uE002';

function namedEntities(references: readonly string[]): Map<string, string> {
  const { document } = parseHTML(
    `<!doctype html><html><body><p>${references.join(SEPARATOR)}</p></body></html>`,
  );
  const values: string[] = (document.querySelector('p')?.textContent ?? '').split(SEPARATOR);
  const decoded = new Map<string, string>();
  references.forEach((reference, i) => {
    const value = values.length === references.length ? (values[i] ?? reference) : reference;
    decoded.set(reference, value);
    if (parsedEntities.size < 2_000) parsedEntities.set(reference, value);
  });
  return decoded;
}

/**
 * Reduces an HTML fragment (a feed title, description or content) to clean text: scripts, styles and
 * comments dropped, tags removed, entities decoded, block elements turned into paragraphs ("\n\n") and
 * `<br>` into line breaks, runs of whitespace collapsed. Text without markup only has its entities
 * decoded and whitespace tidied. Pure.
 */
export function htmlToText(html: string): string {
  let s = html;
  if (s.includes('<')) {
    s = stripMarkup(unwrapCdata(s)).replace(/\s+/g, ' ');
  } else {
    // Plain text keeps its own paragraph breaks.
    s = s
      .replace(/\r\n?/g, '\n')
      .replace(/\n[ \t]*\n\s*/g, PARA)
      .replace(/\n/g, LINE);
  }
  s = decodeEntities(s).replace(/\u00A0/g, ' ');
  return s
    .split(PARA)
    .map((para) =>
      para
        .split(LINE)
        .map((line) => line.replace(/[ \t\f\v\r\n]+/g, ' ').trim())
        .filter((line) => line !== '')
        .join('\n'),
    )
    .filter((para) => para !== '')
    .join('\n\n');
}

// Tags become breaks or spaces, comments and dropped elements a space: one linear pass (untrusted input).
function stripMarkup(html: string): string {
  const out: string[] = [];
  for (const token of scanHtml(html, DROPPED_ELEMENTS)) {
    if (token.kind === 'text') out.push(html.slice(token.start, token.end));
    else if (token.kind === 'tag') out.push(tagReplacement(token.name, token.closing));
    else out.push(' ');
  }
  return out.join('');
}

function tagReplacement(name: string, closing: boolean): string {
  if (name === 'br') return LINE;
  if (name === 'img') return ' ';
  return BLOCK.has(name) ? PARA : closing ? '' : inlineSpace(name);
}

// `<![CDATA[x]]>` becomes `x`, itself markup; an unclosed section stays as written.
function unwrapCdata(html: string): string {
  const open = '<![CDATA[';
  let start = html.indexOf(open);
  if (start === -1) return html;
  const out: string[] = [];
  let copied = 0;
  while (start !== -1) {
    const close = html.indexOf(']]>', start + open.length);
    // No later section can close either: stop rather than search again from each opening.
    if (close === -1) break;
    out.push(html.slice(copied, start), html.slice(start + open.length, close));
    copied = close + 3;
    start = html.indexOf(open, copied);
  }
  out.push(html.slice(copied));
  return out.join('');
}

// Inline elements that separate words visually though the markup has no space (table-ish cells, labels).
function inlineSpace(name: string): string {
  return name === 'span' || name === 'a' || name === 'b' || name === 'strong' || name === 'em' || name === 'i'
    ? ''
    : ' ';
}

/** {@link htmlToText} on one line (titles): breaks become spaces. Pure. */
export function htmlToLine(html: string): string {
  return htmlToText(html).replace(/\s+/g, ' ').trim();
}
