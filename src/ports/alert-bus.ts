/**
 * A problem editors must hear about (sent to the editors' chat with buttons). `paused`: the destination's
 * account cannot pay for calls (out of credits, at its spending limit); its publications wait and resume by
 * themselves once a send goes through again (told once per pause, about the story that met it). `held`:
 * the story would take the spend over its budget; nothing was sent; Retry posts it anyway.
 */
export interface Alert {
  readonly storyId: string;
  readonly destination: string;
  readonly kind: 'failed' | 'unknown-outcome' | 'moved' | 'paused' | 'held';
  /** One line, for an editor. */
  readonly message: string;
  /** 0-based part index, for failures and unknown outcomes. */
  readonly part?: number;
}

/** Carries alerts from workers (any process) to whoever tells the editors (the bot). */
export interface AlertBus {
  publish(alert: Alert): Promise<void>;
  /** Returns unsubscribe. A listener's promise, if any, settles once the alert is handled (delivered). */
  subscribe(listener: (alert: Alert) => void | Promise<void>): () => void;
}
