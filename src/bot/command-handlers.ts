import { X_LINK_POLICIES } from '../domain/x-link-policy.js';
import { threadCost } from '../format/x-cost.js';
import { costLine } from '../format/x-cost-example.js';
import type { StoryView, WhenRequest } from '../ports/desk.js';
import { actorOf, type BotDeps, byLine, say, sendPreview, type TelegramUser } from './bot-deps.js';
import {
  EDIT_USAGE,
  PLATFORM_ALIASES,
  parseEditArgs,
  parseEmbargoArgs,
  parseScheduleArgs,
  replacementText,
} from './command-line.js';
import { rememberDraft, type StoryTarget, storyTarget, targetName } from './current-draft.js';
import { digestKeyboard, pageKeyboard } from './keyboards.js';
import { withOutcome } from './outcome-line.js';
import { storyInputFromPage } from './page-metadata.js';
import {
  ANSWER_PLACEHOLDER,
  editQuestion,
  type PendingInput,
  pendingFromQuestion,
  postedLinkQuestion,
  storyTextQuestion,
} from './pending-input.js';
import { channelPreview, embargoLine, whenLines } from './preview-text.js';
import { spendText, storyCostLines } from './spend-text.js';
import { LIST_PAGE_SIZE, statusMessages, upcomingText } from './status-text.js';
import { forwardedStoryInput, readQueueRequest, tooLong } from './story-message.js';

/** Asks the editor's client to answer the question as a reply (so the answer carries the question). */
const ANSWER_REPLY = { force_reply: true, input_field_placeholder: ANSWER_PLACEHOLDER } as const;

/** Where a command came from. */
export interface CommandOrigin {
  readonly chatId: number;
  readonly user: TelegramUser;
}

async function createAndPreview(
  deps: BotDeps,
  origin: CommandOrigin,
  input: Record<string, unknown>,
): Promise<void> {
  const result = await deps.desk.createDraft(input, actorOf(origin.user));
  if (!result.ok) {
    await say(deps, origin.chatId, `Not queued: ${result.error}`);
    return;
  }
  await showDraft(
    deps,
    origin.chatId,
    result.value,
    `Draft ${result.value.story.id} created. This is the channel post as followers will see it:`,
  );
}

/**
 * A preview an editor asked for (a new draft, an edit): sent, and made the chat's current draft, which
 * commands without an id act on. Feed intake's previews do not change it: a story arriving while an
 * editor works on another must not become the target of their next `/schedule`.
 */
async function showDraft(deps: BotDeps, chatId: number, view: StoryView, intro: string): Promise<void> {
  await sendPreview(deps, chatId, view, intro);
  await rememberDraft(deps, chatId, view.story.id);
}

/** `/queue <url> [text]` or `/queue <text>`; a URL alone fetches the page's metadata. */
export async function queueCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  deps.pending.clear(origin.user.id, origin.chatId);
  const request = readQueueRequest(payload);
  if (request.kind === 'refused') return say(deps, origin.chatId, request.error);
  if (request.kind === 'story') return createAndPreview(deps, origin, request.input);
  let reason: string;
  try {
    const page = await deps.fetchPage(request.url, deps.stopping);
    const input = storyInputFromPage(request.url, page);
    if (input) return createAndPreview(deps, origin, input);
    reason = 'the page has no title in its metadata';
  } catch (error) {
    reason = (error as Error).message;
  }
  deps.pending.set(origin.user.id, origin.chatId, { kind: 'story-text', url: request.url });
  await say(deps, origin.chatId, storyTextQuestion(request.url, reason), ANSWER_REPLY);
}

/**
 * A pasted article, a forwarded channel post, or text the bot asked for: remembered, or (`repliedTo`, the
 * text of the bot's message this one replies to) read back from the question itself.
 */
