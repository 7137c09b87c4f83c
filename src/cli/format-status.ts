import { postFlagsLine } from '../format/post-flags-text.js';
import type { StoryView } from '../ports/desk.js';

/**
 * Human-readable status of one story: how its channel post goes out when the story chose (`--silent`,
 * `/quiet`…), each destination (with its embargo, when it has one), then each
 * part's state, time and remote id.
 */
export function formatStatus(view: StoryView): string {
  const lines = [`${view.story.id}  ${view.story.title}`, `queued ${view.queuedAt ?? 'at an unknown time'}`];
  if (view.post) lines.push(`on Telegram: ${postFlagsLine(view.post)}`);
  if (view.live) lines.push(`live since ${view.live.since} (channel post pinned; regwire close ends it)`);
  for (const plan of view.destinations) {
    const due = plan.atMs === undefined ? '' : `due ${new Date(plan.atMs).toISOString()}, `;
    lines.push(
      `${plan.destination}: ${plan.state} (${due}updated ${plan.updatedAt ?? 'at an unknown time'})${plan.reason ? ` — ${plan.reason}` : ''}`,
    );
    if (plan.embargoUntilMs !== undefined)
      lines.push(`  embargoed until ${new Date(plan.embargoUntilMs).toISOString()}`);
    for (const part of plan.parts) {
      const remote = part.remoteId ? ` id ${part.remoteId}` : '';
      const reply = part.replyTo ? ` reply-to ${part.replyTo}` : '';
      const reason = part.reason ? ` — ${part.reason}` : '';
      lines.push(`  part ${part.index + 1}: ${part.state} at ${part.at}${remote}${reply}${reason}`);
    }
  }
  return lines.join('\n');
}
