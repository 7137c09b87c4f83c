import type { PartRecord } from '../../domain/publication.js';
import {
  LeaseLostError,
  type PublicationLease,
  type PublicationLeases,
  PublicationStoppedError,
} from '../../ports/publication-lease.js';
import { luaScript, releaseIfHeld } from './lua-script.js';
import { guardedPartScript, retractSendingScript } from './publication-lua.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { type ReplicaWait, ReplicaWaitError } from './replica-wait.js';

const renewScript = luaScript(
  'lease_renew',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
);
/** {@link PublicationLeases} on Redis: `SET NX PX` with a random token, renewed while the job runs. */
export class RedisPublicationLeases implements PublicationLeases {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    /** Waits for a replica after each ledger write (failover safety); none by default. */
    private readonly replicaWait?: ReplicaWait,
  ) {}

  async acquire(
    storyId: string,
    destination: string,
    token: string,
    ttlMs: number,
  ): Promise<PublicationLease | undefined> {
    const leaseKey = redisKeys.lease(this.prefix, storyId, destination);
    const got = await this.redis.set(leaseKey, token, 'PX', ttlMs, 'NX');
    return got === 'OK' ? this.held(storyId, destination, token, ttlMs) : undefined;
  }

  held(storyId: string, destination: string, token: string, ttlMs: number): PublicationLease {
    const leaseKey = redisKeys.lease(this.prefix, storyId, destination);
    const partsKey = redisKeys.parts(this.prefix, storyId, destination);
    const pubKey = redisKeys.pub(this.prefix, storyId);
    const redis = this.redis;
    const wait = this.replicaWait;
    return {
      token,
      async renew() {
        return Number(await renewScript(redis, [leaseKey], [token, ttlMs])) === 1;
      },
      async release() {
        await releaseIfHeld(redis, [leaseKey], [token]);
      },
      async setPart(record: PartRecord) {
        const keys = [leaseKey, partsKey, pubKey];
        const args = [
          token,
          String(record.index),
          JSON.stringify(record),
          destination,
          record.state === 'sending' ? '1' : '0',
        ];
        let ok: number;
        if (!wait) ok = Number(await guardedPartScript(redis, keys, args));
        else if (record.state !== 'sending') {
          // Its send happened (or never will): save the record on a replica if at all possible.
          ok = Number(await wait.confirm(redis, guardedPartScript, keys, args));
        } else {
          const { reply, replicated } = await wait.after(redis, guardedPartScript, keys, args);
          ok = Number(reply);
          // A mark a failover could still lose must not lead to a send: take it back, refuse.
          if (ok === 1 && !replicated) {
            await retractSendingScript(
              redis,
              [leaseKey, partsKey],
              [
                token,
                String(record.index),
                'not sent: its mark was not on a Redis replica in time',
                record.at,
              ],
            ).catch(() => undefined);
            throw new ReplicaWaitError(storyId, destination, record.index, wait.timeoutMs);
          }
        }
        if (ok === -2) throw new PublicationStoppedError(storyId, destination);
        if (ok !== 1) throw new LeaseLostError(storyId, destination);
      },
      async retractSending(index: number, reason: string, at: string) {
        return (
          Number(
            await retractSendingScript(redis, [leaseKey, partsKey], [token, String(index), reason, at]),
          ) === 1
        );
      },
    };
  }
}
