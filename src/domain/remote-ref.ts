/**
 * Reads the id of a post as an editor gives it: a link copied from the app or the web, or the bare id.
 * - X: `https://x.com/<user>/status/<id>` (also twitter.com, mobile., `/i/web/status/<id>`, a query
 *   string) or the numeric id → the tweet id.
 * - Telegram: `https://t.me/<channel>/<id>` or `https://t.me/c/<internal>/<id>` or the numeric id → the
 *   message id.
 * Returns undefined for anything else.
 */
export function remoteIdFromRef(platform: 'telegram' | 'x', ref: string): string | undefined {
  const text = ref.trim();
  if (platform === 'x') {
    if (/^\d{1,19}$/.test(text)) return text;
    const url = parseUrl(text);
    if (!url || !/^(www\.|mobile\.)?(x|twitter)\.com$/i.test(url.hostname)) return undefined;
    const match = /\/status(?:es)?\/(\d{1,19})(?:\/|$)/.exec(url.pathname);
    return match?.[1];
  }
  if (/^\d{1,10}$/.test(text)) return text;
  const url = parseUrl(text);
  if (!url || !/^(www\.)?(t\.me|telegram\.me)$/i.test(url.hostname)) return undefined;
  const match = /^\/(?:c\/\d+|[A-Za-z][A-Za-z0-9_]{3,31})\/(\d{1,10})\/?$/.exec(url.pathname);
  return match?.[1];
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
}
