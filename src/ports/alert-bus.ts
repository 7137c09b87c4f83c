import type { Alert } from '../app/desk.js';

/** Carries alerts from workers (any process) to whoever tells the editors (the bot). */
export interface AlertBus {
  publish(alert: Alert): Promise<void>;
  /** Returns unsubscribe. */
  subscribe(listener: (alert: Alert) => void): () => void;
}
