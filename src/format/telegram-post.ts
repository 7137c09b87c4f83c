import type { InlineKeyboardMarkup, LinkPreviewOptions, TelegramPayload } from '../domain/rendered.js';
import { pack } from './packer.js';
import type { RenderOptions } from './render-options.js';
import { bold, type FormattedText, joinText, plain, textLink } from './telegram-text.js';

type TelegramOptions = RenderOptions['telegram'];

/** The parts of a story a channel post is made of, already clean. */
export interface PostSource {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly url?: string;
  readonly imageUrl?: string;
  /** Hashtags without `#`. */
  readonly hashtags: readonly string[];
}

const SECTION_SEP = '\n\n';
const ELLIPSIS = '…';
const utf16Length = (s: string): number => s.length;

/**
 * The Telegram Bot API calls for one story in the channel: the headline in bold, the lead (the first
 * paragraphs that fit), a "Read source" link and/or URL button, then hashtags. Text and entities, never
 * markup. A message stays within `maxTextLength` and a caption within `maxCaptionLength` (UTF-16 units);
 * a lead too long is cut at a sentence (else a word) boundary and ends with an ellipsis, before the link.
 * With an image: one photo with the post as caption, cut to fit or (configurable) a photo with the
 * headline followed by the full post as a message.
 */
export function buildTelegramPayloads(source: PostSource, options: TelegramOptions): TelegramPayload[] {
  const button = sourceButton(source, options);
  const withButton = <T extends TelegramPayload>(payload: T): T =>
    button ? { ...payload, reply_markup: button } : payload;
  const full = composePost(source, options.maxTextLength, options);
  const useImage = source.imageUrl !== undefined && source.imageUrl !== '' && options.image.mode !== 'ignore';

  if (!useImage || source.imageUrl === undefined) {
    return [withButton(message(full, linkPreview(source.url, options)))];
  }
  const photo = source.imageUrl;
  if (options.image.mode === 'caption') {
    if (full.text.length <= options.maxCaptionLength) return [withButton(photoPayload(photo, full))];
    if (options.image.overflow === 'cut') {
      return [withButton(photoPayload(photo, composePost(source, options.maxCaptionLength, options)))];
    }
  }
  // Photo with a short caption, then the post; the photo already shows, so the message has no preview.
  const caption = bold(
    cutToFit(source.title, Math.min(options.maxHeadlineLength, options.maxCaptionLength)).text,
  );
  return [photoPayload(photo, caption), withButton(message(full, { is_disabled: true }))];
}

/** Headline, lead, link and hashtags within `limit` UTF-16 units. */
function composePost(source: PostSource, limit: number, options: TelegramOptions): FormattedText {
  const link =
    source.url && (options.sourceLink === 'text' || options.sourceLink === 'both')
      ? textLink(options.sourceLinkLabel, source.url)
      : undefined;
  let tags =
    source.hashtags.length > 0 && options.hashtags
      ? plain(source.hashtags.map((t) => `#${t}`).join(' '))
      : undefined;
  const tailLength = (): number =>
    (link ? SECTION_SEP.length + link.text.length : 0) + (tags ? SECTION_SEP.length + tags.text.length : 0);

  // Hashtags are the first thing to go when space is short, then the headline is cut.
  if (tags && tailLength() + 64 > limit) tags = undefined;
  const headlineRoom = Math.max(16, Math.min(options.maxHeadlineLength, limit - tailLength()));
  const headline = cutToFit(source.title.trim() || 'Untitled', headlineRoom).text;

  const leadParagraphs =
    options.maxLeadParagraphs > 0 ? source.paragraphs.slice(0, options.maxLeadParagraphs) : source.paragraphs;
  const leadRoom = limit - headline.length - tailLength() - SECTION_SEP.length;
  const lead = fitLead(leadParagraphs, leadRoom);

  const parts: FormattedText[] = [bold(headline)];
  if (lead !== '') parts.push(plain(lead));
  if (link) parts.push(link);
  if (tags) parts.push(tags);
  return joinText(parts, SECTION_SEP);
}

/** The first paragraphs within `room`; cut at a sentence or word, with an ellipsis, when they do not fit. */
function fitLead(paragraphs: readonly string[], room: number): string {
  if (paragraphs.length === 0 || room <= ELLIPSIS.length + 1) return '';
  const fitWithin = (capacity: number) =>
    pack([paragraphs], {
      measure: utf16Length,
      capacityAt: () => capacity,
      maxChunks: 1,
      breakLongWords: false,
    });
  const all = fitWithin(room);
  if (all.complete) return all.chunks[0] ?? '';
  const cut = fitWithin(room - ELLIPSIS.length - 1);
  const text = cut.chunks[0] ?? '';
  return text === '' ? '' : `${text} ${ELLIPSIS}`;
}

/** `text` itself when it fits `room`, otherwise its longest head ending at a word, plus an ellipsis. */
export function cutToFit(text: string, room: number): { text: string; cut: boolean } {
  if (text.length <= room) return { text, cut: false };
  const head = pack([[text]], {
    measure: utf16Length,
    capacityAt: () => room - ELLIPSIS.length,
    maxChunks: 1,
    breakLongWords: false,
  });
  // A title that is one giant word is cut between graphemes: a headline must not vanish.
  const kept =
    head.chunks[0] ??
    pack([[text]], { measure: utf16Length, capacityAt: () => room - ELLIPSIS.length, maxChunks: 1 })
      .chunks[0] ??
    '';
  const trimmed = kept.replace(/[\s,;:–—-]+$/u, '');
  return { text: `${trimmed}${ELLIPSIS}`, cut: true };
}

function sourceButton(source: PostSource, options: TelegramOptions): InlineKeyboardMarkup | undefined {
  if (!source.url || (options.sourceLink !== 'button' && options.sourceLink !== 'both')) return undefined;
  return { inline_keyboard: [[{ text: options.sourceLinkLabel, url: source.url }]] };
}

function linkPreview(url: string | undefined, options: TelegramOptions): LinkPreviewOptions {
  const { enabled, size, position } = options.linkPreview;
  if (!url || !enabled) return { is_disabled: true };
  return {
    url,
    ...(size === 'small' && { prefer_small_media: true }),
    ...(size === 'large' && { prefer_large_media: true }),
    ...(position === 'above' && { show_above_text: true }),
  };
}

function message(post: FormattedText, preview: LinkPreviewOptions): TelegramPayload {
  return { method: 'sendMessage', text: post.text, entities: post.entities, link_preview_options: preview };
}

function photoPayload(photo: string, caption: FormattedText): TelegramPayload {
  return { method: 'sendPhoto', photo, caption: caption.text, caption_entities: caption.entities };
}
