import { cantParseEntities } from './bot-api-error.js';
import { isValidLinkUrl } from './entity-rules.js';
import type { BotApiEntity } from './stand-in-types.js';

/** Text and entities after parsing a `parse_mode` markup. */
export interface ParsedText {
  readonly text: string;
  readonly entities: BotApiEntity[];
}

const SUPPORTED_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
]);

const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
};

interface OpenTag {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** UTF-16 offset in the output text. */
  readonly offset: number;
  /** Index of the `<` in the input, to recover the inner text of `<a>` without href. */
  readonly inputStart: number;
  readonly contentStart: number;
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/** Decodes the HTML entity at `input[at] === '&'`, as the Bot API does; `undefined` when it is a literal `&`. */
function decodeEntity(input: string, at: number): { value: string; end: number } | undefined {
  const match = /^&(?:(lt|gt|amp|quot)|#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8}));/.exec(input.slice(at, at + 16));
  if (!match) return undefined;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
  let value: string | undefined;
  if (match[1]) value = named[match[1]];
  else {
    const codePoint = match[2] ? Number.parseInt(match[2], 10) : Number.parseInt(match[3] ?? '', 16);
    if (codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      value = String.fromCodePoint(codePoint);
    }
  }
  return value === undefined ? undefined : { value, end: at + match[0].length };
}

/**
 * Parses `parse_mode: 'HTML'` text into plain text and entities with the Bot API's rules and error
 * wording (offsets in errors are UTF-8 byte offsets into the input). A `&` that starts no known entity
 * stays literal, as in the real API.
 */
export function parseHtml(input: string): ParsedText {
  const byteOffset = (index: number): number => Buffer.byteLength(input.slice(0, index), 'utf8');
  const entities: BotApiEntity[] = [];
  const stack: OpenTag[] = [];
  let text = '';
  let i = 0;
  const n = input.length;

  while (i < n) {
    const ch = input[i]!;
    if (ch === '&') {
      const decoded = decodeEntity(input, i);
      if (decoded) {
        text += decoded.value;
        i = decoded.end;
        continue;
      }
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const tagStart = i;
    let j = i + 1;
    if (input[j] !== '/') {
      while (j < n && !isSpace(input[j]) && input[j] !== '>') j += 1;
      if (j >= n) throw cantParseEntities(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
      const name = input.slice(tagStart + 1, j).toLowerCase();
      if (!SUPPORTED_TAGS.has(name)) {
        throw cantParseEntities(`Unsupported start tag "${name}" at byte offset ${byteOffset(tagStart)}`);
      }
      const attributes: Record<string, string> = {};
      while (input[j] !== '>') {
        while (j < n && isSpace(input[j])) j += 1;
        if (j >= n)
          throw cantParseEntities(`Unclosed start tag "${name}" at byte offset ${byteOffset(tagStart)}`);
        if (input[j] === '>') break;
        const attrStart = j;
        while (j < n && !isSpace(input[j]) && !'=>/"\''.includes(input[j]!)) j += 1;
        const attrName = input.slice(attrStart, j).toLowerCase();
        if (attrName === '') {
          throw cantParseEntities(
            `Empty attribute name in the tag "${name}" at byte offset ${byteOffset(tagStart)}`,
          );
        }
        while (j < n && isSpace(input[j])) j += 1;
        if (input[j] !== '=') {
          if (j >= n)
            throw cantParseEntities(`Unclosed start tag "${name}" at byte offset ${byteOffset(tagStart)}`);
          attributes[attrName] = '';
          continue;
        }
        j += 1;
        while (j < n && isSpace(input[j])) j += 1;
        if (j >= n)
          throw cantParseEntities(`Unclosed start tag "${name}" at byte offset ${byteOffset(tagStart)}`);
        let value = '';
        const quote = input[j];
        if (quote === '"' || quote === "'") {
          j += 1;
          while (j < n && input[j] !== quote) {
            const decoded = input[j] === '&' ? decodeEntity(input, j) : undefined;
            if (decoded) {
              value += decoded.value;
              j = decoded.end;
            } else {
              value += input[j];
              j += 1;
            }
          }
          if (j >= n) throw cantParseEntities(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
          j += 1;
        } else {
          const tokenStart = j;
          while (j < n && /[A-Za-z0-9.-]/.test(input[j]!)) j += 1;
          value = input.slice(tokenStart, j).toLowerCase();
          if (j >= n) throw cantParseEntities(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
          if (!isSpace(input[j]) && input[j] !== '>') {
            throw cantParseEntities(`Unexpected end of name token at byte offset ${byteOffset(tokenStart)}`);
          }
        }
        attributes[attrName] = value;
      }
      j += 1;
      if (name === 'span' && attributes.class !== 'tg-spoiler') {
        throw cantParseEntities(
          `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagStart)}`,
        );
      }
      stack.push({ name, attributes, offset: text.length, inputStart: tagStart, contentStart: j });
      i = j;
      continue;
    }

    if (stack.length === 0)
      throw cantParseEntities(`Unexpected end tag at byte offset ${byteOffset(tagStart)}`);
    j = tagStart + 2;
    while (j < n && !isSpace(input[j]) && input[j] !== '>') j += 1;
    const endName = input.slice(tagStart + 2, j).toLowerCase();
    while (j < n && isSpace(input[j])) j += 1;
    if (input[j] !== '>') throw cantParseEntities(`Unclosed end tag at byte offset ${byteOffset(tagStart)}`);
    const open = stack.pop()!;
    if (endName !== '' && endName !== open.name) {
      throw cantParseEntities(
        `Unmatched end tag at byte offset ${byteOffset(tagStart)}, expected "</${open.name}>", found "</${endName}>"`,
      );
    }
    closeTag(open, text.length, input.slice(open.contentStart, tagStart), entities);
    i = j + 1;
  }

  const unclosed = stack.at(-1);
  if (unclosed) throw cantParseEntities(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  // `class="language-…"` only matters for a `<code>` inside `<pre>`.
  const cleaned = entities.map(({ language, ...rest }) =>
    rest.type === 'pre' && language ? { ...rest, language } : rest,
  );
  cleaned.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities: cleaned };
}

function closeTag(open: OpenTag, end: number, rawInner: string, entities: BotApiEntity[]): void {
  const offset = open.offset;
  const length = end - offset;
  if (length <= 0) return;
  const simple = SIMPLE_TYPES[open.name];
  if (simple) {
    entities.push({ type: simple, offset, length });
    return;
  }
  switch (open.name) {
    case 'blockquote':
      entities.push({
        type: 'expandable' in open.attributes ? 'expandable_blockquote' : 'blockquote',
        offset,
        length,
      });
      return;
    case 'tg-emoji': {
      const id = open.attributes['emoji-id'] ?? '';
      if (!/^\d+$/.test(id)) throw cantParseEntities('Invalid custom emoji identifier specified');
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: id });
      return;
    }
    case 'a': {
      const url = open.attributes.href ?? rawInner;
      const userId = /^tg:\/\/user\?id=(\d+)$/.exec(url)?.[1];
      if (userId) entities.push({ type: 'text_mention', offset, length, user: { id: Number(userId) } });
      // Like the real API, a link with an unusable URL is dropped, not refused.
      else if (isValidLinkUrl(url)) entities.push({ type: 'text_link', offset, length, url });
      return;
    }
    case 'code': {
      const language = /^language-(.+)$/.exec(open.attributes.class ?? '')?.[1];
      const last = entities.at(-1);
      if (last && last.type === 'pre' && last.offset === offset && last.length === length) {
        entities[entities.length - 1] = { ...last, ...(language ? { language } : {}) };
      } else {
        entities.push({ type: 'code', offset, length, ...(language ? { language } : {}) });
      }
      return;
    }
    case 'pre': {
      const last = entities.at(-1);
      if (last && last.type === 'code' && last.offset === offset && last.length === length) {
        entities[entities.length - 1] = { ...last, type: 'pre' };
      } else {
        entities.push({ type: 'pre', offset, length });
      }
      return;
    }
  }
}
