import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { scanHtml } from '../net/html-scan.js';
import { htmlToLine, htmlToText } from './html-text.js';

/** What an article page says about itself, and its main text. Every field may be missing. */
export interface ArticleInfo {
  readonly title?: string;
  readonly description?: string;
  /** Absolute image URL from `og:image` / `twitter:image`. */
  readonly imageUrl?: string;
  /** ISO-8601 from `article:published_time` (or similar). */
  readonly publishedAt?: string;
  /** The article's main text as paragraphs, from a Readability pass. */
  readonly text?: string;
  /** The page's canonical URL (`<link rel="canonical">` / `og:url`). */
  readonly canonicalUrl?: string;
}

type ReadabilityDocument = ConstructorParameters<typeof Readability>[0];

// Readability is slow on huge documents; a page beyond this is cut before parsing.
const MAX_HTML_CHARS = 1_500_000;
// Readability's time grows with elements times nesting (it walks every candidate's ancestors, over up to
// five passes): 100 000 nested <div>s (1 MB) took 8 minutes in the worker, 800 took 6 s. Real article
// pages stay far below both limits; beyond them the main text is left to the feed item.
const MAX_READABLE_ELEMENTS = 20_000;
const MAX_READABLE_DEPTH = 64;
// linkedom's own parse grows with the square of nesting (100 000 nested <b> or <div>: 13 s): a source
// nested deeper than this is not parsed at all.
const MAX_SOURCE_DEPTH = 1_000;

/**
 * Extracts Open Graph / article metadata and the main text from an article page's HTML (linkedom DOM,
 * Mozilla Readability). Relative URLs resolve against `pageUrl`. Never throws on bad HTML: what cannot be
 * read is missing. Pure (no I/O).
 */
export function extractArticle(html: string, pageUrl: string): ArticleInfo {
  const source = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  if (nestedDeeperThan(source, MAX_SOURCE_DEPTH)) return {};
  // Readability is typed against the DOM lib, which this project does not load; linkedom provides it.
  let document: ReadabilityDocument;
  try {
    document = parseHTML(source).document as unknown as ReadabilityDocument;
  } catch {
    return {};
  }
  const meta = (...names: string[]): string | undefined => {
    for (const name of names) {
      const el =
        document.querySelector(`meta[property="${name}"]`) ?? document.querySelector(`meta[name="${name}"]`);
      const value = el?.getAttribute('content')?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const title =
    meta('og:title', 'twitter:title') ?? document.querySelector('title')?.textContent ?? undefined;
  const description = meta('og:description', 'twitter:description', 'description');
  const image = resolve(
    meta('og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'),
    pageUrl,
  );
  const canonical = resolve(
    document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('og:url'),
    pageUrl,
  );
  const publishedRaw =
    meta('article:published_time', 'og:article:published_time', 'datePublished', 'date', 'dc.date') ??
    document.querySelector('time[datetime]')?.getAttribute('datetime') ??
    undefined;
  const publishedMs = publishedRaw ? Date.parse(publishedRaw) : Number.NaN;

  let text: string | undefined;
  try {
    if (!readable(document as unknown as Walkable)) throw new Error('too many or too deeply nested elements');
    const article = new Readability(document, { charThreshold: 200 }).parse();
    if (article?.content) text = htmlToText(article.content) || undefined;
  } catch {
    text = undefined;
  }
  return {
    ...(title && htmlToLine(title) ? { title: htmlToLine(title) } : {}),
    ...(description ? { description: htmlToText(description) } : {}),
    ...(image ? { imageUrl: image } : {}),
    ...(Number.isNaN(publishedMs) ? {} : { publishedAt: new Date(publishedMs).toISOString() }),
    ...(text ? { text } : {}),
    ...(canonical ? { canonicalUrl: canonical } : {}),
  };
}

function resolve(link: string | null | undefined, base: string): string | undefined {
  if (!link) return undefined;
  try {
    const u = new URL(link.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

interface Walkable {
  readonly documentElement: WalkableElement | null;
}

interface WalkableElement {
  readonly firstElementChild: WalkableElement | null;
  readonly nextElementSibling: WalkableElement | null;
}

// Whether the DOM is within what Readability reads in bounded time; stops counting at the first limit.
function readable(document: Walkable): boolean {
  let elements = 0;
  const pending: [WalkableElement, number][] = document.documentElement
    ? [[document.documentElement, 1]]
    : [];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [element, depth] = next;
    if (++elements > MAX_READABLE_ELEMENTS || depth > MAX_READABLE_DEPTH) return false;
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) {
      pending.push([child, depth + 1]);
    }
  }
  return true;
}

// Elements that never nest (void) or that the parser closes when the next one opens (`<p>a<p>b`).
const FLAT_ELEMENTS: ReadonlySet<string> = new Set(
  'area base br col embed hr img input link meta source track wbr p li dt dd option td th'.split(' '),
);
const SCRIPTS: ReadonlySet<string> = new Set(['script', 'style']);

// An upper bound of the DOM's depth, from the source in one linear pass (end tags assumed to match).
function nestedDeeperThan(html: string, limit: number): boolean {
  let depth = 0;
  for (const token of scanHtml(html, SCRIPTS)) {
    if (token.kind !== 'tag' || FLAT_ELEMENTS.has(token.name)) continue;
    if (token.closing) depth = Math.max(0, depth - 1);
    else if (html[token.end - 2] !== '/' && ++depth > limit) return true;
  }
  return false;
}
