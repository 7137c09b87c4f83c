import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
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

/**
 * Extracts Open Graph / article metadata and the main text from an article page's HTML (linkedom DOM,
 * Mozilla Readability). Relative URLs resolve against `pageUrl`. Never throws on bad HTML: what cannot be
 * read is missing. Pure (no I/O).
 */
export function extractArticle(html: string, pageUrl: string): ArticleInfo {
  const source = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
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
