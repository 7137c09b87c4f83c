import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { isStoryId } from '../domain/story.js';
import { ConfigError, InputError } from '../errors/input-error.js';
import { postFlagsLine } from '../format/post-flags-text.js';
import { render } from '../format/render.js';
import { readStoryFile, type StoryFile } from '../format/story-input.js';
import { pricedThread } from '../format/x-cost-example.js';
import type { Desk, WhenRequest } from '../ports/desk.js';
import { readEmbargoFlag, withEmbargo } from './embargo-flag.js';
import { formatStatus } from './format-status.js';
import { choosePostFlags, POST_FLAG_OPTIONS } from './post-flag-options.js';
import { USAGE } from './usage.js';

/** Where the CLI writes; injectable so tests run it in-process. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
  /** Asks the person at a terminal a yes/no question; absent when stdin is not a TTY. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

// Every command answers in a fraction of a second from the build, so only what a command needs is loaded:
// Redis, BullMQ and the desk (hundreds of ms of module loading) are imported by the commands that use them.

// Story files larger than this are refused before being read.
const MAX_STORY_FILE_BYTES = 1_000_000;

/** Runs one CLI command; resolves to the process exit code (0 ok, 1 failure, 2 bad input or config). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'render':
        return await renderCommand(rest, io);
      case 'queue':
        return await queueCommand(rest, io);
      case 'status':
        return await statusCommand(rest, io);
      case 'cost':
        return await costCommand(rest, io);
      case 'correct':
        return await correctCommand(rest, io);
      case 'retract':
        return await retractCommand(rest, io);
      case 'update':
        return await updateCommand(rest, io);
      case 'live':
      case 'close':
        return await liveCommand(command, rest, io);
      case 'start':
        // The server owns the process from here (signals, exit codes): see src/main.ts.
        await import('../main.js');
        return await new Promise<number>(() => undefined);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new InputError(`unknown command "${command}"; try: regwire help`);
    }
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`regwire: ${err.message}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(`regwire: ${err.message}`);
      return 2;
    }
    io.err(`regwire: ${(err as Error)?.message ?? String(err)}`);
    return 1;
  }
}

function parse(args: readonly string[], options: ParseArgsConfig['options'] = {}) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InputError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

async function readStory(file: string | undefined, config: Config): Promise<StoryFile> {
  if (!file) throw new InputError('missing <story-file>');
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new InputError(`${file}: is not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > MAX_STORY_FILE_BYTES)
    throw new InputError(`${file}: is ${size} bytes; a story file is at most 1 MB`);
  const bytes = await readFile(file);
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${file}: is not UTF-8 text`);
  }
  return readStoryFile(path.basename(file), content, config.format);
}

async function renderCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args);
  if (positionals.length > 1) throw new InputError('render takes one <story-file>');
  const config = loadConfig(io.env ? { env: io.env } : {});
  const { story } = await readStory(positionals[0], config);
  const rendered = render(story, config.format);
  // Each X part gains its `cost`, and `xCost` the thread's total: fields added, none changed.
  io.out(JSON.stringify({ ...rendered, ...pricedThread(rendered, config.xBilling.pricing) }, null, 2));
  return 0;
}

async function costCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, { stories: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 1) throw new InputError('cost takes one <story-file>');
  const config = loadConfig(io.env ? { env: io.env } : {});
  const { story } = await readStory(positionals[0], config);
  const { costReport, storiesPerDay } = await import('./cost-command.js');
  const stories = storiesPerDay(typeof values.stories === 'string' ? values.stories : undefined);
  const { pricing } = config.xBilling;
  const readLimit = config.delivery.reconcileReadLimit;
  io.out(costReport(story, config.format, pricing, stories, readLimit, values.json === true));
  return 0;
}

/** Runs `fn` with the desk over the configured Redis (reached first, to fail with one clear line). */
async function withDesk<T>(config: Config, now: () => number, fn: (desk: Desk) => Promise<T>): Promise<T> {
  const [{ createRedis }, { createDeskServices }, { silentLogger }] = await Promise.all([
    import('../adapters/redis/redis-connection.js'),
    import('../app/desk-services.js'),
    import('../util/logger.js'),
  ]);
  // The parsed connection, not the one-string form: it carries a Sentinel's own password too.
  const redis = createRedis(config.redis, 'cli', { failFast: true });
  redis.on('error', () => undefined);
  try {
    await redis.ping().catch(() => {
      throw new Error(`cannot reach Redis at ${redactUrl(config.redisUrl)}; is it running?`);
    });
    const services = createDeskServices(config, redis, silentLogger, { now });
    try {
      return await fn(services.desk);
    } finally {
      await services.close();
    }
  } finally {
    redis.disconnect();
  }
}

