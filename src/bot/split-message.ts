import { TELEGRAM_LIMITS } from '../format/limits.js';

/**
 * Splits plain text into messages of at most `max` UTF-16 units (Telegram's 4096 by default): at blank
 * lines when it can, then at line ends, then hard, never inside a surrogate pair. Empty text gives no message.
 */
export function splitMessage(text: string, max: number = TELEGRAM_LIMITS.messageText): string[] {
  const messages: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    messages.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') messages.push(rest);
  return messages;
}
