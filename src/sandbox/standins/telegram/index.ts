export { BotApiError } from './bot-api-error.js';
export { CAPTION_LIMIT, MESSAGE_TEXT_LIMIT } from './formatted-text.js';
export { parseHtml } from './html-parse.js';
export { parseMarkdownV2 } from './markdown-v2-parse.js';
export type * from './stand-in-types.js';
export { GROUP_ANONYMOUS_BOT, STAND_IN_FAULT_KINDS } from './stand-in-types.js';
export {
  DEFAULT_STAND_IN_CHATS,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from './telegram-stand-in.js';
