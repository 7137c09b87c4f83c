/**
 * Renews the lease every third of its life. When renewal says it is lost, or Redis has not confirmed it
 * for two thirds of its life (another worker may own it soon), `onLost` runs once: the in-flight send is
 * aborted and nothing new may start.
 */
export function keepLease(
  lease: { renew(): Promise<boolean> },
  leaseMs: number,
  onLost: () => void,
): NodeJS.Timeout {
  let confirmedAt = Date.now();
  let lost = false;
  const lose = () => {
    if (lost) return;
    lost = true;
    onLost();
  };
  const timer = setInterval(
    () =>
      void lease.renew().then(
        (held) => {
          if (held) confirmedAt = Date.now();
          else lose();
        },
        () => {
          if (Date.now() - confirmedAt > (leaseMs * 2) / 3) lose();
        },
      ),
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return timer;
}
