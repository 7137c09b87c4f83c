import type { Redis } from 'ioredis';
import type { PaceLimits, Pacer, ReservationMark } from '../../ports/pacer.js';
import { LeaseLostError, PublicationStoppedError } from '../../ports/publication-lease.js';
import {
  type DestinationSchedule,
  type LiveRateState,
  rateLimitsOf,
} from '../../schedule/destination-schedule.js';
import { luaScript } from './lua-script.js';
import { PACE_RESERVE_LUA, paceArgs, paceMember } from './pacing-lua.js';
import { redisKeys } from './redis-keys.js';

// KEYS[1]: zset of sends; KEYS[2]: the platform's last reported budgets (JSON); KEYS[3]: a ledger hash
// to mark ('' for none); KEYS[4]: the lease guarding it ('' for none); KEYS[5]: the story's publications
// ('' for none). ARGV: confirmed field ('' for none), confirmed value, member, mark field, mark value,
// lease token, destination, then pace_reserve's arguments.
// Returns the wait in ms, 0 when reserved (and marked), -1 when the lease is no longer held (nothing
// written), -2 when the publication is no longer 'publishing' (cancelled or skipped: the confirmation is
// written, nothing reserved or marked). The confirmed entry is written even when the send must wait. One
// atomic round trip per send, shared by workers in every process.
const reserveScript = luaScript(
  'pacer_reserve',
  `${PACE_RESERVE_LUA}
if KEYS[4] ~= '' and redis.call('GET', KEYS[4]) ~= ARGV[6] then return -1 end
if KEYS[3] ~= '' and ARGV[1] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) end
if KEYS[5] ~= '' then
  local pub = redis.call('HGET', KEYS[5], ARGV[7])
  local ok, status = pcall(cjson.decode, pub or '')
  if not ok or type(status) ~= 'table' or status.state ~= 'publishing' then return -2 end
end
local wait = pace_reserve(KEYS[1], KEYS[2], ARGV[3], ARGV, 8)
if wait > 0 then return wait end
if KEYS[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[4], ARGV[5]) end
return 0
`,
);

const NO_LIMITS: PaceLimits = { minIntervalMs: 0, windows: [] };

/** {@link Pacer} on Redis: a sliding log of sends per destination, checked and appended in one script. */
export class RedisPacer implements Pacer {
  // Limits come from config and never change while running: computed once, not per send.
  private readonly byDestination = new Map<string, PaceLimits>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    schedules: ReadonlyMap<string, DestinationSchedule>,
  ) {
    for (const [destination, schedule] of schedules) {
      const { minIntervalMs, windows } = rateLimitsOf(schedule);
      const limits = { minIntervalMs, windows: windows.map(({ windowMs, limit }) => ({ windowMs, limit })) };
      this.byDestination.set(destination, limits);
    }
  }

  limits(destination: string): PaceLimits {
    return this.byDestination.get(destination) ?? NO_LIMITS;
  }

  async reserve(destination: string, mark?: ReservationMark): Promise<number> {
    const partsKey = mark ? redisKeys.parts(this.prefix, mark.storyId, destination) : '';
    const leaseKey = mark?.leaseToken ? redisKeys.lease(this.prefix, mark.storyId, destination) : '';
    // A mark under a lease is a publish job's: it may start a send only while the publication runs.
    const pubKey = mark?.leaseToken ? redisKeys.pub(this.prefix, mark.storyId) : '';
    const wait = Number(
      await reserveScript(
        this.redis,
        [
          redisKeys.paceSends(this.prefix, destination),
          redisKeys.paceLive(this.prefix, destination),
          partsKey,
          leaseKey,
          pubKey,
        ],
        [
          mark?.confirmed ? String(mark.confirmed.index) : '',
          mark?.confirmed ? JSON.stringify(mark.confirmed) : '',
          paceMember(),
          mark ? String(mark.part.index) : '',
          mark ? JSON.stringify(mark.part) : '',
          mark?.leaseToken ?? '',
          destination,
          ...paceArgs(this.limits(destination)),
        ],
      ),
    );
    if (wait === -2 && mark) throw new PublicationStoppedError(mark.storyId, destination);
    if (wait < 0 && mark) throw new LeaseLostError(mark.storyId, destination);
    return wait;
  }

  async recordLive(destination: string, live: LiveRateState): Promise<void> {
    const key = redisKeys.paceLive(this.prefix, destination);
    await this.redis.set(key, JSON.stringify(live), 'PX', 26 * 3_600_000);
  }

  async live(destination: string): Promise<LiveRateState | undefined> {
    const raw = await this.redis.get(redisKeys.paceLive(this.prefix, destination));
    return raw === null ? undefined : (JSON.parse(raw) as LiveRateState);
  }
}
