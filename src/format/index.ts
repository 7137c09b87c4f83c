/** The formatting engine's public surface: story hygiene, rendering, options and platform limits. */

export type { MessageEntity, Rendered, TelegramPayload, XPost } from '../domain/rendered.js';
export { cleanStory } from './hygiene.js';
export { TELEGRAM_LIMITS, X_LIMITS } from './limits.js';
export { render } from './render.js';
export { defaultRenderOptions, type RenderOptions, renderOptionsSchema } from './render-options.js';
export { isValidPost, xWeight } from './x-length.js';
