import { cantParseEntities } from './bot-api-error.js';
import type { BotApiEntity } from './stand-in-types.js';

const ENTITY_TYPES = new Set([
  'mention',
  'hashtag',
  'cashtag',
  'bot_command',
  'url',
  'email',
  'phone_number',
  'bold',
  'italic',
  'underline',
  'strikethrough',
  'spoiler',
  'blockquote',
  'expandable_blockquote',
  'code',
  'pre',
  'text_link',
  'text_mention',
  'custom_emoji',
]);

// Style entities may nest and overlap freely; the rest are atomic spans.
const STYLE_TYPES = new Set(['bold', 'italic', 'underline', 'strikethrough', 'spoiler']);
const CODE_TYPES = new Set(['code', 'pre']);

/** Whether `url` is something Telegram accepts as a link target. */
export function isValidLinkUrl(url: string): boolean {
  if (url.length === 0 || url.length > 2048 || /\s/.test(url)) return false;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`;
  try {
    const parsed = new URL(withScheme);
    if (parsed.protocol === 'tg:') return true;
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && parsed.protocol !== 'ton:')
      return false;
    return parsed.hostname.includes('.') || parsed.hostname === 'localhost';
  } catch {
    return false;
  }
}

/**
 * Validates explicit `entities` / `caption_entities` against the text they describe (lengths in UTF-16
 * code units) and returns them normalised. Stricter than Telegram in one respect: the real API silently
 * clips out-of-range entities, which would hide a formatter bug, so the stand-in refuses them.
 */
export function validateEntities(raw: unknown, textLength: number): BotApiEntity[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw cantParseEntities('Field "entities" must be of type Array');
  const entities: BotApiEntity[] = [];
  for (const item of raw as unknown[]) {
    if (item === null || typeof item !== 'object')
      throw cantParseEntities('expected an Object as MessageEntity');
    const entity = item as Record<string, unknown>;
    const { type, offset, length } = entity;
    if (typeof type !== 'string') throw cantParseEntities('Field "type" must be of type String');
    if (!ENTITY_TYPES.has(type)) throw cantParseEntities(`Unsupported entity type "${type}"`);
    if (typeof offset !== 'number' || !Number.isInteger(offset)) {
      throw cantParseEntities('Field "offset" must be of type Number');
    }
    if (typeof length !== 'number' || !Number.isInteger(length)) {
      throw cantParseEntities('Field "length" must be of type Number');
    }
    if (offset < 0 || length <= 0 || offset + length > textLength) {
      throw cantParseEntities(
        `entity "${type}" at UTF-16 offset ${offset} with length ${length} is out of the text bounds (${textLength})`,
      );
    }
    const normalised: Record<string, unknown> = { type, offset, length };
    if (type === 'text_link') {
      if (typeof entity.url !== 'string') throw cantParseEntities('Field "url" must be of type String');
      if (!isValidLinkUrl(entity.url))
        throw cantParseEntities(`Wrong URL "${entity.url}" in a text_link entity`);
      normalised.url = entity.url;
    }
    if (type === 'pre' && typeof entity.language === 'string' && entity.language !== '') {
      normalised.language = entity.language;
    }
    if (type === 'text_mention') {
      const user = entity.user as { id?: unknown } | undefined;
      if (!user || typeof user.id !== 'number')
        throw cantParseEntities('Field "user" must be of type Object');
      normalised.user = entity.user;
    }
    if (type === 'custom_emoji') {
      if (typeof entity.custom_emoji_id !== 'string') {
        throw cantParseEntities('Field "custom_emoji_id" must be of type String');
      }
      normalised.custom_emoji_id = entity.custom_emoji_id;
    }
    entities.push(normalised as unknown as BotApiEntity);
  }
  checkOverlaps(entities);
  return entities;
}

function checkOverlaps(entities: readonly BotApiEntity[]): void {
  for (let i = 0; i < entities.length; i++) {
    for (let j = i + 1; j < entities.length; j++) {
      const a = entities[i]!;
      const b = entities[j]!;
      const aEnd = a.offset + a.length;
      const bEnd = b.offset + b.length;
      const intersects = a.offset < bEnd && b.offset < aEnd;
      if (!intersects) continue;
      const nested = (a.offset <= b.offset && bEnd <= aEnd) || (b.offset <= a.offset && aEnd <= bEnd);
      const eitherStyle = STYLE_TYPES.has(a.type) || STYLE_TYPES.has(b.type);
      if (a.type === b.type) {
        throw cantParseEntities(
          `entities of type "${a.type}" must not overlap (UTF-16 offsets ${a.offset} and ${b.offset})`,
        );
      }
      if (!eitherStyle && !nested) {
        throw cantParseEntities(
          `entities "${a.type}" and "${b.type}" overlap partially (UTF-16 offsets ${a.offset} and ${b.offset})`,
        );
      }
      if (a.offset === b.offset && aEnd === bEnd) continue;
      const inner = a.offset <= b.offset && bEnd <= aEnd ? b : a;
      const outer = inner === a ? b : a;
      if (CODE_TYPES.has(outer.type) && !(outer.type === 'pre' && inner.type === 'code')) {
        throw cantParseEntities(`entity "${inner.type}" must not be inside a "${outer.type}" entity`);
      }
    }
  }
}
