import type { Redis } from 'ioredis';
import type { Pacer, ReservationMark } from '../../ports/pacer.js';
import { LeaseLostError } from '../../ports/publication-lease.js';
import {
  type DestinationSchedule,
  type LiveRateState,
  rateLimitsOf,
} from '../../schedule/destination-schedule.js';
import { luaScript } from './lua-script.js';
import { redisKeys } from './redis-keys.js';

// KEYS[1]: zset of sends (score = ms); KEYS[2]: the platform's last reported budgets (JSON);
// KEYS[3]: a ledger hash to mark ('' for none); KEYS[4]: the lease guarding it ('' for none).
// ARGV: confirmed field ('' for none), minIntervalMs, longest window, member, mark field, mark value,
// lease token, confirmed value, then (windowMs, limit) pairs. Returns the wait in ms, 0 when reserved
// (and marked), -1 when the lease is no longer held (nothing written). The confirmed entry is written
// even when the send must wait. One atomic round trip per send, shared by workers in every process.
const reserveScript = luaScript(
  'pacer_reserve',
  `
-- Redis's clock, not the worker's: workers on several machines share one timeline.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local minInterval = tonumber(ARGV[2])
local longest = tonumber(ARGV[3])
if KEYS[4] ~= '' and redis.call('GET', KEYS[4]) ~= ARGV[7] then return -1 end
-- The previous part's confirmation is written whether or not this send must wait.
if KEYS[3] ~= '' and ARGV[1] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[8]) end
local wait = 0
local live = redis.call('GET', KEYS[2])
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
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then
  local w = tonumber(last[2]) + minInterval - now
  if w > wait then wait = w end
end
for i = 9, #ARGV, 2 do
  local win = tonumber(ARGV[i])
  local limit = tonumber(ARGV[i + 1])
  local count = redis.call('ZCOUNT', KEYS[1], '(' .. (now - win), '+inf')
  if count >= limit then
    local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - win), '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
    local w = tonumber(oldest[2]) + win - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], longest)
if KEYS[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[5], ARGV[6]) end
return 0
`,
);

/** {@link Pacer} on Redis: a sliding log of sends per destination, checked and appended in one script. */
export class RedisPacer implements Pacer {
  private seq = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly schedules: ReadonlyMap<string, DestinationSchedule>,
  ) {}

  async reserve(destination: string, mark?: ReservationMark): Promise<number> {
    const schedule = this.schedules.get(destination);
    const limits = schedule ? rateLimitsOf(schedule) : { minIntervalMs: 0, windows: [] };
    const longest = Math.max(1, limits.minIntervalMs, ...limits.windows.map((w) => w.windowMs));
    const member = `${process.pid}:${++this.seq}:${Math.random().toString(36).slice(2, 10)}`;
    const partsKey = mark ? redisKeys.parts(this.prefix, mark.storyId, destination) : '';
    const leaseKey = mark?.leaseToken ? redisKeys.lease(this.prefix, mark.storyId, destination) : '';
    const wait = Number(
      await reserveScript(
        this.redis,
        [this.key('sends', destination), this.key('live', destination), partsKey, leaseKey],
        [
          mark?.confirmed ? String(mark.confirmed.index) : '',
          limits.minIntervalMs,
          longest,
          member,
          mark ? String(mark.part.index) : '',
          mark ? JSON.stringify(mark.part) : '',
          mark?.leaseToken ?? '',
          mark?.confirmed ? JSON.stringify(mark.confirmed) : '',
          ...limits.windows.flatMap((w) => [w.windowMs, w.limit]),
        ],
      ),
    );
    if (wait < 0 && mark) throw new LeaseLostError(mark.storyId, destination);
    return wait;
  }

  async recordLive(destination: string, live: LiveRateState): Promise<void> {
    await this.redis.set(this.key('live', destination), JSON.stringify(live), 'PX', 26 * 3_600_000);
  }

  async live(destination: string): Promise<LiveRateState | undefined> {
    const raw = await this.redis.get(this.key('live', destination));
    return raw === null ? undefined : (JSON.parse(raw) as LiveRateState);
  }

  private key(kind: string, destination: string): string {
    return `${this.prefix}:pace:${kind}:${destination}`;
  }
}
