/** A problem editors must hear about (sent to the editors' chat with buttons). */
export interface Alert {
  readonly storyId: string;
  readonly destination: string;
  readonly kind: 'failed' | 'unknown-outcome' | 'moved';
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
