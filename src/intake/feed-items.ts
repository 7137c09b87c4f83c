import { parseFeed } from 'feedsmith';
import { parsePublicationDate } from '../domain/publication-date.js';
import { defuseArrayLikes } from './feedsmith-guard.js';
import { htmlToLine, htmlToText } from './html-text.js';

/** One feed entry, normalized across RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed, text already clean. */
export interface FeedItem {
  /** The feed's own id for the item (RSS guid, Atom id, JSON Feed id), when it has one. */
  readonly guid?: string;
  /** Absolute article URL, when the item has one. */
  readonly url?: string;
  /** Plain-text title (markup dropped, entities decoded); may be empty. */
  readonly title: string;
  /** The full text when the feed carries it (content), else the summary, as paragraphs. */
  readonly text: string;
  /** ISO-8601 publication time; absent when the item has none or an unreadable one. */
  readonly publishedAt?: string;
  /** Image from an enclosure, Media RSS or the JSON Feed `image`. */
  readonly imageUrl?: string;
  readonly categories: readonly string[];
}

/** A parsed feed: its items (newest first, at most `maxItems`) and what was odd about it. */
export interface ParsedFeed {
  readonly format: 'rss' | 'atom' | 'rdf' | 'json';
  readonly title: string;
  readonly items: readonly FeedItem[];
  /** Items in the document, before the cap. */
  readonly totalItems: number;
  /** One line each: capped item count, unreadable or future dates. For logs. */
  readonly notes: readonly string[];
}

/** Why a document is not a usable feed. */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  constructor(
    readonly code: 'not-a-feed' | 'malformed' | 'empty-body',
    message: string,
  ) {
    super(message);
  }
}

/** How {@link parseFeedDocument} reads a feed document. */
export interface ParseFeedOptions {
  /** The URL the feed was fetched from, to resolve relative links. */
  readonly feedUrl: string;
  /** Epoch ms, to recognize dates in the future. */
  readonly nowMs: number;
  /** Newest items kept. */
  readonly maxItems: number;
  /** How far ahead a date may be before it counts as "in the future" (clock skew), in ms. Default 15 min. */
  readonly futureToleranceMs?: number;
}

// feedsmith returns plain objects that mirror the document; fields are read defensively because
// real feeds put anything anywhere.
type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number') return String(v);
  const o = obj(v);
  return o ? str(o.value ?? o.href ?? o.url) : undefined;
};

/**
 * Parses a feed document with feedsmith and normalizes its items. HTML pages, JSON that is not a feed and
 * broken XML throw {@link FeedParseError}. Future dates are clamped to `nowMs` (noted); unreadable dates
 * are dropped (noted). Pure.
 */
export function parseFeedDocument(content: string, options: ParseFeedOptions): ParsedFeed {
  const text = content.replace(/^\uFEFF/, '').trim();
  if (text === '') throw new FeedParseError('empty-body', 'empty response, not a feed');
  if (/^(<!doctype html|<html[\s>])/i.test(text)) {
    throw new FeedParseError('not-a-feed', 'an HTML page, not a feed (is the feed URL right?)');
  }
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(defuseArrayLikes(text));
  } catch (err) {
    const message = (err as Error).message;
    if (/unrecognized/i.test(message)) {
      throw new FeedParseError('not-a-feed', `not an RSS, Atom or JSON feed (${message})`);
    }
    throw new FeedParseError('malformed', `malformed feed (${message})`);
  }
  const feed = parsed.feed as unknown as Loose;
  const format = parsed.format as ParsedFeed['format'];
  const rawItems = arr(format === 'atom' ? feed.entries : feed.items);
  const notes: string[] = [];
  const tolerance = options.futureToleranceMs ?? 15 * 60_000;
  let unreadableDates = 0;
  let futureDates = 0;

  // Dates first, so a huge feed is cut before any text is cleaned.
  const dated: {
    fields: RawFields;
    publishedAt: string | undefined;
    ms: number | undefined;
    index: number;
  }[] = [];
  for (const raw of rawItems) {
    const o = obj(raw);
    if (!o) continue;
    const fields = format === 'atom' ? atomFields(o) : format === 'json' ? jsonFields(o) : rssFields(o);
    if (fields.title === undefined && fields.body === undefined && fields.link === undefined) continue;
    let publishedAt: string | undefined;
    if (fields.date !== undefined) {
      const ms = parsePublicationDate(fields.date)?.getTime();
      if (ms === undefined) unreadableDates++;
      else if (ms > options.nowMs + tolerance) {
        futureDates++;
        publishedAt = new Date(options.nowMs).toISOString();
      } else publishedAt = new Date(ms).toISOString();
    }
    dated.push({
      fields,
      publishedAt,
      ms: publishedAt ? Date.parse(publishedAt) : undefined,
      index: dated.length,
    });
  }
  if (unreadableDates > 0) notes.push(`${unreadableDates} item(s) with an unreadable date`);
  if (futureDates > 0) notes.push(`${futureDates} item(s) dated in the future; taken as published now`);
  if (dated.length > options.maxItems) {
    notes.push(`${dated.length} items in the feed; only the ${options.maxItems} newest are looked at`);
  }
  // Newest first; undated items keep their place relative to each other (feeds list newest first).
  dated.sort((a, b) =>
    a.ms !== undefined && b.ms !== undefined && a.ms !== b.ms ? b.ms - a.ms : a.index - b.index,
  );
  const items = dated.slice(0, options.maxItems).map(({ fields, publishedAt }): FeedItem => {
    const url = absolute(fields.link, options.feedUrl);
    const imageUrl = absolute(fields.image, options.feedUrl);
    return {
      title: fields.title === undefined ? '' : htmlToLine(fields.title),
      text: fields.body === undefined ? '' : htmlToText(fields.body),
      categories: fields.categories,
      ...(fields.guid !== undefined ? { guid: fields.guid.trim() } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(publishedAt !== undefined ? { publishedAt } : {}),
      ...(imageUrl !== undefined ? { imageUrl } : {}),
    };
  });
  return {
    format,
    title: htmlToLine(str(feed.title) ?? ''),
    items,
    totalItems: dated.length,
    notes,
  };
}

