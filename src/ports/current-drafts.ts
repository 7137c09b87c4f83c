/**
 * The story each chat last saw previewed: the editor's current draft, which a command acts on when its
 * story id is left out (`/schedule tomorrow 9`, `/now`). Kept outside the bot's memory so it survives a
 * restart and is shared by every bot process.
 */
export interface CurrentDrafts {
  /** Makes `storyId` the current draft of `chatId`, replacing the one before. */
  remember(chatId: number, storyId: string): Promise<void>;
  /** The current draft of `chatId`; undefined when nothing was previewed there (or it was forgotten). */
  current(chatId: number): Promise<string | undefined>;
}

/** How long a chat's current draft is kept after its last preview: 30 days, in ms. */
export const CURRENT_DRAFT_TTL_MS = 30 * 24 * 3_600_000;
