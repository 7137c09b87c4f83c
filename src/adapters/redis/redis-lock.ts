import { randomBytes } from 'node:crypto';
import { releaseIfHeld } from './lua-script.js';
import type { RedisClient } from './redis-connection.js';

/**
 * Takes the lock at `key` if it is free: resolves to its release, or undefined when someone holds it.
 * The lock expires after `ttlMs` should its holder die; the release deletes it only while still held.
 */
export async function tryLock(
  redis: RedisClient,
  key: string,
  ttlMs: number,
): Promise<(() => Promise<void>) | undefined> {
  const token = randomBytes(8).toString('hex');
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
  return async () => {
    await releaseIfHeld(redis, [key], [token]).catch(() => undefined);
  };
}

/** How {@link withRedisLock} waits for a lock and how long it holds it. */
export interface WaitForLockOptions {
  /** The lock expires after this many ms should its holder die. */
  readonly ttlMs: number;
  /** Gives up (throws `busy`) after waiting this long. */
  readonly waitMs: number;
  /** Pause between tries, in ms (drawn anew each time, so contenders spread out). */
  readonly retryMs: () => number;
  /** The error message when the lock stays busy. */
  readonly busy: string;
}

/** Runs `task` holding the lock at `key`, waiting for it up to `waitMs`; always releases it. */
export async function withRedisLock<T>(
  redis: RedisClient,
  key: string,
  options: WaitForLockOptions,
  task: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  let release = await tryLock(redis, key, options.ttlMs);
  while (!release) {
    if (Date.now() > deadline) throw new Error(options.busy);
    await new Promise((r) => setTimeout(r, options.retryMs()));
    release = await tryLock(redis, key, options.ttlMs);
  }
  try {
    return await task();
  } finally {
    await release();
  }
}
