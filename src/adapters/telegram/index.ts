export {
  createTelegrafBot,
  createTelegramClient,
  normalizeApiRoot,
  TELEGRAM_API_ROOT,
  type TelegramClientOptions,
} from './telegram-client.js';
export { scrubToken, toPublishError } from './telegram-errors.js';
export {
  createTelegramPublisher,
  TelegrafTelegramPublisher,
  type TelegrafTelegramPublisherOptions,
  type TelegramPublisherOptions,
} from './telegram-publisher.js';