export async function plainMessage(
  deps: BotDeps,
  origin: CommandOrigin,
  text: string,
  forward?: {
    readonly entities: readonly { type: string; offset: number; length: number; url?: string }[];
    readonly sourceTitle?: string;
  },
  repliedTo?: string,
): Promise<void> {
  const long = tooLong(text);
  if (long) return say(deps, origin.chatId, long);
  if (forward) {
    deps.pending.clear(origin.user.id, origin.chatId);
    return createAndPreview(deps, origin, forwardedStoryInput(text, forward.entities, forward.sourceTitle));
  }
  const pending =
    deps.pending.take(origin.user.id, origin.chatId) ??
    (repliedTo === undefined ? undefined : pendingFromQuestion(repliedTo));
  if (pending?.kind === 'story-text') {
    const replacement = replacementText(text);
    if (!replacement) return say(deps, origin.chatId, 'That was empty: send the title on the first line.');
    return createAndPreview(deps, origin, { ...replacement, url: pending.url });
  }
  if (pending?.kind === 'edit') return applyEdit(deps, origin, pending.storyId, replacementText(text));
  if (pending?.kind === 'posted-link') return markPostedWithLink(deps, origin, pending, text);
  if (text.trim() === '') return say(deps, origin.chatId, 'Send an article (title first) or /help.');
  const result = await deps.desk.createDraft(readPasted(text), actorOf(origin.user));
  if (result.ok) {
    await showDraft(
      deps,
      origin.chatId,
      result.value,
      `Draft ${result.value.story.id} created from your message:`,
    );
    return;
  }
  await say(
    deps,
    origin.chatId,
    `Not queued: ${result.error}\nTo queue a story, paste the title on the first line and the text below it, or use /queue <link>. /help lists every command.`,
  );
}

function readPasted(text: string): Record<string, unknown> {
  const request = readQueueRequest(text);
  return request.kind === 'story' ? request.input : { title: text.trim().split('\n')[0] ?? '', body: '' };
}

// Any word stands in for the id when a payload is tried without one: the parsers read the id as a word.
const ANY_ID = 'draft';

/** Maps `tg`, `x` and destination ids to the story's destinations; an error line when one matches none. */
function resolveTargets(
  targets: readonly string[],
  view: StoryView,
): { ok: true; destinations?: string[] } | { ok: false; error: string } {
  if (targets.length === 0) return { ok: true };
  const destinations = new Set<string>();
  for (const target of targets) {
    const platform = PLATFORM_ALIASES[target];
    const matched = view.destinations
      .filter((plan) => plan.destination === target || plan.platform === platform)
      .map((plan) => plan.destination);
    if (matched.length === 0) {
      const known = view.destinations.map((plan) => plan.destination).join(', ');
      return { ok: false, error: `No destination "${target}" for this story (it has ${known}).` };
    }
    for (const destination of matched) destinations.add(destination);
  }
  return { ok: true, destinations: [...destinations] };
}

/** `/schedule [id] [tg|x] <when>`; without an id, the chat's current draft. */
export async function scheduleCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const read = (text: string) =>
    parseScheduleArgs(text, deps.desk.timeZone(), deps.now(), deps.desk.destinations());
  const target = await storyTarget(deps, origin.chatId, payload, (p) => read(`${ANY_ID} ${p}`).ok);
  if (!target) return;
  const args = read(target.implicit ? `${target.id} ${target.rest}` : payload);
  if (!args.ok) return say(deps, origin.chatId, args.error);
  const view = await deps.desk.view(target.id);
  if (!view.ok) return say(deps, origin.chatId, view.error);
  const targets = resolveTargets(args.targets, view.value);
  if (!targets.ok) return say(deps, origin.chatId, targets.error);
  await scheduleAndReport(deps, origin, target, args.when, targets.destinations, args.note);
}

async function scheduleAndReport(
  deps: BotDeps,
  origin: CommandOrigin,
  target: StoryTarget,
  when: WhenRequest,
  destinations: readonly string[] | undefined,
  note?: string,
): Promise<void> {
  const result = await deps.desk.schedule(target.id, when, actorOf(origin.user), destinations);
  if (!result.ok) return say(deps, origin.chatId, `Not scheduled (${targetName(target)}): ${result.error}`);
  const name = targetName(target);
  const heading =
    when.mode === 'now' || when.mode === 'breaking' ? `Publishing ${name} now` : `Scheduled ${name}`;
  const lines = [`${heading}:`, ...whenLines(result.value, deps.desk.timeZone())];
  if (note) lines.push(`Note: ${note}`);
  await say(deps, origin.chatId, lines.join('\n'));
}

