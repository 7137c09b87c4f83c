import type { TelegramPayload } from '../domain/rendered.js';
import { X_LIMITS } from '../format/limits.js';
import { threadCost, type XPricing } from '../format/x-cost.js';
import { costLine } from '../format/x-cost-example.js';
import { xWeight } from '../format/x-length.js';
import type { XPreflightProblem } from '../format/x-preflight.js';
import type { DestinationPlan, StoryView, XLinkChoice } from '../ports/desk.js';
import { describeInstant } from '../schedule/describe-instant.js';
import { splitMessage } from './split-message.js';

/** Labels editors see for a destination's state. */
const STATE_LABELS: Readonly<Record<DestinationPlan['state'], string>> = {
  draft: 'draft',
  scheduled: 'scheduled',
  publishing: 'publishing',
  published: 'published',
  failed: 'FAILED',
  'needs-attention': 'NEEDS ATTENTION',
  cancelled: 'cancelled',
};

/** Editor-readable state of one destination. */
export function stateLabel(state: DestinationPlan['state']): string {
  return STATE_LABELS[state];
}

/** The channel post as followers will see it, for sending to the editor: without its buttons. */
export function channelPreview(payload: TelegramPayload): TelegramPayload {
  if (payload.method === 'sendMessage') {
    const { reply_markup: _markup, ...rest } = payload;
    return rest;
  }
  const { reply_markup: _markup, ...rest } = payload;
  return rest;
}

/** Each tweet with its number and weighted length, e.g. "1/4 · 212/280". */
export function threadLines(tweets: readonly { readonly text: string }[]): string[] {
  return tweets.map(
    (tweet, i) =>
      `${i + 1}/${tweets.length} · ${xWeight(tweet.text)}/${X_LIMITS.weightedLength}\n${tweet.text}`,
  );
}

/** When each destination would publish (or is due), one line each. */
export function whenLines(view: StoryView, timeZone: string): string[] {
  const would = new Map((view.wouldPublish ?? []).map((w) => [w.destination, w]));
  return view.destinations.map((plan) => {
    const preview = plan.state === 'draft' ? would.get(plan.destination) : undefined;
    const atMs = preview?.atMs ?? plan.atMs;
    const time = atMs === undefined ? 'not scheduled' : describeInstant(atMs, timeZone);
    const reason = preview?.reason ?? plan.reason;
    const state = plan.state === 'draft' ? 'next slot' : stateLabel(plan.state);
    const moved = plan.moved ? ` (moved: ${plan.moved})` : '';
    return `• ${plan.destination} [${state}]: ${time}${reason ? ` — ${reason}` : ''}${moved}`;
  });
}

/** "Embargoed until Tue 8 Dec 2026, 09:00 (Europe/Berlin)": nothing of the story goes out before then. */
export function embargoLine(untilMs: number, timeZone: string): string {
  return `Embargoed until ${describeInstant(untilMs, timeZone)}`;
}

/**
 * The story's embargo: one line when every destination has the same, else one per destination that has
 * one (an embargo set after a destination went out is not on that one). Empty when there is none.
 */
export function embargoLines(view: StoryView, timeZone: string): string[] {
  const held = view.destinations.filter((plan) => plan.embargoUntilMs !== undefined);
  const first = held[0]?.embargoUntilMs;
  if (first === undefined) return [];
  if (held.length === view.destinations.length && held.every((plan) => plan.embargoUntilMs === first)) {
    return [embargoLine(first, timeZone)];
  }
  return held.map((plan) => `${embargoLine(plan.embargoUntilMs ?? first, timeZone)} (${plan.destination})`);
}

/** The pre-flight's verdict on the thread: what X would refuse, or that there is nothing. */
export function preflightText(problems: readonly XPreflightProblem[]): string {
  if (problems.length === 0) return 'Pre-flight on X: nothing X would refuse.';
  return [
    `⚠️ Pre-flight on X: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`} to fix before it goes out (/edit):`,
    ...problems.map((p) => `• ${p.message}`),
  ].join('\n');
}

/**
 * What each link policy makes of the story's thread on X, the current one ticked:
 * "✓ last: 6 tweets · $0.275 · link in tweet 6" (without `pricing`: the tweets only).
 */
export function linkChoiceLines(choices: readonly XLinkChoice[], pricing?: XPricing): string[] {
  return choices.map(({ link, current, x }) => {
    const cost = pricing ? threadCost(x, pricing) : undefined;
    const summary = cost
      ? costLine(x.length, cost.totalUsd, cost.postsWithUrl)
      : `${x.length} tweet${x.length === 1 ? '' : 's'}`;
    return `${current ? '✓' : '•'} ${link}: ${summary}`;
  });
}

/**
 * The text shown under the channel preview: the X thread numbered with weighted lengths (with what it
 * costs on X when `pricing` is given: "6 tweets · $0.275 · link in tweet 6"), what each link policy would
 * cost when `linkChoices` are given, when each destination would publish, and what hygiene changed. Split
 * into messages of at most 4096 characters; the preview's buttons go under the last one.
 */
export function previewMessages(
  view: StoryView,
  timeZone: string,
  pricing?: XPricing,
  linkChoices?: readonly XLinkChoice[],
  preflight?: readonly XPreflightProblem[],
): string[] {
  const { story, rendered } = view;
  const count = `${rendered.x.length} tweet${rendered.x.length === 1 ? '' : 's'}`;
  const cost = pricing ? threadCost(rendered.x, pricing) : undefined;
  const summary = cost ? costLine(rendered.x.length, cost.totalUsd, cost.postsWithUrl) : count;
  const sections = [
    `Preview of ${story.id}: "${story.title}"`,
    rendered.x.length > 0
      ? `X thread, ${summary}:\n\n${threadLines(rendered.x).join('\n\n')}`
      : 'X thread: nothing to post.',
    ...(preflight ? [preflightText(preflight)] : []),
    ...(linkChoices && linkChoices.length > 0
      ? [
          `Where the link goes on X (the Link buttons, or /link ${story.id} <policy>):\n${linkChoiceLines(linkChoices, pricing).join('\n')}`,
        ]
      : []),
    `When it would publish:\n${[...embargoLines(view, timeZone), ...whenLines(view, timeZone)].join('\n')}`,
    story.changes.length > 0
      ? `Cleaned on intake:\n${story.changes.map((change) => `• ${change}`).join('\n')}`
      : 'Cleaned on intake: nothing to change.',
    `Story id ${story.id}. /status ${story.id} · /schedule ${story.id} <when> · /edit ${story.id}`,
  ];
  return splitMessage(sections.join('\n\n'));
}
