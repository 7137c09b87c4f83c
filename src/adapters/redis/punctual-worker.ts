import { type Processor, Worker, type WorkerOptions } from 'bullmq';

/**
 * After a delayed job's due time, when the worker sends its wake-up command: two tries, as the first can
 * land a fraction of a millisecond before Redis's own deadline for the blocking call.
 */
export const WAKE_AFTER_DUE_MS = [2, 8] as const;

/**
 * A BullMQ worker that starts delayed jobs on time whatever the Redis server's `hz`.
 *
 * Why: an idle worker waits for its next delayed job in a blocking `BZPOPMIN` whose timeout ends at the
 * job's due time. Redis only notices an expired blocking timeout when its event loop wakes, which with
 * nothing else to do is once per `serverCron` tick: every 100 ms at the default `hz 10` (1 s at `hz 1`).
 * Posts then start up to that late. Any command from any client wakes the loop, so at the due time this
 * worker sends one (`wake`, e.g. a PING on a shared connection) and the blocking call ends when it should.
 * It costs at most two PINGs per wait for a delayed job.
 */
export class PunctualWorker<Data = unknown, Result = unknown> extends Worker<Data, Result> {
  private readonly wakeTimers: NodeJS.Timeout[] = [];

  constructor(
    name: string,
    processor: Processor<Data, Result>,
    options: WorkerOptions,
    private readonly wake: () => Promise<unknown>,
  ) {
    super(name, processor, options);
  }

  // BullMQ computes the blocking timeout from the next delayed job's due time here, right before it
  // blocks (and again each time a marker wakes it): each call replaces the previous wake-ups.
  protected override getBlockTimeout(blockUntil: number): number {
    const timeout = super.getBlockTimeout(blockUntil);
    this.clearWakeTimers();
    const untilDue = blockUntil - Date.now();
    // Only when the job falls due within this wait: BullMQ caps a wait (10 s) and comes back here after.
    if (blockUntil > 0 && timeout > 0 && untilDue <= timeout * 1_000 + 50) {
      for (const afterMs of WAKE_AFTER_DUE_MS) {
        const timer = setTimeout(() => void this.wake().catch(() => undefined), untilDue + afterMs);
        timer.unref();
        this.wakeTimers.push(timer);
      }
    }
    return timeout;
  }

  override async close(force = false): Promise<void> {
    this.clearWakeTimers();
    await super.close(force);
  }

  private clearWakeTimers(): void {
    for (const timer of this.wakeTimers.splice(0)) clearTimeout(timer);
  }
}
