import { scanHtml } from '../net/html-scan.js';
import { decodeNumericReference } from '../util/numeric-reference.js';

/** What a news page says about itself in its metadata. */
export interface PageMetadata {
  readonly title?: string;
  readonly description?: string;
  /** First paragraph of the `<article>`, when the page has no description. */
  readonly lead?: string;
  readonly imageUrl?: string;
  /** As the page gives it (`article:published_time`), normalized to ISO-8601 when it parses. */
  readonly publishedAt?: string;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  euro: '€',
};

/** Decodes the character references found in attribute values and text. Unknown names are kept as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) return decodeNumericReference(ref) ?? whole;
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function clean(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  const value = decodeEntities(stripTags(text)).replace(/\s+/g, ' ').trim();
  if (value === '') return undefined;
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

// `<[^>]*>` as a space, in one pass: the regex restarts its scan at every `<` (quadratic on `<<<<`).
function stripTags(text: string): string {
  const lastGreater = text.lastIndexOf('>');
  const out: string[] = [];
  let copied = 0;
  let lt = text.indexOf('<');
  while (lt !== -1 && lt < lastGreater) {
    const gt = text.indexOf('>', lt + 1);
    out.push(text.slice(copied, lt), ' ');
    copied = gt + 1;
    lt = text.indexOf('<', copied);
  }
  out.push(text.slice(copied));
  return out.join('');
}

function isAttributeSpace(c: string): boolean {
  return /\s/.test(c);
}

function isNameChar(c: string): boolean {
  return !isAttributeSpace(c) && c !== '=' && c !== '/' && c !== '>' && c !== '"' && c !== "'";
}

/** The attributes of one tag's source (`<meta a="b" c='d'>`), names lower-cased. Linear in its length. */
export function readAttributes(tagSource: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const inner = tagSource.replace(/^<\s*[a-z0-9]+/i, '').replace(/\/?>$/, '');
  const n = inner.length;
  const lastDouble = inner.lastIndexOf('"');
  const lastSingle = inner.lastIndexOf("'");
  let i = 0;
  while (i < n) {
    if (!isNameChar(inner[i]!)) {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < n && isNameChar(inner[i]!)) i++;
    const name = inner.slice(nameStart, i).toLowerCase();
    let value = '';
    let j = i;
    while (j < n && isAttributeSpace(inner[j]!)) j++;
    if (inner[j] === '=') {
      j++;
      while (j < n && isAttributeSpace(inner[j]!)) j++;
      const quote = inner[j];
      if (quote === '"' || quote === "'") {
        // A quote with no partner after it is no value (and is never searched for again).
        if ((quote === '"' ? lastDouble : lastSingle) > j) {
          const close = inner.indexOf(quote, j + 1);
          value = inner.slice(j + 1, close);
          i = close + 1;
        }
      } else {
        const valueStart = j;
        while (
          j < n &&
          !isAttributeSpace(inner[j]!) &&
          inner[j] !== '>' &&
          inner[j] !== '"' &&
          inner[j] !== "'"
        ) {
          j++;
        }
        if (j > valueStart) {
          value = inner.slice(valueStart, j);
          i = j;
        }
      }
    }
    if (!attributes.has(name)) attributes.set(name, value);
  }
  return attributes;
}

const SKIPPED: ReadonlySet<string> = new Set(['script', 'style']);

/**
 * Reads a page's own description of itself: Open Graph (`og:title`, `og:description`, `og:image`),
 * `article:published_time`, `<title>`, `<meta name="description">` (and Twitter card equivalents), and the
 * first `<article>` paragraph as a lead. Comments and scripts are ignored. Never throws; linear in the
 * page's length, whatever markup a hostile page holds.
 */
export function parseHtmlMetadata(html: string, pageUrl?: string): PageMetadata {
  const meta = new Map<string, string>();
  // The text of the first `<title>` and of the first `<p>` inside the first `<article>`, each kept only
  // when its end tag comes (tags inside become spaces).
  let titleTag: string | undefined;
  let firstParagraph: string | undefined;
  let title: string[] | undefined;
  let paragraph: string[] | undefined;
  let article: 'before' | 'inside' | 'after' = 'before';
  for (const token of scanHtml(html, SKIPPED)) {
    if (token.kind === 'text') {
      const text = html.slice(token.start, token.end);
      title?.push(text);
      paragraph?.push(text);
      continue;
    }
    title?.push(' ');
    paragraph?.push(' ');
    if (token.kind !== 'tag') continue;
    if (token.name === 'meta' && !token.closing) {
      const attributes = readAttributes(html.slice(token.start, token.end));
      const key = (
        attributes.get('property') ??
        attributes.get('name') ??
        attributes.get('itemprop')
      )?.toLowerCase();
      const content = attributes.get('content');
      if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
    } else if (token.name === 'title' && titleTag === undefined) {
      if (!token.closing) title ??= [];
      else if (title) {
        titleTag = title.join('');
        title = undefined;
      }
    } else if (token.name === 'article') {
      if (!token.closing && article === 'before') article = 'inside';
      else if (token.closing && article === 'inside') {
        article = 'after';
        paragraph = undefined;
      }
    } else if (token.name === 'p' && article === 'inside' && firstParagraph === undefined) {
      if (!token.closing) paragraph ??= [];
      else if (paragraph) {
        firstParagraph = paragraph.join('');
        paragraph = undefined;
      }
    }
  }

  const titleText = clean(meta.get('og:title') ?? meta.get('twitter:title') ?? titleTag, 400);
  const description = clean(
    meta.get('og:description') ?? meta.get('description') ?? meta.get('twitter:description'),
    2_000,
  );
  const lead = clean(firstParagraph, 2_000);
  const image = clean(meta.get('og:image') ?? meta.get('og:image:url') ?? meta.get('twitter:image'), 2_048);
  const imageUrl = image ? absoluteHttpUrl(image, pageUrl) : undefined;
  const published = clean(meta.get('article:published_time') ?? meta.get('datepublished'), 64);
  const publishedMs = published === undefined ? Number.NaN : Date.parse(published);
  return {
    ...(titleText ? { title: titleText } : {}),
    ...(description ? { description } : {}),
    ...(lead ? { lead } : {}),
    ...(imageUrl ? { imageUrl } : {}),
    ...(Number.isNaN(publishedMs) ? {} : { publishedAt: new Date(publishedMs).toISOString() }),
  };
}

function absoluteHttpUrl(value: string, base: string | undefined): string | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
