import type { IntakeBus, IntakeEvent } from '../ports/intake-bus.js';
import type { Logger } from '../util/logger.js';

/** Tells editors what feed intake did, on the intake bus. News that cannot be sent is logged, never fails a poll. */
export class IntakeNews {
  constructor(
    private readonly bus: Pick<IntakeBus, 'publish'>,
    private readonly logger: Logger,
  ) {}

  /** Publishes `events` in order. */
  async tell(events: readonly IntakeEvent[]): Promise<void> {
    for (const event of events) {
      await this.bus
        .publish(event)
        .catch((err: Error) =>
          this.logger.warn({ err: err.message, kind: event.kind }, 'intake: event not published'),
        );
    }
  }
}
