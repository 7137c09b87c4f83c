import { postFlagsLine } from '../format/post-flags-text.js';
import { actorOf, type BotDeps, say } from './bot-deps.js';
import type { CommandOrigin } from './command-handlers.js';
import { storyTarget, targetName } from './current-draft.js';

const SWITCH = /^(on|off)$/i;

async function setFlag(
  deps: BotDeps,
  origin: CommandOrigin,
  payload: string,
  flag: 'silent' | 'protectContent',
): Promise<void> {
  const command = flag === 'silent' ? 'quiet' : 'protect';
  const target = await storyTarget(deps, origin.chatId, payload, (p) => SWITCH.test(p.trim()));
  if (!target) return;
  const word = target.rest.trim().toLowerCase();
  if (!SWITCH.test(word)) return say(deps, origin.chatId, `Usage: /${command} [id] on|off`);
  const result = await deps.desk.setPostFlags(target.id, { [flag]: word === 'on' }, actorOf(origin.user));
  if (!result.ok) return say(deps, origin.chatId, `Not changed: ${result.error}`);
  await say(deps, origin.chatId, `${targetName(target)} on Telegram: ${postFlagsLine(result.value)}.`);
}

/** `/quiet <id> on|off`: the story's channel post goes without a sound (`disable_notification`), or rings. */
export function quietCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  return setFlag(deps, origin, payload, 'silent');
}

/** `/protect <id> on|off`: the story's channel post cannot be forwarded or saved (`protect_content`), or can. */
export function protectCommand(deps: BotDeps, origin: CommandOrigin, payload: string): Promise<void> {
  return setFlag(deps, origin, payload, 'protectContent');
}