/** `/now [id]`; without an id, the chat's current draft. */
export async function nowCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, 'empty');
  if (target) await scheduleAndReport(deps, origin, target, { mode: 'now' }, undefined);
}

/**
 * `/embargo <id> <when>` sets the story's embargo, `/embargo <id> off` lifts it. The answer gives the
 * embargo, where each destination now stands, which scheduled times moved to after it, and which
 * destinations it could not hold (already out or going out).
 */
export async function embargoCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const zone = deps.desk.timeZone();
  const read = (text: string) => parseEmbargoArgs(text, zone, deps.now());
  const target = await storyTarget(deps, origin.chatId, payload, (p) => read(`${ANY_ID} ${p}`).ok);
  if (!target) return;
  const args = read(target.implicit ? `${target.id} ${target.rest}` : payload);
  if (!args.ok) return say(deps, origin.chatId, args.error);
  const storyId = target.id;
  const before = await deps.desk.view(storyId);
  if (!before.ok) return say(deps, origin.chatId, before.error);
  const actor = actorOf(origin.user);
  const result = await deps.desk.embargo(storyId, args.untilMs, actor);
  if (!result.ok) return say(deps, origin.chatId, `Embargo not changed: ${result.error}`);
  const plans = result.value.destinations;
  const wasAt = new Map(before.value.destinations.map((plan) => [plan.destination, plan.atMs]));
  const moved = plans
    .filter((plan) => plan.state === 'scheduled' && plan.atMs !== wasAt.get(plan.destination))
    .map((plan) => plan.destination);
  // Lifting leaves the record on what is out or cancelled; only something still to go out is worth naming.
  const unheld = plans.filter(
    (plan) =>
      (plan.embargoUntilMs ?? null) !== args.untilMs &&
      (args.untilMs !== null || (plan.state !== 'published' && plan.state !== 'cancelled')),
  );
  const lines =
    args.untilMs === null
      ? [`Embargo on ${targetName(target)} lifted ${byLine(deps, actor)}.`]
      : [`${embargoLine(args.untilMs, zone)}: ${targetName(target)}, set ${byLine(deps, actor)}.`];
  if (args.note) lines.push(`Note: ${args.note}`);
  lines.push(...whenLines(result.value, zone));
  if (moved.length > 0) lines.push(`Moved to after the embargo: ${moved.join(', ')}.`);
  else if (args.untilMs !== null) lines.push('Nothing had to move.');
  else lines.push(`Scheduled times stay as they are; /schedule ${storyId} <when> moves them.`);
  for (const plan of unheld) {
    lines.push(
      args.untilMs === null
        ? `Still embargoed on ${plan.destination}: it is ${plan.state}.`
        : `Not held on ${plan.destination}: it is ${plan.state} (what is out stays out).`,
    );
  }
  await say(deps, origin.chatId, lines.join('\n'));
}

/** `/cancel [id]`, `/retry [id]`: one desk action and its result; without an id, the current draft. */
export async function storyActionCommand(
  deps: BotDeps,
  origin: CommandOrigin,
  payload: string,
  action: 'cancel' | 'retry',
): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, 'empty');
  if (!target) return;
  const storyId = target.id;
  const actor = actorOf(origin.user);
  const result =
    action === 'cancel' ? await deps.desk.cancel(storyId, actor) : await deps.desk.retry(storyId, actor);
  if (!result.ok) return say(deps, origin.chatId, `Not done (${targetName(target)}): ${result.error}`);
  const heading = action === 'cancel' ? `Cancelled ${targetName(target)}` : `Retrying ${targetName(target)}`;
  await say(
    deps,
    origin.chatId,
    [`${heading} ${byLine(deps, actor)}:`, ...whenLines(result.value, deps.desk.timeZone())].join('\n'),
  );
}

