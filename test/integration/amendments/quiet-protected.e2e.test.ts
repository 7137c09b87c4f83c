import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TELEGRAM_SANDBOX_CHANNEL } from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { waitFor } from '../../support/wait-for.js';
import { type Harness, keyboardMessage, previewedStoryId, startHarness } from '../bot/editor-bot-harness.js';

// Quiet and protected channel posts: /quiet and /protect per story, the destination's defaults in
// regwire.json, and quiet hours that mean "send silently". What Telegram received is read back from the
// stand-in's inspection API over HTTP, as any client of it would.

let harness: Harness | undefined;
let xStandIn: XStandIn | undefined;
let dir: string | undefined;

afterEach(async () => {
  await harness?.close();
  await xStandIn?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  harness = undefined;
  xStandIn = undefined;
  dir = undefined;
});

const article = (n: number) =>
  [
    `Regulator ${n} publishes its stablecoin rulebook`,
    '',
    `The regulator published rulebook number ${n} on Tuesday, after a year of consultation with the industry.`,
    '',
    `https://example.com/rulebook-${n}`,
  ].join('\n');

interface ChannelMessage {
  readonly message_id: number;
  readonly text?: string;
  readonly disable_notification?: true;
  readonly protect_content?: true;
}

/** The channel's messages as the stand-in's inspection API gives them. */
async function channel(h: Harness): Promise<ChannelMessage[]> {
  const chat = encodeURIComponent(String(TELEGRAM_SANDBOX_CHANNEL.id));
  const res = await fetch(`${h.standIn.apiRoot}_standin/messages?chat=${chat}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: ChannelMessage[] }).messages;
}

/** Queues an article, applies `commands` to it, posts it now and returns its channel post. */
async function post(h: Harness, n: number, commands: readonly string[] = []): Promise<ChannelMessage> {
  const keyboard = keyboardMessage(await h.say(`/queue ${article(n)}`, { expect: 3 }));
  const storyId = previewedStoryId(keyboard);
  for (const command of commands) await h.say(`/${command.replace('<id>', storyId)}`);
  await h.press(keyboard, 'Post now');
  await waitFor(async () => (await h.stateOf(storyId, 'telegram')) === 'published', {
    what: `story ${n} on the channel`,
    timeoutMs: 20_000,
  });
  const found = (await channel(h)).find((m) => m.text?.startsWith(`Regulator ${n} `));
  if (!found) throw new Error(`story ${n} is not on the channel`);
  return found;
}

const flags = (m: ChannelMessage) => ({
  silent: m.disable_notification === true,
  protected: m.protect_content === true,
});

describe('quiet and protected channel posts', () => {
  it('/quiet and /protect set how one story goes out; once it is out they are refused', async () => {
    xStandIn = await startXStandIn();
    harness = await startHarness({ publishTo: { x: xStandIn } });
    const h = harness;

    const plain = await post(h, 1);
    expect(flags(plain)).toEqual({ silent: false, protected: false });

    const keyboard = keyboardMessage(await h.say(`/queue ${article(2)}`, { expect: 3 }));
    const storyId = previewedStoryId(keyboard);
    const [quiet] = await h.say(`/quiet ${storyId} on`);
    expect(quiet?.text).toContain('sent silently (no sound)');
    const [protect] = await h.say(`/protect ${storyId} on`);
    expect(protect?.text).toContain('sent silently (no sound); protected (cannot be forwarded or saved)');
    const [usage] = await h.say(`/quiet ${storyId} maybe`);
    expect(usage?.text).toBe('Usage: /quiet [id] on|off');
    await h.press(keyboard, 'Post now');
    await waitFor(async () => (await h.stateOf(storyId, 'telegram')) === 'published', {
      what: 'the quiet story on the channel',
      timeoutMs: 20_000,
    });
    const sent = (await channel(h)).find((m) => m.text?.startsWith('Regulator 2 '))!;
    expect(flags(sent)).toEqual({ silent: true, protected: true });

    const [late] = await h.say(`/protect ${storyId} off`);
    expect(late?.text).toContain('Not changed:');
    expect(late?.text).toContain('already out');
    const [status] = await h.say(`/status ${storyId}`);
    expect(status?.text).toContain('Telegram sent silently: on');
    expect(status?.text).toContain('Telegram protected: on');
  });

  it("a destination's defaults and quiet hours that mean 'send silently'; a story's own choice wins", async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'regwire-quiet-'));
    await cp('config', dir, { recursive: true });
    const file = path.join(dir, 'regwire.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as {
      destinations: Record<string, { schedule: Record<string, unknown> } & Record<string, unknown>>;
    };
    // Quiet hours around now (UTC), meaning "send silently": slots inside them are fine.
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const quietHours = {
      start: hhmm(Date.now() - 3_600_000),
      end: hhmm(Date.now() + 3 * 3_600_000),
      during: 'silent',
    };
    const telegram = config.destinations.telegram!;
    config.destinations.telegram = {
      ...telegram,
      post: { silent: false, protectContent: true },
      schedule: { ...telegram.schedule, timeZone: 'UTC', quietHours, slots: [hhmm(Date.now())] },
    };
    await writeFile(file, JSON.stringify(config));
    xStandIn = await startXStandIn();
    harness = await startHarness({ publishTo: { x: xStandIn }, env: { REGWIRE_CONFIG_DIR: dir } });
    const h = harness;

    expect(flags(await post(h, 3))).toEqual({ silent: true, protected: true });
    // Breaking news at night rings; a story meant to be shared can be forwarded.
    expect(flags(await post(h, 4, ['quiet <id> off', 'protect <id> off']))).toEqual({
      silent: false,
      protected: false,
    });
  });
});
