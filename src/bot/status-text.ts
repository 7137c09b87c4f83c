import type { Actor } from '../domain/history.js';
import type { StoryView, UpcomingItem } from '../ports/desk.js';
import { describeInstant } from '../schedule/describe-instant.js';
import { embargoLine, stateLabel } from './preview-text.js';
import { splitMessage } from './split-message.js';

/** How an actor is shown: "@alice", "Alice" or "the CLI". */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'editor') return actor.name;
  if (actor.kind === 'system') return 'regwire';
  return `${actor.name} (${actor.kind})`;
}

/** `/status <id>`: each destination and part with its state and links, then the story's history. */
export function statusMessages(view: StoryView, timeZone: string): string[] {
  const lines = [`${view.story.id}: "${view.story.title}"`];
  if (view.live) {
    const since = describeInstant(Date.parse(view.live.since), timeZone);
    lines.push(`Live since ${since}, its channel post pinned (/close ${view.story.id} ends it)`);
  }
  for (const plan of view.destinations) {
    const when = plan.atMs === undefined ? '' : `, ${describeInstant(plan.atMs, timeZone)}`;
    lines.push('', `${plan.destination} (${plan.platform}): ${stateLabel(plan.state)}${when}`);
    if (plan.reason) lines.push(`  ${plan.reason}`);
    if (plan.moved) lines.push(`  moved: ${plan.moved}`);
    if (plan.embargoUntilMs !== undefined) lines.push(`  ${embargoLine(plan.embargoUntilMs, timeZone)}`);
    for (const part of plan.parts) {
      const remote = part.remoteId ? ` #${part.remoteId}` : '';
      const reason = part.reason ? ` — ${part.reason}` : '';
      lines.push(`  part ${part.index + 1}: ${part.state}${remote}${reason}`);
    }
    for (const link of plan.links) lines.push(`  ${link}`);
  }
  lines.push('', 'History:');
  if (view.history.length === 0) lines.push('  (nothing yet)');
  for (const entry of view.history) {
    const at = Date.parse(entry.at);
    const when = Number.isNaN(at) ? entry.at : describeInstant(at, timeZone);
    lines.push(`  ${when}: ${entry.action} by ${actorLabel(entry.actor)}`);
  }
  return splitMessage(lines.join('\n'));
}

/** Items shown per `/list` page. */
export const LIST_PAGE_SIZE = 8;

/** One `/list` page: upcoming publications grouped by destination, soonest first. */
export function upcomingText(items: readonly UpcomingItem[], offset: number, timeZone: string): string {
  if (items.length === 0) {
    return offset === 0 ? 'Nothing is scheduled.' : 'No more scheduled publications.';
  }
  const byDestination = new Map<string, UpcomingItem[]>();
  for (const item of items) {
    const list = byDestination.get(item.destination) ?? [];
    list.push(item);
    byDestination.set(item.destination, list);
  }
  const lines = [`Upcoming (${offset + 1}–${offset + items.length}):`];
  for (const [destination, list] of byDestination) {
    lines.push('', `${destination}:`);
    for (const item of list) {
      const title = item.title.length > 60 ? `${item.title.slice(0, 59)}…` : item.title;
      lines.push(`• ${describeInstant(item.atMs, timeZone)} — ${item.storyId} "${title}"`);
    }
  }
  return lines.join('\n');
}
