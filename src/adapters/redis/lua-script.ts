import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

type ScriptArg = string | number | Buffer;

/** Runs a Lua script on `redis` with `keys` and `args`; resolves to the script's reply. */
export type LuaScript = ((
  redis: RedisClient,
  keys: readonly string[],
  args: readonly ScriptArg[],
) => Promise<unknown>) & {
  /**
   * Queues the script on a pipeline or MULTI of `redis` (created after this call: ioredis gives a pipeline
   * the scripts its client knew when it was created), e.g. to send a command after it in the same write.
   */
  readonly queue: (
    redis: RedisClient,
    pipeline: () => ChainableCommander,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ) => ChainableCommander;
};

/** How a {@link luaScript}'s reply is decoded. */
export interface LuaScriptOptions {
  /** Bulk strings in the reply come back as Buffers (binary values), not UTF-8 strings. */
  readonly buffers?: boolean;
}

type Commands = Record<string, (...args: unknown[]) => unknown>;

/**
 * A Lua script sent as EVALSHA through ioredis' `defineCommand`: the body travels once per connection
 * (ioredis falls back to EVAL on NOSCRIPT, e.g. after a Redis restart) instead of with every call,
 * which matters on the publish path where a script runs around every send.
 */
export function luaScript(name: string, lua: string, options: LuaScriptOptions = {}): LuaScript {
  const command = `regwire_${name}`;
  // defineCommand adds both `<name>` and `<name>Buffer`.
  const method = options.buffers ? `${command}Buffer` : command;
  const define = (redis: RedisClient) => {
    if (typeof (redis as unknown as Commands)[method] !== 'function') redis.defineCommand(command, { lua });
  };
  const run = (redis: RedisClient, keys: readonly string[], args: readonly ScriptArg[]) => {
    define(redis);
    const commands = redis as unknown as Commands;
    return (commands[method] as Commands[string])(keys.length, ...keys, ...args) as Promise<unknown>;
  };
  return Object.assign(run, {
    queue(
      redis: RedisClient,
      pipeline: () => ChainableCommander,
      keys: readonly string[],
      args: readonly ScriptArg[],
    ) {
      define(redis);
      const p = pipeline();
      (p as unknown as Commands)[method]?.(keys.length, ...keys, ...args);
      return p;
    },
  });
}

/** Deletes a lock key only if it still holds `token` (KEYS[1]: lock; ARGV[1]: token). */
export const releaseIfHeld = luaScript(
  'release_if_held',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);
