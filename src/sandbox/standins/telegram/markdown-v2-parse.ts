import { cantParseEntities } from './bot-api-error.js';
import { isValidLinkUrl } from './entity-rules.js';
import type { ParsedText } from './html-parse.js';
import type { BotApiEntity } from './stand-in-types.js';

const RESERVED = '_*[]()~`>#+-=|{}.!';

const ENTITY_NAMES: Readonly<Record<string, string>> = {
  italic: 'Italic',
  underline: 'Underline',
  bold: 'Bold',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  text_link: 'TextUrl',
  code: 'Code',
  pre: 'Pre',
};

interface OpenEntity {
  readonly type: string;
  readonly offset: number;
  readonly inputStart: number;
}

/**
 * Parses `parse_mode: 'MarkdownV2'` text with the Bot API's rules: every reserved character outside an
 * entity must be escaped, inside code only `` ` `` and `\` are special, inside a link URL only `)` and `\`.
 * Covers bold, italic, underline, strikethrough, spoiler, inline links, code, pre and `>` quotes.
 */
export function parseMarkdownV2(input: string): ParsedText {
  const byteOffset = (index: number): number => Buffer.byteLength(input.slice(0, index), 'utf8');
  const entities: BotApiEntity[] = [];
  const stack: OpenEntity[] = [];
  let text = '';
  let quoteStart: number | undefined;
  let i = 0;
  const n = input.length;

  const close = (open: OpenEntity, extra: Partial<BotApiEntity> = {}): void => {
    const length = text.length - open.offset;
    if (length > 0) entities.push({ type: open.type, offset: open.offset, length, ...extra });
  };
  // Reads up to the unescaped `terminator`, unescaping `\x`; returns the content and the terminator index.
  const readUntil = (from: number, terminator: string): { content: string; end: number } | undefined => {
    let content = '';
    let k = from;
    while (k < n && !input.startsWith(terminator, k)) {
      if (input[k] === '\\' && k + 1 < n) {
        content += input[k + 1];
        k += 2;
      } else {
        content += input[k];
        k += 1;
      }
    }
    return k < n ? { content, end: k } : undefined;
  };

  while (i < n) {
    const ch = input[i]!;
    const lineStart = i === 0 || input[i - 1] === '\n';
    if (ch === '\n' && quoteStart !== undefined && input[i + 1] !== '>') {
      if (text.length > quoteStart)
        entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
      quoteStart = undefined;
    }
    if (ch === '\\') {
      const next = input.charCodeAt(i + 1);
      if (next > 0 && next <= 126) {
        text += input[i + 1];
        i += 2;
        continue;
      }
    }
    if (!RESERVED.includes(ch)) {
      text += ch;
      i += 1;
      continue;
    }
    const top = stack.at(-1);
    if (ch === '_' && input[i + 1] === '_' && top?.type === 'underline') {
      stack.pop();
      close(top);
      i += 2;
      continue;
    }
    const closes =
      (ch === '_' && top?.type === 'italic') ||
      (ch === '*' && top?.type === 'bold') ||
      (ch === '~' && top?.type === 'strikethrough') ||
      (ch === '|' && input[i + 1] === '|' && top?.type === 'spoiler');
    if (closes && top) {
      stack.pop();
      close(top);
      i += top.type === 'spoiler' ? 2 : 1;
      continue;
    }
    if (ch === ']' && top?.type === 'text_link') {
      stack.pop();
      if (input[i + 1] === '(') {
        const url = readUntil(i + 2, ')');
        if (!url) throw cantParseEntities(`Can't find end of a URL at byte offset ${byteOffset(i + 2)}`);
        if (isValidLinkUrl(url.content)) close(top, { url: url.content });
        i = url.end + 1;
      } else {
        i += 1;
      }
      continue;
    }
    const opens: Record<string, [string, number]> = {
      '*': ['bold', 1],
      '~': ['strikethrough', 1],
      '[': ['text_link', 1],
    };
    let start: [string, number] | undefined = opens[ch];
    if (ch === '_') start = input[i + 1] === '_' ? ['underline', 2] : ['italic', 1];
    if (ch === '|' && input[i + 1] === '|') start = ['spoiler', 2];
    if (start) {
      const [type, width] = start;
      if (stack.some((open) => open.type === type)) {
        throw cantParseEntities(
          `Can't find end of ${ENTITY_NAMES[type]} entity at byte offset ${byteOffset(i)}`,
        );
      }
      stack.push({ type, offset: text.length, inputStart: i });
      i += width;
      continue;
    }
    if (ch === '`') {
      const isPre = input.startsWith('```', i);
      let from = i + (isPre ? 3 : 1);
      let language: string | undefined;
      if (isPre) {
        const newline = input.indexOf('\n', from);
        const closing = input.indexOf('```', from);
        if (newline !== -1 && (closing === -1 || newline < closing)) {
          language = input.slice(from, newline) || undefined;
          from = newline + 1;
        }
      }
      const body = readUntil(from, isPre ? '```' : '`');
      if (!body) {
        throw cantParseEntities(
          `Can't find end of ${isPre ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(i)}`,
        );
      }
      const offset = text.length;
      text += body.content;
      if (body.content.length > 0) {
        entities.push({
          type: isPre ? 'pre' : 'code',
          offset,
          length: body.content.length,
          ...(language ? { language } : {}),
        });
      }
      i = body.end + (isPre ? 3 : 1);
      continue;
    }
    if (ch === '>' && lineStart) {
      if (quoteStart === undefined) quoteStart = text.length;
      i += 1;
      continue;
    }
    throw cantParseEntities(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
  }

  if (quoteStart !== undefined && text.length > quoteStart) {
    entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
  }
  const unclosed = stack.at(-1);
  if (unclosed) {
    throw cantParseEntities(
      `Can't find end of ${ENTITY_NAMES[unclosed.type]} entity at byte offset ${byteOffset(unclosed.inputStart)}`,
    );
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}