/** An update's text: the one file named (a plain text file), or the words given. */
async function readUpdateText(words: readonly string[]): Promise<string> {
  const [only] = words;
  const isFile =
    words.length === 1 &&
    only !== undefined &&
    (await stat(only).then(
      (s) => s.isFile(),
      () => false,
    ));
  if (!isFile) return words.join(' ');
  const size = (await stat(only)).size;
  if (size > MAX_STORY_FILE_BYTES)
    throw new InputError(`${only}: is ${size} bytes; an update is at most 1 MB`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readFile(only));
  } catch {
    throw new InputError(`${only}: is not UTF-8 text`);
  }
}

async function updateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, { yes: { type: 'boolean' } });
  const [id, ...words] = positionals;
  if (!id || words.length === 0) throw new InputError('update takes <story-id> <text-file | text…>');
  if (!isStoryId(id)) throw new InputError(`"${id}" is not a story id (8 letters and digits, e.g. k3f9x2ab)`);
  const text = await readUpdateText(words);
  const config = loadConfig(io.env ? { env: io.env } : {});
  return withDesk(config, io.now ?? Date.now, async (desk) => {
    const { updateStory } = await import('./amendment-commands.js');
    io.out(await updateStory(desk, id, text, { yes: values.yes === true, confirm: io.confirm }, io.err));
    return 0;
  });
}

async function liveCommand(command: 'live' | 'close', args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args);
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new InputError(`${command} takes one <story-id>`);
  if (!isStoryId(id)) throw new InputError(`"${id}" is not a story id (8 letters and digits, e.g. k3f9x2ab)`);
  const config = loadConfig(io.env ? { env: io.env } : {});
  return withDesk(config, io.now ?? Date.now, async (desk) => {
    const { setLive } = await import('./amendment-commands.js');
    io.out(await setLive(desk, id, command === 'live', io.err));
    return 0;
  });
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

