import type { PaceLimits } from '../../ports/pacer.js';

/**
 * The runtime pacing check as a Lua function, for every script that reserves a send: the pacer's own
 * and the start of a publication, which reserves its first send in the same step.
 *
 * `pace_reserve(sendsKey, liveKey, member, args, from)` reads `args[from..]` as: minIntervalMs, longest
 * window, then (windowMs, limit) pairs to the end. It returns 0 after adding `member` to the sliding log
 * of sends (reserved), or the wait in ms (nothing written). A member already in the log is a reservation
 * made by this very call before (ioredis re-sends a command whose reply a reconnect lost): 0 again.
 */
export const PACE_RESERVE_LUA = `
local function pace_reserve(sendsKey, liveKey, member, args, from)
  if redis.call('ZSCORE', sendsKey, member) then return 0 end
  -- Redis's clock, not the worker's: workers on several machines share one timeline.
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local minInterval = tonumber(args[from])
  local longest = tonumber(args[from + 1])
  local wait = 0
  local live = redis.call('GET', liveKey)
  if live then
    local ok, budgets = pcall(cjson.decode, live)
    if ok then
      for _, name in ipairs({'window', 'day'}) do
        local b = budgets[name]
        if type(b) == 'table' and tonumber(b.remaining) and tonumber(b.remaining) <= 0 and tonumber(b.resetAtMs) > now then
          local w = tonumber(b.resetAtMs) - now
          if w > wait then wait = w end
        end
      end
    end
  end
  if wait > 0 then return wait end
  redis.call('ZREMRANGEBYSCORE', sendsKey, '-inf', now - longest)
  local last = redis.call('ZRANGE', sendsKey, -1, -1, 'WITHSCORES')
  if last[2] then
    local w = tonumber(last[2]) + minInterval - now
    if w > wait then wait = w end
  end
  for i = from + 2, #args, 2 do
    local win = tonumber(args[i])
    local limit = tonumber(args[i + 1])
    local count = redis.call('ZCOUNT', sendsKey, '(' .. (now - win), '+inf')
    if count >= limit then
      local oldest = redis.call('ZRANGEBYSCORE', sendsKey, '(' .. (now - win), '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
      local w = tonumber(oldest[2]) + win - now
      if w > wait then wait = w end
    end
  end
  if wait > 0 then return wait end
  redis.call('ZADD', sendsKey, now, member)
  redis.call('PEXPIRE', sendsKey, longest)
  return 0
end
`;

// Limits objects come from config and are reused for every send: their arguments are built once.
const argsOf = new WeakMap<PaceLimits, readonly number[]>();

/** The arguments `pace_reserve` reads for `limits`, in its order. */
export function paceArgs(limits: PaceLimits): readonly number[] {
  let args = argsOf.get(limits);
  if (!args) {
    const longest = Math.max(1, limits.minIntervalMs, ...limits.windows.map((w) => w.windowMs));
    args = [limits.minIntervalMs, longest, ...limits.windows.flatMap((w) => [w.windowMs, w.limit])];
    argsOf.set(limits, args);
  }
  return args;
}

let sequence = 0;

/** A member for the sliding log of sends, unique across worker processes. */
export function paceMember(): string {
  sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER;
  return `${process.pid}:${sequence}:${Math.random().toString(36).slice(2, 10)}`;
}
