import type { MessageEntity } from '../domain/rendered.js';

/**
 * Text with Telegram entities, built as a value (never as markup, so `<`, `&`, `*`, `_` in a story show
 * literally). Offsets and lengths are UTF-16 code units, as the Bot API counts them; this mirrors
 * telegraf's `FmtString` so formatting needs no Telegram library.
 */
export interface FormattedText {
  readonly text: string;
  readonly entities: readonly MessageEntity[];
}

/** Plain text, no entities. */
export function plain(text: string): FormattedText {
  return { text, entities: [] };
}

/** Bold text. */
export function bold(text: string): FormattedText {
  return { text, entities: text === '' ? [] : [{ type: 'bold', offset: 0, length: text.length }] };
}

/** A text link: `text` shown, `url` opened. */
export function textLink(text: string, url: string): FormattedText {
  return { text, entities: text === '' ? [] : [{ type: 'text_link', offset: 0, length: text.length, url }] };
}

/** Joins parts with a plain separator, shifting each part's entities to its place in the whole. */
export function joinText(parts: readonly FormattedText[], separator: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  parts.forEach((part, i) => {
    if (i > 0) text += separator;
    for (const e of part.entities) entities.push({ ...e, offset: e.offset + text.length });
    text += part.text;
  });
  return { text, entities };
}
