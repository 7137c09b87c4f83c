/** The CLI's help text. */
export const USAGE = `regwire — the distribution desk: stories to a Telegram channel and X threads.

Usage: regwire <command> [options]

Commands:
  render <story-file>                 Print the story's channel post and X thread as JSON; touches nothing.
                                      Each X part carries its cost; xCost is the thread's total.
  cost [--stories <n>] [--json] <story-file>
                                      What the story costs on X under each link policy, and n such
                                      stories a day (default 40), at the configured prices.
  queue <story-file> [--now | --breaking | --at <ISO time>] [--embargo <ISO time>]
        [--silent | --loud] [--protect | --unprotected]
                                      Queue the story (default: each destination's next free slot);
                                      prints its id on stdout and the plan on stderr.
                                      --embargo: nothing goes out before it, on any destination
                                      (an ISO time with its offset, e.g. 2026-12-08T09:00:00+01:00);
                                      with an "embargo" in the story file too, the later one holds.
                                      --silent: the channel post makes no sound; --loud: it does,
                                      even in quiet hours. --protect: it cannot be forwarded or
                                      saved; --unprotected: it can. Without them, the story file's
                                      "silent"/"protect", else the destination's defaults.
  status <story-id>                   Show where each part of a story stands on each destination, and
                                      how its channel post goes out when the story chose.
  correct <story-id> <story-file> [--note <text>] [--yes]
                                      Correct a published story: its channel post is edited into the
                                      corrected story's, with "Corrected HH:MM UTC: <note>"; "Correction:
                                      <note>" is posted under the X thread's first tweet. The preview (a
                                      word diff, [-removed-] {+added+}) is printed first; nothing is sent
                                      without --yes or a yes at the terminal. Prints its id.
  retract <story-id> --reason <text> [--yes]
                                      Retract a published story: its channel post is deleted (edited into a
                                      notice once 48 hours old) and its X thread deleted. Previewed first;
                                      sent with --yes or a yes at the terminal. Prints its id.
  update <story-id> <text-file | text…> [--yes]
                                      Add a development to a published story: a reply to its channel
                                      post and the X thread continued from its last tweet. Printed on
                                      stderr first; sent with --yes or a y at a terminal. Prints its id.
  live <story-id> | close <story-id>  Pin the story's channel post while it is live; unpin it.
  start [--role all|worker|web|bot]   Run regwire (what npm start runs); workers scale out on one Redis.
  help                                This text.

Story files: .json ({"title","body","url"?,"source"?,"publishedAt"?,"imageUrl"?,"tags"?,"embargo"?,
"silent"?,"protect"?}) or plain text (first non-empty line is the title, the rest the body, a last line
that is only a URL is the url). "embargo" is an ISO time with its offset before which nothing is
published; "silent" and "protect" (true or false) are queue's flags, which win over them.

Exit codes: 0 ok, 1 unexpected failure, 2 bad input or configuration (one line on stderr says why).`;