interface RawFields {
  readonly guid?: string;
  readonly link?: string;
  readonly title?: string;
  readonly body?: string;
  readonly date?: string;
  readonly image?: string;
  readonly categories: string[];
}

function rssFields(o: Loose): RawFields {
  const guidObj = obj(o.guid);
  const guid = str(o.guid) ?? str(obj(o.rdf)?.about);
  // A permalink guid is the article URL when the item has no link.
  const guidIsLink = guid !== undefined && guidObj?.isPermaLink !== false && /^https?:\/\//i.test(guid);
  const content = str(obj(o.content)?.encoded);
  const description = str(o.description);
  const dc = obj(o.dc);
  return compact({
    guid,
    link: str(o.link) ?? (guidIsLink ? guid : undefined),
    title: str(o.title),
    body: content ?? description,
    date: str(o.pubDate) ?? str(arr(dc?.dates)[0]) ?? str(dc?.date),
    image: imageOf(o),
    categories: arr(o.categories)
      .map((c) => str(obj(c)?.name ?? c))
      .filter((c): c is string => c !== undefined),
  });
}

function atomFields(o: Loose): RawFields {
  const links = arr(o.links)
    .map(obj)
    .filter((l): l is Loose => l !== undefined);
  const alternate = links.find((l) => l.rel === undefined || l.rel === 'alternate') ?? links[0];
  return compact({
    guid: str(o.id),
    link: str(alternate?.href),
    title: str(o.title),
    body: str(o.content) ?? str(o.summary),
    date: str(o.published) ?? str(o.updated),
    image: imageOf(o),
    categories: arr(o.categories)
      .map((c) => str(obj(c)?.label ?? obj(c)?.term))
      .filter((c): c is string => c !== undefined),
  });
}

function jsonFields(o: Loose): RawFields {
  const attachment = arr(o.attachments)
    .map(obj)
    .find((a) => typeof a?.mime_type === 'string' && a.mime_type.startsWith('image/'));
  const contentText = str(o.content_text);
  return compact({
    guid: str(o.id),
    link: str(o.url) ?? str(o.external_url),
    title: str(o.title),
    body: str(o.content_html) ?? contentText ?? str(o.summary),
    date: str(o.date_published) ?? str(o.date_modified),
    image: str(o.image) ?? str(o.banner_image) ?? str(attachment?.url),
    categories: arr(o.tags).filter((t): t is string => typeof t === 'string'),
  });
}

function imageOf(o: Loose): string | undefined {
  const enclosure = arr(o.enclosures)
    .map(obj)
    .find((e) => typeof e?.type === 'string' && e.type.startsWith('image/'));
  if (enclosure) return str(enclosure.url);
  const media = obj(o.media);
  if (!media) return undefined;
  const contents = [...arr(media.contents), ...arr(media.groups).flatMap((g) => arr(obj(g)?.contents))]
    .map(obj)
    .filter((c): c is Loose => c !== undefined);
  const image = contents.find(
    (c) => c.medium === 'image' || (typeof c.type === 'string' && c.type.startsWith('image/')),
  );
  return str(image?.url) ?? str(obj(arr(media.thumbnails)[0])?.url);
}

function absolute(link: string | undefined, base: string): string | undefined {
  if (link === undefined) return undefined;
  try {
    const u = new URL(link.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function compact(fields: { [K in keyof RawFields]: RawFields[K] | undefined }): RawFields {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as unknown as RawFields;
}
