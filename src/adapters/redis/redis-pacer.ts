import type { PaceLimits, Pacer, ReservationMark } from '../../ports/pacer.js';
import { LeaseLostError, PublicationStoppedError } from '../../ports/publication-lease.js';
import {
  type DestinationSchedule,
  type LiveRateState,
  rateLimitsOf,
} from '../../schedule/destination-schedule.js';
import { type LuaScript, luaScript } from './lua-script.js';
import { PACE_RESERVE_LUA, paceArgs, paceMember } from './pacing-lua.js';
import { retractSendingScript } from './publication-lua.js';
import { isCluster, type RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { type ReplicaWait, ReplicaWaitError } from './replica-wait.js';

// One Redis server: the reservation and the ledger in one script, one round trip per send.
// KEYS[1]: zset of sends; KEYS[2]: the platform's last reported budgets (JSON); with a mark, KEYS[3]: the
// ledger hash, and under a lease KEYS[4]: the lease, KEYS[5]: the story's publications. ARGV: confirmed
// field ('' for none), confirmed value, member, mark field, mark value, lease token, destination, then
// pace_reserve's arguments.
// Returns the wait in ms, 0 when reserved (and marked), -1 when the lease is no longer held (nothing
// written), -2 when the publication is no longer 'publishing' (cancelled or skipped: the confirmation is
// written, nothing reserved or marked). The confirmed entry is written even when the send must wait.
const reserveScript = luaScript(
  'pacer_reserve',
  `${PACE_RESERVE_LUA}
if KEYS[4] and redis.call('GET', KEYS[4]) ~= ARGV[6] then return -1 end
if KEYS[3] and ARGV[1] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) end
if KEYS[5] then
  local pub = redis.call('HGET', KEYS[5], ARGV[7])
  local ok, status = pcall(cjson.decode, pub or '')
  if not ok or type(status) ~= 'table' or status.state ~= 'publishing' then return -2 end
end
local wait = pace_reserve(KEYS[1], KEYS[2], ARGV[3], ARGV, 8)
if wait > 0 then return wait end
if KEYS[3] then redis.call('HSET', KEYS[3], ARGV[4], ARGV[5]) end
return 0
`,
);

// Redis Cluster, step 1 of 2: the reservation alone, in the destination's slot. KEYS: sends, live.
// ARGV: member, then pace_reserve's arguments. Returns the wait in ms, or 0 when reserved.
const paceOnlyScript = luaScript(
  'pacer_pace_only',
  `${PACE_RESERVE_LUA}
return pace_reserve(KEYS[1], KEYS[2], ARGV[1], ARGV, 2)
`,
);

// Redis Cluster, step 2 of 2: the ledger, in the story's slot. KEYS: ledger, then under a lease the lease
// and the story's publications. ARGV: confirmed field ('' for none), confirmed value, mark field ('' when
// the reservation must wait: nothing to mark), mark value, lease token, destination.
// Returns 0 when written, -1 lease lost (nothing written), -2 publication stopped (the confirmation is
// written, no mark), exactly as the one-server script.
const ledgerScript = luaScript(
  'pacer_ledger',
  `if KEYS[2] and redis.call('GET', KEYS[2]) ~= ARGV[5] then return -1 end
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
if KEYS[3] then
  local pub = redis.call('HGET', KEYS[3], ARGV[6])
  local ok, status = pcall(cjson.decode, pub or '')
  if not ok or type(status) ~= 'table' or status.state ~= 'publishing' then return -2 end
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], ARGV[3], ARGV[4]) end
return 0
`,
);

const NO_LIMITS: PaceLimits = { minIntervalMs: 0, windows: [] };

/** Options of {@link RedisPacer}. */
export interface RedisPacerOptions {
  /**
   * Keep every script within one hash slot (two steps per marked send, see {@link RedisPacer.reserve}).
   * Default: when `redis` is a Redis Cluster client.
   */
  readonly slotSafe?: boolean;
  /** Waits for a replica after each ledger write (failover safety); none by default. */
  readonly replicaWait?: ReplicaWait;
}

/**
 * {@link Pacer} on Redis: a sliding log of sends per destination (the destination's hash tag), checked and
 * appended atomically, with the send's ledger entry.
 *
 * On one server the reservation and the ledger entry are one script (one round trip per send). On a
 * cluster they live in different slots, so a marked reservation is two steps: the reservation first
 * (idempotent: its member is unique, a re-sent one answers 0 again), then, in the story's slot and under
 * the lease, the previous part's confirmation and, if reserved, the part's `sending` mark. No send starts
 * without both: the run sends only after step 2 said 0. A crash or a lost lease between the two costs one
 * send of budget and sends nothing (the part has no mark, so it is unsent; the next attempt reserves anew).
 */
export class RedisPacer implements Pacer {
  // Limits come from config and never change while running: computed once, not per send.
  private readonly byDestination = new Map<string, PaceLimits>();
  private readonly slotSafe: boolean;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    schedules: ReadonlyMap<string, DestinationSchedule>,
    private readonly options: RedisPacerOptions = {},
  ) {
    for (const [destination, schedule] of schedules) {
      const { minIntervalMs, windows } = rateLimitsOf(schedule);
      const limits = { minIntervalMs, windows: windows.map(({ windowMs, limit }) => ({ windowMs, limit })) };
      this.byDestination.set(destination, limits);
    }
    this.slotSafe = options.slotSafe ?? isCluster(redis);
  }

  limits(destination: string): PaceLimits {
    return this.byDestination.get(destination) ?? NO_LIMITS;
  }

  async reserve(destination: string, mark?: ReservationMark): Promise<number> {
    const paceKeys = [
      redisKeys.paceSends(this.prefix, destination),
      redisKeys.paceLive(this.prefix, destination),
    ];
    const ledgerKeys = mark
      ? [
          redisKeys.parts(this.prefix, mark.storyId, destination),
          // A mark under a lease is a publish job's: it may start a send only while the publication runs.
          ...(mark.leaseToken
            ? [
                redisKeys.lease(this.prefix, mark.storyId, destination),
                redisKeys.pub(this.prefix, mark.storyId),
              ]
            : []),
        ]
      : [];
    const confirmed = mark?.confirmed
      ? [String(mark.confirmed.index), JSON.stringify(mark.confirmed)]
      : ['', ''];
    const limits = paceArgs(this.limits(destination));
    let wait: number;
    if (!this.slotSafe || !mark) {
      const [partsKey, leaseKey, pubKey] = ledgerKeys;
      const keys = [
        ...paceKeys,
        ...(partsKey ? [partsKey] : []),
        ...(leaseKey && pubKey ? [leaseKey, pubKey] : []),
      ];
      const args = [
        ...confirmed,
        paceMember(),
        mark ? String(mark.part.index) : '',
        mark ? JSON.stringify(mark.part) : '',
        mark?.leaseToken ?? '',
        destination,
        ...limits,
      ];
      wait = Number(await this.ledgerWrite(reserveScript, keys, args, destination, mark));
    } else {
      wait = Number(await paceOnlyScript(this.redis, paceKeys, [paceMember(), ...limits]));
      const args = [
        ...confirmed,
        wait === 0 ? String(mark.part.index) : '',
        wait === 0 ? JSON.stringify(mark.part) : '',
        mark.leaseToken ?? '',
        destination,
      ];
      const written = Number(
        await this.ledgerWrite(ledgerScript, ledgerKeys, args, destination, wait === 0 ? mark : undefined),
      );
      if (written < 0) wait = written;
    }
    if (wait === -2 && mark) throw new PublicationStoppedError(mark.storyId, destination);
    if (wait < 0 && mark) throw new LeaseLostError(mark.storyId, destination);
    return wait;
  }

  /**
   * Runs a script that may mark `mark.part` as `sending` (reply 0), waiting for replicas when asked. A
   * mark that is not on a replica in time is taken back and the send refused ({@link ReplicaWaitError}).
   */
  private async ledgerWrite(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
    destination: string,
    mark: ReservationMark | undefined,
  ): Promise<unknown> {
    const replicaWait = this.options.replicaWait;
    if (!replicaWait || !mark) return script(this.redis, keys, args);
    const { reply, replicated } = await replicaWait.after(this.redis, script, keys, args);
    if (replicated || Number(reply) !== 0) return reply;
    const { storyId, part, leaseToken } = mark;
    if (leaseToken) {
      await retractSendingScript(
        this.redis,
        [
          redisKeys.lease(this.prefix, storyId, destination),
          redisKeys.parts(this.prefix, storyId, destination),
        ],
        [
          leaseToken,
          String(part.index),
          'not sent: its mark was not on a Redis replica in time',
          new Date().toISOString(),
        ],
      ).catch(() => undefined);
    }
    throw new ReplicaWaitError(storyId, destination, part.index, replicaWait.timeoutMs);
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
