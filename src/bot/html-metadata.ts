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
  const value = decodeEntities(text.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  if (value === '') return undefined;
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;

/** The attributes of one tag's source (`<meta a="b" c='d'>`), names lower-cased. */
export function readAttributes(tagSource: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const inner = tagSource.replace(/^<\s*[a-z0-9]+/i, '').replace(/\/?>$/, '');
  for (const match of inner.matchAll(ATTRIBUTE)) {
    const name = match[1]!.toLowerCase();
    if (!attributes.has(name)) attributes.set(name, match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

/**
 * Reads a page's own description of itself: Open Graph (`og:title`, `og:description`, `og:image`),
 * `article:published_time`, `<title>`, `<meta name="description">` (and Twitter card equivalents), and the
 * first `<article>` paragraph as a lead. Comments and scripts are ignored. Never throws.
 */
export function parseHtmlMetadata(html: string, pageUrl?: string): PageMetadata {
  const source = html.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  const meta = new Map<string, string>();
  for (const match of source.matchAll(/<meta\b[^>]*>/gi)) {
    const attributes = readAttributes(match[0]);
    const key = (
      attributes.get('property') ??
      attributes.get('name') ??
      attributes.get('itemprop')
    )?.toLowerCase();
    const content = attributes.get('content');
    if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
  }
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(source)?.[1];
  const article = /<article\b[^>]*>([\s\S]*?)(?:<\/article\s*>|$)/i.exec(source)?.[1];
  const firstParagraph = article ? /<p\b[^>]*>([\s\S]*?)<\/p\s*>/i.exec(article)?.[1] : undefined;

  const title = clean(meta.get('og:title') ?? meta.get('twitter:title') ?? titleTag, 400);
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
    ...(title ? { title } : {}),
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
