import type { Actor } from '../domain/history.js';
import type { AmendmentView, PendingApproval } from '../ports/desk-amendments.js';
import { sendAmendmentPreview } from './amendment-preview.js';
import { actorOf, type BotDeps, byLine, say } from './bot-deps.js';
import type { AmendmentAction } from './callback-data.js';
import type { CommandOrigin } from './command-handlers.js';
import { storyTarget, targetName } from './current-draft.js';

/** One line per destination: what the amendment did there (or is doing). */
export function amendmentLines(view: AmendmentView): string[] {
  const { amendment } = view;
  const lines = [
    `${view.storyId} ${amendment.kind} ${amendment.id} by ${amendment.requestedBy.name}: ${amendment.text}`,
  ];
  for (const p of view.progress) {
    const done = p.done.filter((d) => d !== undefined);
    const retracted = amendment.kind === 'retraction';
    const said = !retracted
      ? ''
      : done.some((d) => d.startsWith('edited:'))
        ? ' (too old to delete: edited into a retraction notice)'
        : done.some((d) => d.startsWith('deleted:'))
          ? ' (deleted)'
          : '';
    lines.push(`  ${p.destination}: ${p.state}, ${done.length}/${p.done.length} done${said}`);
  }
  return lines;
}

/**
 * `/correct <id> <correction>`: previews the channel post's edit (a word diff) and the reply under the
 * first tweet, with Confirm · Cancel; nothing is sent before Confirm.
 */
export async function correctCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  // Without an id, the text is the draft's correction unless its first word reads as an id of no story.
  const target = await storyTarget(deps, origin.chatId, payload, () => false);
  if (!target) return;
  const args = { id: target.id, text: target.rest };
  if (args.text === '') {
    return say(deps, origin.chatId, 'Say what is corrected: /correct <id> the vote was 3-2, not 4-1');
  }
  const result = await deps.desk.proposeAmendment(
    args.id,
    { kind: 'correction', correction: { note: args.text } },
    actorOf(origin.user),
  );
  if (!result.ok) return say(deps, origin.chatId, `Not corrected: ${result.error}`);
  await sendAmendmentPreview(deps, origin.chatId, targetName(target), result.value);
}

/**
 * `/retract <id> <reason>`: previews what is deleted (within 48 hours) or edited into a notice, and the
 * tweets deleted, with Confirm · Cancel; nothing is sent before Confirm.
 */
export async function retractCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, () => false);
  if (!target) return;
  const args = { id: target.id, text: target.rest };
  if (args.text === '')
    return say(deps, origin.chatId, 'Give a reason: /retract <id> the approval did not happen');
  const result = await deps.desk.proposeAmendment(
    args.id,
    { kind: 'retraction', reason: args.text },
    actorOf(origin.user),
  );
  if (!result.ok) return say(deps, origin.chatId, `Not retracted: ${result.error}`);
  await sendAmendmentPreview(deps, origin.chatId, targetName(target), result.value);
}

/** `/approve <id>`: the second editor's approval (never the author's). */
export async function approveCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, 'empty');
  if (!target) return;
  const args = { id: target.id };
  const result = await deps.desk.approve(args.id, actorOf(origin.user));
  if (!result.ok) return say(deps, origin.chatId, `Not approved: ${result.error}`);
  await say(
    deps,
    origin.chatId,
    `Approved ${targetName(target)}: it can be scheduled now (/now ${args.id}, /schedule ${args.id} …).`,
  );
}

/** `/pending`: stories waiting for a second editor. */
export async function pendingCommand(deps: BotDeps, origin: CommandOrigin): Promise<void> {
  const waiting: readonly PendingApproval[] = await deps.desk.pending();
  if (waiting.length === 0) return say(deps, origin.chatId, 'Nothing waits for approval.');
  const lines = waiting.map(
    (p) => `${p.storyId} ${p.title} — ${p.reason}; by ${p.author} (/approve ${p.storyId})`,
  );
  await say(deps, origin.chatId, ['Waiting for a second editor:', ...lines].join('\n'));
}

/** `/corrections`: every correction, retraction and live update of recent stories, newest first. */
export async function correctionsCommand(deps: BotDeps, origin: CommandOrigin): Promise<void> {
  const views = await deps.desk.corrections();
  if (views.length === 0) return say(deps, origin.chatId, 'No corrections, retractions or updates.');
  await say(deps, origin.chatId, views.flatMap(amendmentLines).join('\n'));
}

/** A press of Confirm or Cancel under a correction's or retraction's preview: the outcome, or why not. */
export async function performAmendment(
  deps: BotDeps,
  action: { readonly action: AmendmentAction; readonly storyId: string; readonly amendmentId: string },
  actor: Actor,
): Promise<{ ok: true; outcome: string } | { ok: false; error: string }> {
  const by = byLine(deps, actor);
  if (action.action === 'cancel') {
    const dropped = await deps.desk.cancelAmendment(action.storyId, action.amendmentId, actor);
    return dropped.ok
      ? { ok: true, outcome: `${action.amendmentId} cancelled ${by}: nothing was sent` }
      : { ok: false, error: dropped.error };
  }
  const sent = await deps.desk.confirmAmendment(action.storyId, action.amendmentId, actor);
  if (!sent.ok) return { ok: false, error: sent.error };
  return { ok: true, outcome: [`Confirmed ${by}`, ...amendmentLines(sent.value)].join('\n') };
}
