import { CURRENT_DRAFT_TTL_MS, type CurrentDrafts } from '../../ports/current-drafts.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';

/** {@link CurrentDrafts} in Redis: one key per chat holding the story id, expiring after the TTL. */
export class RedisCurrentDrafts implements CurrentDrafts {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs = CURRENT_DRAFT_TTL_MS,
  ) {}

  async remember(chatId: number, storyId: string): Promise<void> {
    await this.redis.set(redisKeys.currentDraft(this.prefix, chatId), storyId, 'PX', this.ttlMs);
  }

  async current(chatId: number): Promise<string | undefined> {
    return (await this.redis.get(redisKeys.currentDraft(this.prefix, chatId))) ?? undefined;
  }
}
