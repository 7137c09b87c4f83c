import { afterEach, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { RedisAlertBus } from '../../src/adapters/redis/redis-alert-bus.js';
import type { Alert } from '../../src/ports/alert-bus.js';
import { silentLogger } from '../../src/util/logger.js';
import { waitFor } from '../support/wait-for.js';

const ALERT: Alert = {
  storyId: 'k3m9x2qa',
  destination: 'telegram',
  kind: 'unknown-outcome',
  part: 0,
  message: 'the request timed out after it was sent',
};

describe('the alert bus on Redis', () => {
  const redis = testRedis();
  const prefix = uniquePrefix('alert-bus');
  let bus: RedisAlertBus | undefined;

  afterEach(async () => {
    await bus?.close();
    await deletePrefix(redis, prefix);
  });

  it('delivers an alert however long the bot was down: only intake news expires', async () => {
    // Raised 3 days ago, while the bot was down; nobody has decided about that post since.
    const longAgo = Date.now() - 3 * 24 * 3_600_000;
    await redis.xadd(`${prefix}:alerts`, `${longAgo}-0`, 'm', JSON.stringify(ALERT));
    bus = new RedisAlertBus(redis, prefix, silentLogger);
    const got: Alert[] = [];
    bus.subscribe((alert) => {
      got.push(alert);
    });
    await bus.whenSubscribed();
    await waitFor(() => got.length > 0 || undefined, { what: 'the old alert' });
    expect(got).toEqual([ALERT]);
  });

  it('does not acknowledge an alert the bot could not deliver: it comes again', async () => {
    bus = new RedisAlertBus(redis, prefix, silentLogger, { retryFailedAfterMs: 50 });
    let calls = 0;
    bus.subscribe(() => {
      calls++;
      if (calls === 1) throw new Error("the editors' chat could not be reached");
    });
    await bus.whenSubscribed();
    await bus.publish(ALERT);
    await waitFor(() => calls >= 2 || undefined, { what: 'the alert a second time' });
    await waitFor(async () => (await bus?.backlog()) === 0 || undefined, { what: 'the alert handled' });
    expect(calls).toBe(2);
  });
});