async function queueCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, {
    now: { type: 'boolean' },
    breaking: { type: 'boolean' },
    at: { type: 'string' },
    embargo: { type: 'string' },
    ...POST_FLAG_OPTIONS,
  });
  if (positionals.length > 1) throw new InputError('queue takes one <story-file>');
  // Refused before the file is read or Redis asked: --silent --loud says nothing that can be done.
  choosePostFlags(values, {});
  const chosen = [values.now, values.breaking, values.at !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new InputError('give at most one of --now, --breaking, --at');
  const now = io.now ?? Date.now;
  let when: WhenRequest = { mode: 'next-slot' };
  if (values.now) when = { mode: 'now' };
  if (values.breaking) when = { mode: 'breaking' };
  if (typeof values.at === 'string') {
    const atMs = Date.parse(values.at);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(values.at) || Number.isNaN(atMs)) {
      throw new InputError(`--at "${values.at}" is not an ISO time; e.g. --at 2026-12-01T08:30:00+01:00`);
    }
    if (atMs < now() - 60_000) throw new InputError(`--at ${values.at} is in the past`);
    when = { mode: 'at', atMs };
  }
  const embargoMs = typeof values.embargo === 'string' ? readEmbargoFlag(values.embargo, now()) : undefined;
  const config = loadConfig(io.env ? { env: io.env } : {});
  // The desk puts the story's embargo on every publication, so the flag joins the story before it.
  const file = await readStory(positionals[0], config);
  const post = choosePostFlags(values, file.post);
  const setsPost = post.silent !== undefined || post.protectContent !== undefined;
  if (setsPost && !config.destinations.some((d) => d.platform === 'telegram'))
    throw new InputError(
      '--silent, --loud, --protect and --unprotected are for Telegram; none is configured',
    );
  const { story, note } = withEmbargo(file.story, embargoMs);
  return withDesk(config, now, async (desk) => {
    const actor = { kind: 'cli', name: 'cli' } as const;
    // Run again after a queue that stopped before scheduling (a crash, Redis gone), the same file takes
    // the story up again rather than leaving it stored and never sent.
    const drafted = await desk.draftStory(story, actor, {
      action: 'queued from the CLI',
      resumeUnscheduled: true,
    });
    if (!drafted.ok) throw new InputError(drafted.error);
    // The bot's /quiet and /protect use case, while the story is still a draft (nothing can be going out).
    if (setsPost) {
      const flagged = await desk.setPostFlags(story.id, post, actor);
      if (!flagged.ok)
        throw new InputError(
          `stored ${story.id} as a draft but could not set how it is sent: ${flagged.error}`,
        );
    }
    const scheduled = await desk.schedule(story.id, when, actor);
    if (!scheduled.ok)
      throw new InputError(`stored ${story.id} as a draft but could not schedule it: ${scheduled.error}`);
    io.out(story.id);
    if (note) io.err(note);
    if (story.embargoUntil) io.err(`embargoed until ${story.embargoUntil}: nothing goes out before it`);
    if (setsPost) io.err(`on Telegram: ${postFlagsLine(post)}`);
    for (const { id } of config.destinations) {
      const d = scheduled.value.destinations.find((p) => p.destination === id);
      if (d?.atMs === undefined) continue;
      io.err(
        `${id}: due ${new Date(d.atMs).toISOString()}${d.reason ? ` — ${d.reason}` : ''}${d.moved ? ` — ${d.moved}` : ''}`,
      );
    }
    return 0;
  });
}

async function statusCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args);
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new InputError('status takes one <story-id>');
  // Checked here, not by the desk (which also takes upper case): a bad id is refused before Redis is asked.
  if (!isStoryId(id)) throw new InputError(`"${id}" is not a story id (8 letters and digits, e.g. k3f9x2ab)`);
  const config = loadConfig(io.env ? { env: io.env } : {});
  return withDesk(config, io.now ?? Date.now, async (desk) => {
    const view = await desk.view(id);
    if (!view.ok) throw new InputError(view.error);
    io.out(formatStatus(view.value));
    return 0;
  });
}

async function correctCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, { note: { type: 'string' }, yes: { type: 'boolean' } });
  const [id, file] = positionals;
  if (!id || !file || positionals.length > 2) throw new InputError('correct takes <story-id> <story-file>');
  if (!isStoryId(id)) throw new InputError(`"${id}" is not a story id (8 letters and digits, e.g. k3f9x2ab)`);
  const config = loadConfig(io.env ? { env: io.env } : {});
  // A correction edits the post: how it was sent ("silent", "protect" in the file) cannot change.
  const { story: corrected } = await readStory(file, config);
  const note = typeof values.note === 'string' ? values.note : 'the story was updated';
  return withDesk(config, io.now ?? Date.now, async (desk) => {
    const { correctStory } = await import('./amendment-commands.js');
    const how = { yes: values.yes === true, confirm: io.confirm };
    io.out(await correctStory(desk, id, corrected, note, how, io.err));
    return 0;
  });
}

async function retractCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, { reason: { type: 'string' }, yes: { type: 'boolean' } });
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new InputError('retract takes one <story-id> and --reason <text>');
  if (!isStoryId(id)) throw new InputError(`"${id}" is not a story id (8 letters and digits, e.g. k3f9x2ab)`);
  if (typeof values.reason !== 'string' || values.reason.trim() === '') {
    throw new InputError('retract needs --reason <text>: followers are told why');
  }
  const reason = values.reason;
  const config = loadConfig(io.env ? { env: io.env } : {});
  return withDesk(config, io.now ?? Date.now, async (desk) => {
    const { retractStory } = await import('./amendment-commands.js');
    const how = { yes: values.yes === true, confirm: io.confirm };
    io.out(await retractStory(desk, id, reason, how, io.err));
    return 0;
  });
}
