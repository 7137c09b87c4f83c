import { TELEGRAM_LIMITS } from '../format/limits.js';
import { parseStoryText } from '../format/story-input.js';

/** Longest message the bot reads, in UTF-16 units: Telegram's own limit for one message. */
export const MAX_MESSAGE_CHARS = TELEGRAM_LIMITS.messageText;

/** What a `/queue` (or a pasted article) asks for. */
export type QueueRequest =
  | { readonly kind: 'story'; readonly input: Record<string, unknown> }
  | { readonly kind: 'fetch'; readonly url: string }
  | { readonly kind: 'refused'; readonly error: string };

const QUEUE_USAGE =
  'Give a link and/or the text: /queue https://example.com/article, or /queue https://example.com/article ' +
  'then the title on the next line and the body below it. You can also paste an article or forward a channel post.';

// A first word that is meant as an address: a scheme and a slash (ftp://…, a mistyped htp:/…), one of the
// schemes written without one (mailto:…), or www. A word and a colon alone is a headline's start ("MiCA: the first
// licences"), not an address.
const LOOKS_LIKE_URL =
  /^(?:[a-z][a-z0-9+.-]{0,15}:\/\S*|(?:https?|ftp|mailto|tel|javascript|data|file):\S*|www\.\S*)$/i;

/** Whether `text` is an absolute http(s) URL with a dotted host name, as story intake requires. */
export function isWebUrl(text: string): boolean {
  if (text.length > 2048) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Refusal for text longer than one Telegram message, or undefined when it fits. */
export function tooLong(text: string): string | undefined {
  if (text.length <= MAX_MESSAGE_CHARS) return undefined;
  return (
    `That message is ${text.length} characters; the most I read is ${MAX_MESSAGE_CHARS}. ` +
    'Send the article as a link (/queue https://…) or shorten it.'
  );
}

/**
 * Reads `/queue` text (or a pasted article): a URL alone asks for the page to be fetched; a URL followed by
 * text, or text alone (title on the first line), is a story. A first word meant as an address that is not
 * a usable http(s) URL is refused with an example.
 */
export function readQueueRequest(payload: string): QueueRequest {
  const long = tooLong(payload);
  if (long) return { kind: 'refused', error: long };
  const text = payload.trim();
  if (text === '') return { kind: 'refused', error: QUEUE_USAGE };
  const [first = '', ...restWords] = text.split(/[ \t\n]/);
  if (LOOKS_LIKE_URL.test(first)) {
    const url = first.startsWith('www.') ? `https://${first}` : first.replace(/^<|>$/g, '');
    if (!isWebUrl(url)) {
      const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
      return {
        kind: 'refused',
        error: `"${shown}" is not a web address I can use: give a full http(s) link, e.g. /queue https://www.sec.gov/news/press-release`,
      };
    }
    const rest = text.slice(first.length).trim();
    if (restWords.length === 0 || rest === '') return { kind: 'fetch', url };
    return { kind: 'story', input: { ...parseStoryText(rest), url } };
  }
  return { kind: 'story', input: parseStoryText(text) };
}

/** A forwarded channel post (text or caption with their entities) as story input. */
export function forwardedStoryInput(
  text: string,
  entities: readonly {
    readonly type: string;
    readonly offset: number;
    readonly length: number;
    readonly url?: string;
  }[],
  sourceTitle: string | undefined,
): Record<string, unknown> {
  const input = parseStoryText(text);
  if (input.url === undefined) {
    for (const entity of entities) {
      const candidate =
        entity.type === 'text_link'
          ? entity.url
          : entity.type === 'url'
            ? text.slice(entity.offset, entity.offset + entity.length)
            : undefined;
      if (candidate && isWebUrl(candidate)) {
        input.url = candidate;
        break;
      }
    }
  }
  if (sourceTitle) input.source = sourceTitle.slice(0, 200);
  return input;
}
