import type { Actor } from '../domain/history.js';
import type { XLinkPolicy } from '../domain/x-link-policy.js';
import { threadCost } from '../format/x-cost.js';
import { costLine } from '../format/x-cost-example.js';
import type { DeskResult, StoryView } from '../ports/desk.js';
import { performAmendment } from './amendment-commands.js';
import { actorOf, type BotDeps, byLine, say, sendPreview, type TelegramUser } from './bot-deps.js';
import { type CallbackAction, decodeCallback, type PreviewAction } from './callback-data.js';
import { askForEdit, askForPostedLink, listPage } from './command-handlers.js';
import { SCHEDULE_EXAMPLES } from './command-line.js';
import { alertKeyboard } from './keyboards.js';
import { performUpdate } from './live-story-commands.js';
import { withOutcome } from './outcome-line.js';
import { whenLines } from './preview-text.js';

/** A button press, as the handlers need it. */
export interface ButtonPress {
  readonly queryId: string;
  readonly user: TelegramUser;
  readonly data: string | undefined;
  /** The message the button is under; absent for very old messages Telegram no longer sends. */
  readonly message?: { readonly chatId: number; readonly messageId: number; readonly text: string };
}

export const STALE_BUTTON =
  'This button is out of date. Use /list or /status <id> to see where things stand.';

const PREVIEW_LABELS: Readonly<Record<PreviewAction, string>> = {
  'next-slot': 'Scheduled for the next slot',
  now: 'Posting now',
  breaking: 'Posting now as breaking news',
  schedule: 'Schedule',
  edit: 'Edit',
  discard: 'Discarded',
};

/**
 * Handles one button press: decodes it (stale or forged data is answered, never acted on), acts at most
 * once per message (a second press of an acted-on keyboard is answered with who acted), and edits the
 * message to say who did what.
 */
export async function handleButton(deps: BotDeps, press: ButtonPress): Promise<void> {
  const action = decodeCallback(press.data);
  if (!action || !press.message) {
    await deps.outbox.answer(press.queryId, STALE_BUTTON, true);
    return;
  }
  const message = press.message;
  const actor = actorOf(press.user);
  const origin = { chatId: message.chatId, user: press.user };

  if (action.kind === 'list') {
    const { text, keyboard } = await listPage(deps, action.offset);
    await deps.outbox.answer(press.queryId);
    await deps.outbox.editText(message.chatId, message.messageId, text, keyboard);
    return;
  }
  if (action.kind === 'preview' && action.action === 'schedule') {
    await deps.outbox.answer(press.queryId);
    await say(
      deps,
      message.chatId,
      `To schedule ${action.storyId}, send /schedule ${action.storyId} <when>, ${SCHEDULE_EXAMPLES.replace(/^e\.g\. /, 'e.g. ')}`,
    );
    return;
  }
  if (action.kind === 'preview' && action.action === 'edit') {
    await deps.outbox.answer(press.queryId);
    await askForEdit(deps, origin, action.storyId);
    return;
  }

  if (action.kind === 'alert' && action.action === 'hold') {
    // Not claimed: the alert keeps its buttons, so the story can still be posted from it later.
    const held = await keepHeld(deps, action, byLine(deps, actor));
    await deps.outbox.answer(press.queryId, held.ok ? 'Kept held.' : held.error, !held.ok);
    if (held.ok)
      await deps.outbox.editText(
        message.chatId,
        message.messageId,
        withOutcome(message.text, held.outcome),
        alertKeyboard(action.storyId, action.destination, { budget: true }),
      );
    return;
  }
  if (action.kind === 'link') {
    await switchLink(deps, press.queryId, message.chatId, action.storyId, action.link, actor);
    return;
  }

  if (action.kind === 'alert' && action.action === 'posted' && (await isX(deps, action))) {
    // The rest of the thread must reply to that tweet: the editor gives its link (or id).
    await deps.outbox.answer(press.queryId);
    await askForPostedLink(deps, origin, action.storyId, action.destination, message);
    return;
  }

  const key = `${message.chatId}:${message.messageId}`;
  const earlier = deps.once.claim(key, `${actor.name}`);
  if (earlier !== undefined) {
    await deps.outbox.answer(press.queryId, `Already done by ${earlier}.`);
    return;
  }
  const result = await perform(deps, action, actor);
  if (!result.ok) {
    deps.once.release(key);
    await deps.outbox.answer(press.queryId, result.error, true);
    return;
  }
  await deps.outbox.answer(press.queryId, 'Done.');
  await deps.outbox.editText(message.chatId, message.messageId, withOutcome(message.text, result.outcome));
}

