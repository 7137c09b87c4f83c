import { badRequest } from './bot-api-error.js';
import { validateEntities } from './entity-rules.js';
import { type ParsedText, parseHtml } from './html-parse.js';
import { parseMarkdownV2 } from './markdown-v2-parse.js';
import { jsonParam, type RequestParams, stringParam } from './request-params.js';

/** Message text limit, in UTF-16 code units after entity parsing. */
export const MESSAGE_TEXT_LIMIT = 4096;
/** Caption limit, in UTF-16 code units after entity parsing. */
export const CAPTION_LIMIT = 1024;

/**
 * Reads `text` + `entities` (or `caption` + `caption_entities`) with `parse_mode`, as the Bot API does:
 * explicit entities win over `parse_mode`; the length limit applies to the parsed text.
 * Returns `undefined` for an absent or blank caption (a caption is optional); a blank text is refused.
 */
export function readFormattedText(params: RequestParams, kind: 'text' | 'caption'): ParsedText | undefined {
  const field = kind;
  const entitiesField = kind === 'text' ? 'entities' : 'caption_entities';
  const raw = stringParam(params, field);
  if (raw === undefined || raw.trim() === '') {
    if (kind === 'caption') return undefined;
    throw badRequest('message text is empty');
  }
  const explicit = jsonParam(params, entitiesField, "can't parse entities JSON object");
  const parseMode = stringParam(params, 'parse_mode') ?? '';
  let parsed: ParsedText;
  if (explicit !== undefined) parsed = { text: raw, entities: validateEntities(explicit, raw.length) };
  else if (parseMode === '') parsed = { text: raw, entities: [] };
  else if (parseMode.toLowerCase() === 'html') parsed = parseHtml(raw);
  else if (parseMode.toLowerCase() === 'markdownv2') parsed = parseMarkdownV2(raw);
  else throw badRequest(`unsupported parse_mode "${parseMode}"`);

  if (parsed.text.trim() === '') {
    if (kind === 'caption') return undefined;
    throw badRequest('message text is empty');
  }
  const limit = kind === 'text' ? MESSAGE_TEXT_LIMIT : CAPTION_LIMIT;
  if (parsed.text.length > limit) {
    throw badRequest(kind === 'text' ? 'message is too long' : 'message caption is too long');
  }
  return parsed;
}
