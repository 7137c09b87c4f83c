import { DateTime } from 'luxon';

/**
 * An instant as an editor reads it in a zone: `Tue 1 Dec 2026, 08:00 (Europe/Berlin)`.
 * English names whatever the host locale, so the text is the same on every machine.
 */
export function describeInstant(atMs: number, timeZone: string): string {
  const local = DateTime.fromMillis(atMs, { zone: timeZone, locale: 'en-US' });
  return `${local.toFormat('ccc d LLL yyyy, HH:mm')} (${timeZone})`;
}