/** `/status [id]`; without an id, the chat's current draft (and the answer says so first). */
export async function statusCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const target = await storyTarget(deps, origin.chatId, payload, 'empty');
  if (!target) return;
  const storyId = target.id;
  if (target.implicit) await deps.outbox.text(origin.chatId, `Status of ${targetName(target)}:`);
  const view = await deps.desk.view(storyId);
  if (!view.ok) return say(deps, origin.chatId, view.error);
  for (const text of statusMessages(view.value, deps.desk.timeZone()))
    await deps.outbox.text(origin.chatId, text);
  const cost = storyCostLines(await deps.desk.xSpend(storyId));
  if (cost.length > 0) await deps.outbox.text(origin.chatId, cost.join('\n'));
}

/** `/link <id> <last|first|reply|none>`: where this story's link goes on X, and what the thread then costs. */
export async function linkCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const policy = (word: string | undefined) => X_LINK_POLICIES.find((p) => p === word?.toLowerCase());
  const target = await storyTarget(deps, origin.chatId, payload, (p) => policy(p) !== undefined);
  if (!target) return;
  const link = policy(target.rest);
  if (!link) return say(deps, origin.chatId, `Usage: /link [id] ${X_LINK_POLICIES.join('|')}`);
  const storyId = target.id;
  const result = await deps.desk.setXLink(storyId, link, actorOf(origin.user));
  if (!result.ok) return say(deps, origin.chatId, result.error);
  const x = result.value.rendered.x;
  const cost = deps.xPricing ? threadCost(x, deps.xPricing) : undefined;
  const summary = cost ? costLine(x.length, cost.totalUsd, cost.postsWithUrl) : `${x.length} tweets`;
  await say(deps, origin.chatId, `X link for ${targetName(target)}: ${link}. The thread is now ${summary}.`);
}

/** `/spend`: what X has cost today and this month, the month's forecast and the budget. */
export async function spendCommand(deps: BotDeps, origin: CommandOrigin): Promise<void> {
  await say(deps, origin.chatId, spendText(await deps.desk.xSpend()));
}

/** One `/list` page as text and paging buttons. */
export async function listPage(deps: BotDeps, offset: number) {
  const items = await deps.desk.upcoming({ offset, limit: LIST_PAGE_SIZE + 1 });
  const page = items.slice(0, LIST_PAGE_SIZE);
  return {
    text: upcomingText(page, offset, deps.desk.timeZone()),
    keyboard: pageKeyboard(offset, LIST_PAGE_SIZE, items.length > LIST_PAGE_SIZE),
  };
}

/** `/list`. */
export async function listCommand(deps: BotDeps, origin: CommandOrigin): Promise<void> {
  const { text, keyboard } = await listPage(deps, 0);
  await say(deps, origin.chatId, text, keyboard);
}

async function applyEdit(
  deps: BotDeps,
  origin: CommandOrigin,
  storyId: string,
  changes: { title?: string; body?: string } | undefined,
): Promise<void> {
  if (!changes) return say(deps, origin.chatId, `Nothing changed. ${EDIT_USAGE}`);
  const result = await deps.desk.edit(storyId, changes, actorOf(origin.user));
  if (!result.ok) return say(deps, origin.chatId, `Not edited: ${result.error}`);
  await showDraft(deps, origin.chatId, result.value, `Edited ${storyId}. The new preview:`);
}

/** Asks the editor for the replacement text of a story (after `/edit <id>` or the Edit button). */
export async function askForEdit(deps: BotDeps, origin: CommandOrigin, storyId: string): Promise<void> {
  const view = await deps.desk.view(storyId);
  if (!view.ok) return say(deps, origin.chatId, view.error);
  deps.pending.set(origin.user.id, origin.chatId, { kind: 'edit', storyId });
  await say(deps, origin.chatId, editQuestion(storyId, view.value.story.title), ANSWER_REPLY);
}

