/** No retry waits longer than this, however many failures came before. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * How long to wait before the next attempt after `failures` failed ones (1 = the first failure):
 * `baseMs` doubled per failure, the upper half of it drawn at random so that jobs failing together
 * do not retry together, capped at {@link MAX_RETRY_DELAY_MS}. `random` returns [0, 1).
 */
export function retryDelayMs(failures: number, baseMs: number, random: () => number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
