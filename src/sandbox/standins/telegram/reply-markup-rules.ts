import { badRequest } from './bot-api-error.js';
import { isValidLinkUrl } from './entity-rules.js';

const BUTTON_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

const cantParseButton = (detail: string) => badRequest(`can't parse inline keyboard button: ${detail}`);

/**
 * Validates a `reply_markup` the way the Bot API does for inline keyboards (other keyboard kinds are
 * accepted as given). Returns the markup to store.
 */
export function validateReplyMarkup(markup: unknown): unknown {
  if (markup === undefined) return undefined;
  if (markup === null || typeof markup !== 'object' || Array.isArray(markup)) {
    throw badRequest('object expected as reply markup');
  }
  const inline = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (inline === undefined) return markup;
  if (!Array.isArray(inline))
    throw badRequest('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  const rows: Record<string, unknown>[][] = [];
  for (const row of inline as unknown[]) {
    if (!Array.isArray(row))
      throw badRequest('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    const buttons: Record<string, unknown>[] = [];
    rows.push(buttons);
    for (const raw of row as unknown[]) {
      if (raw === null || typeof raw !== 'object')
        throw cantParseButton('InlineKeyboardButton must be an Object');
      const button = raw as Record<string, unknown>;
      if (typeof button.text !== 'string') throw cantParseButton('Field "text" must be of type String');
      const actions = BUTTON_ACTIONS.filter((key) => button[key] !== undefined);
      if (actions.length === 0) throw cantParseButton('Text buttons are unallowed in the inline keyboard');
      if (button.callback_data !== undefined) {
        const data = button.callback_data;
        const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
        if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
      }
      if (button.url !== undefined && (typeof button.url !== 'string' || !isValidLinkUrl(button.url))) {
        throw badRequest('BUTTON_URL_INVALID');
      }
      // Like the real API, only known fields come back (telegraf adds e.g. `hide: false`).
      buttons.push(Object.fromEntries([['text', button.text], ...actions.map((key) => [key, button[key]])]));
    }
  }
  return { inline_keyboard: rows };
}
