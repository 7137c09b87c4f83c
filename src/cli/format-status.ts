import type { PartRecord, PublicationStatus, StoryRecord } from '../domain/publication.js';

/**
 * Human-readable status of one story: each destination (with its embargo, when it has one), then each
 * part's state, time and remote id.
 */
export function formatStatus(
  record: StoryRecord,
  publications: readonly PublicationStatus[],
  parts: ReadonlyMap<string, readonly PartRecord[]>,
): string {
  const lines = [`${record.story.id}  ${record.story.title}`, `queued ${record.queuedAt}`];
  for (const pub of publications) {
    lines.push(
      `${pub.destination}: ${pub.state} (${pub.dueAt ? `due ${pub.dueAt}, ` : ''}updated ${pub.updatedAt})${pub.reason ? ` — ${pub.reason}` : ''}`,
    );
    if (pub.embargoUntil) lines.push(`  embargoed until ${pub.embargoUntil}`);
    for (const part of parts.get(pub.destination) ?? []) {
      const remote = part.remoteId ? ` id ${part.remoteId}` : '';
      const reply = part.replyTo ? ` reply-to ${part.replyTo}` : '';
      const reason = part.reason ? ` — ${part.reason}` : '';
      lines.push(`  part ${part.index + 1}: ${part.state} at ${part.at}${remote}${reply}${reason}`);
    }
  }
  return lines.join('\n');
}
