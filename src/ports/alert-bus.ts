import type { Alert } from '../app/desk.js';

/** Carries alerts from workers (any process) to whoever tells the editors (the bot). */
export interface AlertBus {
  publish(alert: Alert): Promise<void>;
  /** Returns unsubscribe. A listener's promise, if any, settles once the alert is handled (delivered). */
  subscribe(listener: (alert: Alert) => void | Promise<void>): () => void;
}
