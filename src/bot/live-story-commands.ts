import type { Actor } from '../domain/history.js';
import type { InlineKeyboardMarkup } from '../domain/rendered.js';
import type { AmendmentView } from '../ports/desk-amendments.js';
import { amendmentLines } from './amendment-commands.js';
import { actorOf, type BotDeps, byLine, say } from './bot-deps.js';
import { encodeCallback, type UpdateAction } from './callback-data.js';
import type { CommandOrigin } from './command-handlers.js';
import { storyTarget, targetName } from './current-draft.js';
import { channelPreview } from './preview-text.js';

/** Under an update's preview: Send update · Discard. */
export function updateKeyboard(storyId: string, updateId: string): InlineKeyboardMarkup {
  const button = (text: string, action: UpdateAction) => ({
    text,
    callback_data: encodeCallback({ kind: 'update', action, storyId, updateId }),
  });
  return { inline_keyboard: [[button('Send update', 'send'), button('Discard', 'discard')]] };
}

/** What the preview says goes to X: each tweet of the continuation, numbered. */
function xPreviewLines(view: AmendmentView): string[] {
  const lines: string[] = [];
  for (const op of view.amendment.operations) {
    const tweets = op.steps.flatMap((s) => (s.kind === 'x-reply' || s.kind === 'x-continue' ? [s.text] : []));
    if (tweets.length === 0) continue;
    const first = op.steps[0];
    const under =
      first?.kind === 'x-reply' ? ` (a reply to tweet ${first.replyToId}, the thread's last)` : '';
    lines.push('', `${op.destination}: ${tweets.length} tweet${tweets.length === 1 ? '' : 's'}${under}`);
    for (const [i, text] of tweets.entries()) lines.push(`— ${i + 1} —`, text);
  }
  return lines;
}

/**
 * `/update <id> <text>` (or without an id, the chat's current draft): formats the development and shows
 * it as it will go out (the channel reply exactly as followers will see it, then the X continuation),
 * with Send update · Discard under it. Nothing is sent before Send update.
 */
export async function updateCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, () => false);
  if (!target) return;
  if (target.rest === '') {
    return say(deps, origin.chatId, 'Say what developed: /update <id> the exchange said it will appeal');
  }
  const result = await deps.desk.proposeUpdate(target.id, target.rest, actorOf(origin.user));
  if (!result.ok) return say(deps, origin.chatId, `No update: ${result.error}`);
  const view = result.value;
  const { amendment } = view;
  const where = amendment.operations.map((o) => o.destination).join(', ');
  await say(
    deps,
    origin.chatId,
    `Update ${amendment.id} of ${targetName(target)} for ${where}, as it will go out. On Telegram, a reply to the channel post:`,
  );
  for (const op of amendment.operations)
    for (const step of op.steps)
      if (step.kind === 'telegram-reply')
        await deps.outbox.payload(origin.chatId, channelPreview(step.payload));
  const lines = [
    `Update ${amendment.id} of ${view.storyId}: nothing is sent before you press Send update.`,
    ...xPreviewLines(view),
  ];
  await say(deps, origin.chatId, lines.join('\n'), updateKeyboard(view.storyId, amendment.id));
}

/** A press of Send update or Discard under an update's preview: the outcome line, or why not. */
export async function performUpdate(
  deps: BotDeps,
  action: { readonly action: UpdateAction; readonly storyId: string; readonly updateId: string },
  actor: Actor,
): Promise<{ ok: true; outcome: string } | { ok: false; error: string }> {
  const by = byLine(deps, actor);
  if (action.action === 'discard') {
    const dropped = await deps.desk.discardUpdate(action.storyId, action.updateId, actor);
    return dropped.ok
      ? { ok: true, outcome: `Update ${action.updateId} discarded ${by}` }
      : { ok: false, error: dropped.error };
  }
  const sent = await deps.desk.sendUpdate(action.storyId, action.updateId, actor);
  if (!sent.ok) return { ok: false, error: sent.error };
  return {
    ok: true,
    outcome: [`Sending update ${action.updateId} ${by}`, ...amendmentLines(sent.value)].join('\n'),
  };
}

/** `/live <id>`: pins the channel post and marks the story live until `/close`. */
export async function liveCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, 'empty');
  if (!target) return;
  const result = await deps.desk.live(target.id, actorOf(origin.user));
  if (!result.ok) return say(deps, origin.chatId, `Not live: ${result.error}`);
  await say(
    deps,
    origin.chatId,
    [
      `${targetName(target)} is live: pinning its channel post. /update ${target.id} <text> adds a development; /close ${target.id} unpins it.`,
      ...amendmentLines(result.value),
    ].join('\n'),
  );
}

/** `/close <id>`: unpins the channel post of a live story and ends its live state. */
export async function closeCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, 'empty');
  if (!target) return;
  const result = await deps.desk.close(target.id, actorOf(origin.user));
  if (!result.ok) return say(deps, origin.chatId, `Not closed: ${result.error}`);
  await say(
    deps,
    origin.chatId,
    [
      `${targetName(target)} is no longer live: unpinning its channel post.`,
      ...amendmentLines(result.value),
    ].join('\n'),
  );
}
