import type { PartRecord } from '../domain/publication.js';

/**
 * Public links to what was published: `https://t.me/<channel>/<id>` for public channels and
 * `https://x.com/<user>/status/<id>` for tweets. Parts without a remote id have no link.
 */
export function publicLinks(
  platform: 'telegram' | 'x',
  parts: readonly PartRecord[],
  handles: { readonly telegramChannel?: string; readonly xUsername?: string },
): string[] {
  const sent = parts.filter((p) => p.state === 'sent' && p.remoteId && /^\d+$/.test(p.remoteId));
  if (platform === 'telegram') {
    const channel = handles.telegramChannel?.replace(/^@/, '');
    if (!channel) return [];
    if (/^-100\d+$/.test(channel)) return sent.map((p) => `https://t.me/c/${channel.slice(4)}/${p.remoteId}`);
    return sent.map((p) => `https://t.me/${channel}/${p.remoteId}`);
  }
  const user = handles.xUsername ?? 'i/web';
  return sent.map((p) => `https://x.com/${user}/status/${p.remoteId}`);
}
