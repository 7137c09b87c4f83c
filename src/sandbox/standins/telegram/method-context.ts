import type { FloodLimiter } from './flood-limiter.js';
import type { RequestParams } from './request-params.js';
import type { BotRecord, StandInState } from './stand-in-state.js';

/** What a Bot API method handler gets. */
export interface MethodContext {
  readonly state: StandInState;
  readonly bot: BotRecord;
  readonly params: RequestParams;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
  readonly flood: FloodLimiter | undefined;
  readonly maxLongPollSeconds: number;
}

/** One Bot API method: resolves to the call's `result`, or throws a `BotApiError`. */
export type MethodHandler = (context: MethodContext) => unknown;