/** `/edit [id] …`; without an id, the chat's current draft. */
export async function editCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  // Without an id, `title …`/`body …` (or nothing) is the draft's; other text may be a mistyped id.
  const target = await storyTarget(
    deps,
    origin.chatId,
    payload,
    (p) => p === '' || /^(title|body)\b/i.test(p),
  );
  if (!target) return;
  const args = parseEditArgs(target.implicit ? `${target.id} ${target.rest}` : payload);
  if (!args.ok) return say(deps, origin.chatId, args.error);
  const storyId = target.id;
  if (args.changes === undefined) return askForEdit(deps, origin, storyId);
  deps.pending.clear(origin.user.id, origin.chatId);
  await applyEdit(deps, origin, storyId, args.changes);
}

/** `/digest` previews today's digest; `/digest send` publishes it. */
export async function digestCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  const word = payload.trim().toLowerCase();
  if (word !== '' && word !== 'send' && word !== 'preview') {
    return say(
      deps,
      origin.chatId,
      "Use /digest to preview today's digest, or /digest send to publish it now.",
    );
  }
  const actor = actorOf(origin.user);
  if (word === 'send') {
    const sent = await deps.desk.digest('send', actor);
    if (!sent.ok) return say(deps, origin.chatId, `Digest not sent: ${sent.error}`);
    return say(
      deps,
      origin.chatId,
      `Digest of ${sent.value.storyIds.length} stories sent ${byLine(deps, actor)}.`,
    );
  }
  const preview = await deps.desk.digest('preview', actor);
  if (!preview.ok) return say(deps, origin.chatId, `No digest: ${preview.error}`);
  for (const call of preview.value.rendered.telegram)
    await deps.outbox.payload(origin.chatId, channelPreview(call));
  await say(
    deps,
    origin.chatId,
    `Today's digest: ${preview.value.storyIds.length} stories (${preview.value.storyIds.join(', ')}). Send it now?`,
    digestKeyboard(),
  );
}

/** `/whoami`. */
export async function whoamiCommand(deps: BotDeps, origin: CommandOrigin): Promise<void> {
  const decision = await deps.access({ userId: origin.user.id, chatId: origin.chatId });
  const name = actorOf(origin.user).name;
  const role = decision.allowed
    ? 'an editor: you can queue, schedule, edit and cancel stories'
    : 'not an editor: you can read /help but not change anything';
  await say(deps, origin.chatId, `You are ${name}, Telegram id ${origin.user.id}. You are ${role}.`);
}

const ANSWER_LINK = { force_reply: true, input_field_placeholder: 'https://x.com/…/status/…' } as const;

/** Mark as posted on X: asks the editor for the post's link, answered in {@link plainMessage}. */
export async function askForPostedLink(
  deps: BotDeps,
  origin: CommandOrigin,
  storyId: string,
  destination: string,
  alert?: { readonly chatId: number; readonly messageId: number; readonly text: string },
): Promise<void> {
  deps.pending.set(origin.user.id, origin.chatId, {
    kind: 'posted-link',
    storyId,
    destination,
    ...(alert ? { alert } : {}),
  });
  await say(deps, origin.chatId, postedLinkQuestion(storyId, destination), ANSWER_LINK);
}

/** The editor's answer to {@link askForPostedLink}: the desk records it, or says why not (asked again). */
async function markPostedWithLink(
  deps: BotDeps,
  origin: CommandOrigin,
  pending: Extract<PendingInput, { kind: 'posted-link' }>,
  text: string,
): Promise<void> {
  const actor = actorOf(origin.user);
  const ref = text.trim();
  const result = await deps.desk.markPosted(pending.storyId, pending.destination, actor, ref || undefined);
  if (!result.ok) {
    await say(deps, origin.chatId, `Not marked as posted: ${result.error}`);
    return askForPostedLink(deps, origin, pending.storyId, pending.destination, pending.alert);
  }
  const outcome = `Marked as posted on ${pending.destination} ${byLine(deps, actor)}`;
  const alert = pending.alert;
  if (alert && deps.once.claim(`${alert.chatId}:${alert.messageId}`, actor.name) === undefined) {
    await deps.outbox.editText(alert.chatId, alert.messageId, withOutcome(alert.text, outcome));
  }
  await say(
    deps,
    origin.chatId,
    [`${outcome}:`, ...whenLines(result.value, deps.desk.timeZone())].join('\n'),
  );
}
