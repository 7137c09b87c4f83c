/** One bot command: registered with setMyCommands and listed by /help. */
export interface BotCommandHelp {
  readonly command: string;
  /** Shown in Telegram's command menu (at most 256 characters). */
  readonly description: string;
  readonly example: string;
}

/** Every command the editor bot answers, in the order /help lists them. */
export const BOT_COMMANDS: readonly BotCommandHelp[] = [
  {
    command: 'queue',
    description: 'Queue a story as a draft and preview it',
    example: '/queue https://example.com/sec-rule Optional text',
  },
  {
    command: 'schedule',
    description: 'Schedule a story (optionally per destination)',
    example:
      '/schedule k3m9x2qa tomorrow 09:00 (or 14:30, 9am, 21h, 9.30, in 2h, 2026-12-01 08:00, tg next, x now); /schedule tomorrow 9 for the last draft',
  },
  { command: 'list', description: 'Upcoming publications per destination', example: '/list' },
  { command: 'status', description: "A story's state, links and history", example: '/status k3m9x2qa' },
  { command: 'now', description: 'Publish a story now', example: '/now k3m9x2qa' },
  {
    command: 'embargo',
    description: 'Hold a story until a time on every destination (or lift it with off)',
    example: '/embargo k3m9x2qa tomorrow 09:00 (or 2026-12-08 09:00, in 3h, off)',
  },
  { command: 'cancel', description: 'Cancel what is not yet published', example: '/cancel k3m9x2qa' },
  { command: 'retry', description: 'Publish again what failed', example: '/retry k3m9x2qa' },
  {
    command: 'edit',
    description: 'Replace the title or body and preview again',
    example: '/edit k3m9x2qa title New headline',
  },
  { command: 'digest', description: "Preview (or send) today's digest", example: '/digest or /digest send' },
  {
    command: 'link',
    description: "Where a story's link goes on X (last, first, reply, none), and what that costs",
    example: '/link k3m9x2qa reply',
  },
  { command: 'spend', description: 'What X cost today and this month, and the budget', example: '/spend' },
  {
    command: 'quiet',
    description: "Send a story's channel post silently (on), or with a sound even in quiet hours (off)",
    example: '/quiet k3m9x2qa on',
  },
  {
    command: 'protect',
    description: "Protect a story's channel post from forwarding and saving (on|off)",
    example: '/protect k3m9x2qa on',
  },
  {
    command: 'correct',
    description: 'Correct a published story: preview the edit and the reply, then Confirm',
    example: '/correct k3m9x2qa the vote was 3-2, not 4-1',
  },
  {
    command: 'retract',
    description: 'Retract a published story: preview the deletions (or notice), then Confirm',
    example: '/retract k3m9x2qa the approval did not happen',
  },
  {
    command: 'update',
    description: 'Add a development to a published story: a reply to the post, the thread continued on X',
    example: '/update k3m9x2qa the exchange said it will appeal',
  },
  {
    command: 'live',
    description: 'Mark a published story live and pin its channel post',
    example: '/live k3m9x2qa',
  },
  {
    command: 'close',
    description: "End a story's live state and unpin its post",
    example: '/close k3m9x2qa',
  },
  {
    command: 'corrections',
    description: 'Corrections, retractions and updates, newest first',
    example: '/corrections',
  },
  {
    command: 'approve',
    description: "Approve another editor's story (two-person rule)",
    example: '/approve k3m9x2qa',
  },
  { command: 'pending', description: 'Stories waiting for a second editor', example: '/pending' },
  { command: 'whoami', description: 'Your Telegram id and whether you are an editor', example: '/whoami' },
  { command: 'help', description: 'What this bot does and every command', example: '/help' },
];

/** /start and /help: what the bot does and every command with an example. */
export function helpText(isEditor: boolean): string {
  const lines = [
    'regwire editor bot: queue, preview, schedule, edit and cancel stories for the Telegram channel and X.',
    'Paste an article (title on the first line) or forward a channel post to queue it as a draft; the preview shows exactly what followers will see.',
    'Leave the story id out and a command acts on the draft previewed last in this chat (/schedule tomorrow 9, /now, /status); the answer names it.',
    '',
    ...BOT_COMMANDS.map((c) => `/${c.command} — ${c.description}\n   ${c.example}`),
  ];
  if (!isEditor) lines.push('', 'You are not an editor, so you can read this help but not change anything.');
  return lines.join('\n');
}
