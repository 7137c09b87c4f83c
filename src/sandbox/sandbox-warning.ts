/**
 * The warning to log when the sandbox runs against a Redis that is not on this machine (only
 * `REGWIRE_SANDBOX=on` gets there): its workers drain that Redis's queues into the stand-ins. Pure.
 */
export function sandboxWarning(config: {
  readonly sandbox: boolean;
  readonly redisOnLoopback: boolean;
}): string | undefined {
  if (!config.sandbox || config.redisOnLoopback) return undefined;
  return 'SANDBOX on a Redis that is not on this machine (REGWIRE_SANDBOX=on): stories queued there are published to the in-process stand-ins and recorded as published';
}
