/** The editors' Telegram bot: commands, previews, buttons and alerts over the desk. */
export { type AccessDecision, type AccessPolicy, decideAccess } from './access-policy.js';
export { alertText } from './alert-relay.js';
export { type CallbackAction, decodeCallback, encodeCallback } from './callback-data.js';
export { type CommandLine, parseEditArgs, parseScheduleArgs, readCommand } from './command-line.js';
export {
  createEditorBot,
  type EditorBot,
  type EditorBotHealth,
  type EditorBotOptions,
} from './editor-bot.js';
export { FloodGate, type FloodVerdict } from './flood-gate.js';
export { BOT_COMMANDS, helpText } from './help-text.js';
export { type PageMetadata, parseHtmlMetadata } from './html-metadata.js';
export { draftHeader, intakeText, relayIntake } from './intake-relay.js';
export {
  createPageFetcher,
  type FetchPage,
  PageFetchError,
  type PageFetcherOptions,
} from './page-metadata.js';
export { previewMessages } from './preview-text.js';
export { type SendPaceOptions, SendPacer } from './send-pacer.js';
export type { EditorBotWebhook } from './webhook-server.js';
