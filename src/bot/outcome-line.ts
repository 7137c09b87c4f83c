import { TELEGRAM_LIMITS } from '../format/limits.js';

/** The message text with a line saying who did what appended, within Telegram's limit. */
export function withOutcome(original: string, outcome: string): string {
  const suffix = `\n\n✓ ${outcome}`;
  const room = TELEGRAM_LIMITS.messageText - suffix.length;
  const head = original.length > room ? `${original.slice(0, Math.max(0, room - 1))}…` : original;
  return `${head}${suffix}`.slice(0, TELEGRAM_LIMITS.messageText);
}
