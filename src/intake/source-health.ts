import type { IntakeStore, SourceState } from '../ports/intake-store.js';
import type { Logger } from '../util/logger.js';
import type { FeedValidators } from './feed-reader.js';
import type { IntakeNews } from './intake-news.js';
import type { FetchLimits, SourceConfig } from './sources-schema.js';

/** What source health needs. */
export interface SourceHealthOptions {
  /** `maxBackoffMs` caps the wait after failures; `alertAfterFailures` failures in a row tell editors. */
  readonly limits: Pick<FetchLimits, 'maxBackoffMs' | 'alertAfterFailures'>;
  readonly state: Pick<IntakeStore, 'sourceState' | 'recordSuccess' | 'recordFailure' | 'markAlerted'>;
  readonly news: IntakeNews;
  readonly logger: Logger;
  /** Epoch ms. */
  readonly now: () => number;
}

/**
 * Keeps each source's poll record: a success stores the feed's validators and clears the failures (editors
 * hear when a source they were told about answers again); a failure backs the source off and editors hear
 * once when it keeps failing.
 */
export class SourceHealth {
  constructor(private readonly options: SourceHealthOptions) {}

  /** Records a successful read; `current` is the state the poll started from. */
  async succeeded(source: SourceConfig, current: SourceState, validators: FeedValidators): Promise<void> {
    await this.options.state.recordSuccess(source.id, this.options.now(), validators);
    if (current.alerted) {
      await this.options.news.tell([
        {
          kind: 'source-recovered',
          sourceId: source.id,
          sourceName: source.name,
          failures: current.failures,
          message: `${source.name} answers again after ${current.failures} failed polls`,
        },
      ]);
    }
  }

  /** Records a failed read (`error` is one line) and sets the source's backoff. */
  async failed(source: SourceConfig, error: string): Promise<void> {
    const { state, now, limits, logger } = this.options;
    const current = await state.sourceState(source.id);
    const failures = current.failures + 1;
    // Skip 0, 1, 3, 7… polls after each failure, up to the configured ceiling.
    const waitMs = Math.min(source.pollEveryMs * (2 ** Math.min(failures - 1, 20) - 1), limits.maxBackoffMs);
    await state.recordFailure(source.id, error, now() + waitMs);
    logger.warn({ source: source.id, failures, err: error, backoffMs: waitMs }, 'intake: source poll failed');
    if (failures >= limits.alertAfterFailures && (await state.markAlerted(source.id))) {
      await this.options.news.tell([
        {
          kind: 'source-failing',
          sourceId: source.id,
          sourceName: source.name,
          failures,
          message: `${source.name} failed ${failures} polls in a row; last error: ${error}`,
        },
      ]);
    }
  }
}
