import type { Actor, DeskResult, StoryView } from '../app/desk.js';
import { TELEGRAM_LIMITS } from '../format/limits.js';
import { actorOf, type BotDeps, byLine, say, type TelegramUser } from './bot-deps.js';
import { type CallbackAction, decodeCallback, type PreviewAction } from './callback-data.js';
import { askForEdit, listPage } from './command-handlers.js';
import { SCHEDULE_EXAMPLES } from './command-line.js';
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

/** The message text with a line saying who did what appended, within Telegram's limit. */
export function withOutcome(original: string, outcome: string): string {
  const suffix = `\n\n✓ ${outcome}`;
  const room = TELEGRAM_LIMITS.messageText - suffix.length;
  const head = original.length > room ? `${original.slice(0, Math.max(0, room - 1))}…` : original;
  return `${head}${suffix}`.slice(0, TELEGRAM_LIMITS.messageText);
}

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
  action: Exclude<CallbackAction, { kind: 'list' }>,
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
      return plan(
        await desk.markPosted(action.storyId, action.destination, actor),
        `Marked as posted on ${action.destination}`,
      );
    }
    case 'digest-send': {
      const sent = await desk.digest('send', actor);
      return sent.ok
        ? { ok: true, outcome: `Digest of ${sent.value.storyIds.length} stories sent ${by}` }
        : { ok: false, error: sent.error };
    }
  }
}
