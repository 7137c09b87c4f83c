import type { AmendmentStep } from '../src/domain/amendment.js';
import type { StoryRecord } from '../src/domain/publication.js';
import { PublishError } from '../src/errors/publish-error.js';
import type { Pacer } from '../src/ports/pacer.js';
import type { TelegramPort } from '../src/ports/telegram-port.js';
import type { XPort } from '../src/ports/x-port.js';
import type { PostFlags } from '../src/schedule/post-flags.js';
import { type PartSender, type XReconcilePolicy, type XSpendMeter, xPartSender } from './part-sender.js';

/**
 * Where an amendment's steps go: the destination's platform port (and its chat, on Telegram; on X how
 * hard a reconcile looks and what counts the spend).
 */
export type AmendmentTarget =
  | {
      readonly platform: 'telegram';
      readonly port: TelegramPort;
      readonly chatId: string;
      /** How the story's posts go out (silently, protected): an update's reply goes out the same way. */
      readonly flags?: (record: StoryRecord) => PostFlags;
    }
  | {
      readonly platform: 'x';
      readonly port: XPort;
      readonly policy?: XReconcilePolicy;
      readonly meter?: XSpendMeter;
    };

/**
 * The shared posting budget of the amendment's destination: every post an amendment makes (a channel
 * reply, a tweet) takes one send of it, like a story's part, so an update counts against the same limits
 * as the stories around it.
 */
export interface AmendmentPacing {
  readonly pacer: Pacer;
  /** The destination whose budget the posts take (`x` for the operation `x~u1`). */
  readonly destination: string;
}

// Steps that post something new: each takes a send of the destination's budget.
const POSTING = new Set<AmendmentStep['kind']>(['telegram-reply', 'x-reply', 'x-continue', 'x-post']);

/**
 * The remote id recorded for a step: the post's own id for what it posted, else what happened to the
 * post it acted on (`edited:<id>`, `deleted:<id>`, `pinned:<id>`, `unpinned:<id>`), so the ledger says
 * which (a retraction that could only edit says `edited:`).
 */
export type AmendmentRemoteId = string;

/**
 * Sends an amendment's steps as the parts of its own publication ({@link PartSender}), so the publication
 * ledger runs them exactly once. Edits and deletes are idempotent, so a step whose outcome is unknown is
 * reconciled by doing it again; a reply or notice is looked up on X's timeline like a thread's tweet.
 */
export function amendmentPartSender(
  steps: readonly AmendmentStep[],
  target: AmendmentTarget,
  pacing?: AmendmentPacing,
): PartSender {
  const stepAt = (index: number): AmendmentStep => {
    const step = steps[index];
    if (!step) throw new RangeError(`amendment step ${index} does not exist`);
    return step;
  };
  // A post of its own, as a one-tweet story, for xPartSender to send and look up.
  const asPost = (record: StoryRecord, text: string): StoryRecord => ({
    ...record,
    story: { ...record.story, imageUrl: undefined },
    rendered: { ...record.rendered, x: [{ text }] },
  });

  // Nothing is posted while the budget says wait: the step is refused as rate-limited before any call,
  // so the run records it as not sent and the amend queue waits that long (never a blind resend).
  async function reserve(step: AmendmentStep): Promise<void> {
    if (!pacing || !POSTING.has(step.kind)) return;
    let waitMs: number;
    try {
      waitMs = await pacing.pacer.reserve(pacing.destination);
    } catch (err) {
      // Nothing was sent: a transient failure, retried, never an unknown outcome for an editor.
      throw new PublishError({
        kind: 'transient',
        platform: target.platform,
        reason: `could not take a send of ${pacing.destination}'s budget: ${(err as Error).message}`,
        cause: err,
      });
    }
    if (waitMs <= 0) return;
    throw new PublishError({
      kind: 'rate-limited',
      platform: target.platform,
      reason: `paced: ${pacing.destination} allows its next post in ${Math.ceil(waitMs / 1000)} s`,
      retryAfterMs: waitMs,
    });
  }

  async function send(
    record: StoryRecord,
    index: number,
    previous: string | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const step = stepAt(index);
    await reserve(step);
    if (target.platform === 'telegram') {
      const { port, chatId } = target;
      if (step.kind === 'telegram-reply') {
        const { silent, protectContent } = target.flags?.(record) ?? { silent: false, protectContent: false };
        const options = {
          replyToMessageId: step.replyToMessageId,
          ...(silent ? { silent } : {}),
          ...(protectContent ? { protectContent } : {}),
        };
        return String((await port.send(chatId, step.payload, signal, options)).messageId);
      }
      if (step.kind === 'telegram-pin') {
        await port.pin(chatId, step.messageId, { silent: true, ...(signal ? { signal } : {}) });
        return `pinned:${step.messageId}`;
      }
      if (step.kind === 'telegram-unpin') {
        await port.unpin(chatId, step.messageId, signal);
        return `unpinned:${step.messageId}`;
      }
      if (step.kind === 'telegram-edit') {
        await port.edit(chatId, step.messageId, step.edit, signal);
        return `edited:${step.messageId}`;
      }
      if (step.kind === 'telegram-delete-or-edit') {
        try {
          await port.delete(chatId, step.messageId, signal);
          return `deleted:${step.messageId}`;
        } catch (err) {
          if (!(err instanceof PublishError) || err.refusal !== 'too-old-to-delete') throw err;
          await port.edit(chatId, step.messageId, step.fallback, signal);
          return `edited:${step.messageId}`;
        }
      }
      throw new RangeError(`a ${step.kind} step cannot go to Telegram`);
    }
    const x = xPartSender(target.port, target.policy, undefined, target.meter);
    switch (step.kind) {
      case 'x-delete':
        await target.port.deleteTweet(step.tweetId, signal);
        return `deleted:${step.tweetId}`;
      case 'x-reply':
        return x.send(asPost(record, step.text), 0, step.replyToId, signal);
      case 'x-post':
        return x.send(asPost(record, step.text), 0, undefined, signal);
      case 'x-continue':
        // The run hands over the tweet the step before posted: the continuation hangs from it.
        if (previous === undefined) throw new RangeError(`x-continue step ${index} has no tweet to follow`);
        return x.send(asPost(record, step.text), 0, previous, signal);
      default:
        throw new RangeError(`a ${step.kind} step cannot go to X`);
    }
  }

  return {
    platform: target.platform,
    partCount: () => steps.length,
    send: (record, index, previous, signal) => send(record, index, previous, signal),
    async reconcile(record, index, previous, options) {
      const step = stepAt(index);
      if (
        target.platform === 'x' &&
        (step.kind === 'x-reply' || step.kind === 'x-post' || step.kind === 'x-continue')
      ) {
        const replyTo =
          step.kind === 'x-reply' ? step.replyToId : step.kind === 'x-continue' ? previous : undefined;
        return xPartSender(target.port, target.policy, undefined, target.meter).reconcile(
          asPost(record, step.text),
          0,
          replyTo,
          options,
        );
      }
      // A channel reply cannot be looked up: only an editor can tell whether it went out.
      if (step.kind === 'telegram-reply') return null;
      // An edit, delete, pin or unpin done twice lands once ("not modified", "already gone"): do it again.
      // (None of them posts, so none takes a send of the budget.)
      return send(record, index, previous);
    },
  };
}
