import type { TwitterApi } from 'twitter-api-v2';
import { createXClient } from '../../src/adapters/x/index.js';
import {
  X_SANDBOX_ACCOUNT,
  type XStandIn,
  type XStandInAccount,
} from '../../src/sandbox/standins/x/index.js';

/** A settable clock in epoch ms, starting on a whole second so reset maths stays exact. */
export function manualClock(startMs = 1_800_000_000_000) {
  let now = startMs;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A second sandbox identity, for per-account rules. */
export const X_SECOND_ACCOUNT: XStandInAccount = {
  appKey: 'second-app-key',
  appSecret: 'second-app-secret',
  accessToken: '1000000000000000002-secondaccesstoken',
  accessSecret: 'second-access-secret',
  userId: '1000000000000000002',
  username: 'regwire_second',
};

/** The real twitter-api-v2 client pointed at a stand-in, signed as `account` (overrides allowed). */
export function standInClient(
  standIn: XStandIn,
  account: Partial<XStandInAccount> = {},
  timeoutMs?: number,
): TwitterApi {
  const a = { ...X_SANDBOX_ACCOUNT, ...account };
  return createXClient({
    appKey: a.appKey,
    appSecret: a.appSecret,
    accessToken: a.accessToken,
    accessSecret: a.accessSecret,
    apiRoot: standIn.apiRoot,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** Runs `call` and returns what it threw (fails the test when it did not throw). */
export async function caught(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