async function perform(
  deps: BotDeps,
  action: Exclude<CallbackAction, { kind: 'list' } | { kind: 'link' }>,
  actor: Actor,
): Promise<{ ok: true; outcome: string } | { ok: false; error: string }> {
  const { desk } = deps;
  const by = byLine(deps, actor);
  const plan = (result: DeskResult<StoryView>, label: string) =>
    result.ok
      ? {
          ok: true as const,
          outcome: [`${label} ${by}`, ...whenLines(result.value, desk.timeZone())].join('\n'),
        }
      : { ok: false as const, error: result.error };

  switch (action.kind) {
    case 'preview': {
      const label = PREVIEW_LABELS[action.action];
      if (action.action === 'discard') return plan(await desk.cancel(action.storyId, actor), label);
      const when =
        action.action === 'now'
          ? ({ mode: 'now' } as const)
          : action.action === 'breaking'
            ? ({ mode: 'breaking' } as const)
            : ({ mode: 'next-slot' } as const);
      return plan(await desk.schedule(action.storyId, when, actor), label);
    }
    case 'alert': {
      const only = [action.destination];
      if (action.action === 'retry')
        return plan(await desk.retry(action.storyId, actor, only), `Retry on ${action.destination}`);
      if (action.action === 'skip')
        return plan(
          await desk.skip(action.storyId, action.destination, actor),
          `Skipped ${action.destination}`,
        );
      if (action.action === 'anyway')
        return plan(
          await desk.retry(action.storyId, actor, only),
          `Posting anyway on ${action.destination}, over the budget (this story, this once)`,
        );
      if (action.action === 'nolink')
        return plan(
          await desk.postWithoutLink(action.storyId, action.destination, actor),
          `Posting without its link on ${action.destination}, the budget checked again`,
        );
      // Handled before the claim; kept here so it can never fall through to Mark as posted.
      if (action.action === 'hold') return keepHeld(deps, action, by);
      if (action.action === 'thread')
        return plan(
          await desk.newThread(action.storyId, action.destination, actor),
          `The rest goes out as a new thread on ${action.destination}`,
        );
      return plan(
        await desk.markPosted(action.storyId, action.destination, actor),
        `Marked as posted on ${action.destination}`,
      );
    }
    case 'update':
      return performUpdate(deps, action, actor);
    case 'amendment':
      return performAmendment(deps, action, actor);
    case 'digest-send': {
      const sent = await desk.digest('send', actor);
      return sent.ok
        ? { ok: true, outcome: `Digest of ${sent.value.storyIds.length} stories sent ${by}` }
        : { ok: false, error: sent.error };
    }
  }
}

/** Whether the alert's destination is on X (looked up on the desk; false when the story is unknown). */
async function isX(deps: BotDeps, action: { storyId: string; destination: string }): Promise<boolean> {
  const view = await deps.desk.view(action.storyId);
  return (
    view.ok && view.value.destinations.some((d) => d.destination === action.destination && d.platform === 'x')
  );
}

/**
 * Hold: the story stays held on the destination (nothing changes); the outcome says how to send it later.
 * Refused when it is no longer held.
 */
async function keepHeld(
  deps: BotDeps,
  action: { readonly storyId: string; readonly destination: string },
  by: string,
): Promise<{ ok: true; outcome: string } | { ok: false; error: string }> {
  const { storyId, destination } = action;
  const view = await deps.desk.view(storyId);
  if (!view.ok) return { ok: false, error: view.error };
  const state = view.value.destinations.find((d) => d.destination === destination)?.state;
  if (state !== 'needs-attention' && state !== 'failed')
    return {
      ok: false,
      error: `${storyId} is no longer held on ${destination} (it is ${state ?? 'not planned'})`,
    };
  return {
    ok: true,
    outcome:
      `Kept held on ${destination} ${by}. Nothing goes out until an editor says so: /retry ${storyId} posts it ` +
      `anyway (over the budget); /link ${storyId} none, then /retry ${storyId}, posts it without its link; ` +
      `/spend shows the budget.`,
  };
}

/**
 * A link button under a preview: the story's X link policy becomes `link` (as `/link`), and the preview
 * comes again with the new thread. Acts every time (a choice can be changed back).
 */
async function switchLink(
  deps: BotDeps,
  queryId: string,
  chatId: number,
  storyId: string,
  link: XLinkPolicy,
  actor: Actor,
): Promise<void> {
  const result = await deps.desk.setXLink(storyId, link, actor);
  if (!result.ok) {
    await deps.outbox.answer(queryId, result.error, true);
    return;
  }
  const x = result.value.rendered.x;
  const cost = deps.xPricing ? threadCost(x, deps.xPricing) : undefined;
  const summary = cost ? costLine(x.length, cost.totalUsd, cost.postsWithUrl) : `${x.length} tweets`;
  await deps.outbox.answer(queryId, `Link ${link}: ${summary}`);
  await sendPreview(
    deps,
    chatId,
    result.value,
    `X link for ${storyId}: ${link} (${byLine(deps, actor)}). The thread is now ${summary}.`,
  );
}
