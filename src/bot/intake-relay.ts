import type { DeskResult, StoryView } from '../ports/desk.js';
import type { IntakeEvent } from '../ports/intake-bus.js';
import { alertChats } from './alert-relay.js';
import { type BotDeps, sendPreview } from './bot-deps.js';
import { editorsDigestText } from './spend-text.js';

/** A drafted or auto-scheduled story (the two share one shape). */
type DraftEvent = Extract<IntakeEvent, { readonly relevance: string }>;

/** Longest title or source name shown in a one-line notice. */
const MAX_SHOWN = 200;
/** Longest header line above a draft preview. */
const MAX_HEADER = 1_000;

/** One line: newlines and runs of spaces collapsed, cut with an ellipsis past `max`. */
function oneLine(text: string, max = MAX_SHOWN): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The line heading a draft's preview: "From CoinDesk — relevance 14 (threshold 4): licen* +5 (title) …". */
export function draftHeader(event: Pick<DraftEvent, 'sourceName' | 'relevance'>): string {
  const relevance = oneLine(event.relevance, MAX_HEADER);
  return oneLine(`From ${event.sourceName}${relevance ? ` — ${relevance}` : ''}`, MAX_HEADER);
}

/**
 * The notice editors read for an intake event, except a draft's preview (see {@link relayIntake}): the plan
 * of an auto-scheduled story, a duplicate linked to its first story, a source failing or recovered (its
 * message as is), or the editors' digest (said to be late when `at`, the moment it is sent, is long after
 * it was made).
 */
export function intakeText(
  event: IntakeEvent,
  at?: { readonly nowMs: number; readonly timeZone: string },
): string {
  switch (event.kind) {
    case 'draft':
      return `${draftHeader(event)}\nDraft ${event.storyId} "${oneLine(event.title)}" is waiting for review.\n/status ${event.storyId}`;
    case 'scheduled':
      return [
        `🗓 Scheduled from ${oneLine(event.sourceName)}: ${event.storyId} "${oneLine(event.title)}"`,
        `Plan: ${event.plan ? oneLine(event.plan, MAX_HEADER) : 'the next free slot'}`,
        ...(event.relevance ? [oneLine(event.relevance, MAX_HEADER)] : []),
        `/status ${event.storyId}`,
      ].join('\n');
    case 'duplicate': {
      const url = event.url ? ` (${oneLine(event.url, 300)})` : '';
      return `🔁 Same story from ${oneLine(event.sourceName)}: "${oneLine(event.title)}"${url} linked to ${event.storyId}, not drafted: ${oneLine(event.reason)}.`;
    }
    case 'source-failing':
    case 'source-recovered':
      return event.message;
    case 'editors-digest': {
      const madeAtMs = event.madeAt === undefined ? Number.NaN : Date.parse(event.madeAt);
      const late = at && !Number.isNaN(madeAtMs) ? { ...at, madeAtMs } : undefined;
      return editorsDigestText(event.day, event.spend, late);
    }
  }
}

/**
 * Relays feed-intake news to the editors (the editors' chat, or each editor's private chat when there is
 * none, like alerts): a draft gets the usual preview with its buttons under a header naming the source and
 * the relevance; everything else one message without buttons. Each chat's news is queued through `send`
 * (in order); failures are logged, never thrown. The listener settles once every chat's message is done
 * with, so the bus hands the event out again only if the bot died before. Returns the unsubscriber (a
 * no-op when the desk has no feed intake).
 */
export function relayIntake(
  deps: BotDeps,
  send: (chatId: number, task: () => Promise<void>) => Promise<void>,
): () => void {
  if (!deps.desk.onIntake) return () => undefined;
  return deps.desk.onIntake((event) => {
    const chats = alertChats(deps);
    // A draft's view is read once, for all chats, when the first chat's turn comes.
    let view: Promise<DeskResult<StoryView>> | undefined;
    const viewOf = (storyId: string) => {
      view ??= deps.desk.view(storyId).catch(
        (error: unknown): DeskResult<StoryView> => ({
          ok: false,
          code: 'not-found',
          error: (error as Error).message,
        }),
      );
      return view;
    };
    const sends = chats.map((chatId) =>
      send(chatId, async () => {
        try {
          const delivered =
            event.kind === 'draft'
              ? await relayDraft(deps, chatId, event, viewOf)
              : (await deps.outbox.text(
                  chatId,
                  intakeText(event, { nowMs: deps.now(), timeZone: deps.desk.timeZone() }),
                )) !== undefined;
          if (!delivered) {
            deps.logger.warn(
              { chatId, kind: event.kind, sourceId: sourceOf(event) },
              'editor bot: intake news not delivered',
            );
          }
        } catch (error) {
          deps.logger.warn(
            { chatId, kind: event.kind, sourceId: sourceOf(event), err: (error as Error).message },
            'editor bot: intake news failed',
          );
        }
      }),
    );
    return Promise.all(sends).then(() => undefined);
  });
}

/** The feed source the news is about; none for the editors' digest. */
function sourceOf(event: IntakeEvent): string | undefined {
  return 'sourceId' in event ? event.sourceId : undefined;
}

async function relayDraft(
  deps: BotDeps,
  chatId: number,
  event: DraftEvent,
  viewOf: (storyId: string) => Promise<DeskResult<StoryView>>,
): Promise<boolean> {
  const view = await viewOf(event.storyId);
  if (view.ok) return sendPreview(deps, chatId, view.value, draftHeader(event));
  deps.logger.warn({ storyId: event.storyId, err: view.error }, 'editor bot: no preview for an intake draft');
  const text = `${intakeText(event)}\n(No preview: ${oneLine(view.error)})`;
  return (await deps.outbox.text(chatId, text)) !== undefined;
}
