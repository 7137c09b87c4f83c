import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { deletePrefix, testRedis } from '../../harness/redis.js';
import { standInEnv } from '../../harness/stand-in-env.js';
import { type App, type Roles, startApp } from '../../src/app/start-app.js';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../../src/config/load-config.js';
import type { IntakeEvent } from '../../src/ports/intake-bus.js';
import {
  type StandInMessage,
  startTelegramStandIn,
  type TelegramStandIn,
} from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn, type XStandInThread } from '../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { type FeedServer, startFeedServer } from './feed-server.js';
import { waitFor } from './wait-for.js';

/** A config folder with the repository's regwire.json and format.json and the given `sources.json`. */
export function writeIntakeConfig(sources: unknown): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-intake-'));
  for (const name of ['regwire.json', 'format.json']) {
    copyFileSync(path.join(DEFAULT_CONFIG_DIR, name), path.join(dir, name));
  }
  writeFileSync(path.join(dir, 'sources.json'), JSON.stringify(sources));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Waits for a story with an image to be out on both platforms and checks what followers see: the
 * channel post is the photo (from `imageUrl`) with the title in its caption, and the thread's first
 * tweet, only that one, carries the uploaded PNG.
 */
export async function expectPhotoPostAndImageThread(options: {
  readonly app: App;
  readonly telegram: TelegramStandIn;
  readonly x: XStandIn;
  readonly channel: string;
  readonly storyId: string;
  readonly imageUrl: string;
  readonly title: string;
}): Promise<{ post: StandInMessage | undefined; thread: XStandInThread }> {
  const { telegram, x } = options;
  const [post] = await waitFor(
    () => {
      const m = telegram.messages(options.channel);
      return m.length > 0 && m;
    },
    { what: 'the channel post' },
  );
  expect(post?.photo?.length).toBeGreaterThan(0);
  expect(post?.photoSource).toEqual({ kind: 'url', url: options.imageUrl });
  expect(post?.caption).toContain(options.title);

  const record = await options.app.services.store.get(options.storyId);
  const thread = await waitFor(
    () => {
      const t = x.threads()[0];
      return t && t.replies.length === (record?.rendered.x.length ?? 0) - 1 && t;
    },
    { what: 'the thread' },
  );
  expect(thread.root.media_ids).toHaveLength(1);
  expect(x.media()).toEqual([
    expect.objectContaining({ id: thread.root.media_ids?.[0], finalized: true, mediaType: 'image/png' }),
  ]);
  expect(thread.replies.every((t) => t.media_ids === undefined)).toBe(true);
  return { post, thread };
}

/** regwire with feed intake, on the stand-ins and a loopback feed server, collecting intake news. */
export interface IntakeRig {
  readonly telegram: TelegramStandIn;
  readonly x: XStandIn;
  readonly feeds: FeedServer;
  readonly app: App;
  /** Intake news as the desk hands it out, in order. */
  readonly events: IntakeEvent[];
  /** Stops regwire and the servers, deletes the prefix's keys and the config folder. */
  close(): Promise<void>;
}

/**
 * Starts the stand-ins and a feed server, lets `prepare` publish the first feeds and return `sources.json`,
 * then starts regwire with `roles` (and `env` on top of {@link standInEnv}) and waits until its intake news
 * reader is live.
 */
export async function startIntakeRig(options: {
  readonly prefix: string;
  readonly roles: Roles;
  readonly prepare: (feeds: FeedServer) => unknown;
  readonly env?: Record<string, string>;
  readonly privateLinks?: 'allow' | 'block';
  readonly telegramChannel?: string;
}): Promise<IntakeRig> {
  const telegram = await startTelegramStandIn();
  const x = await startXStandIn();
  const feeds = await startFeedServer();
  const redis = testRedis();
  const written = writeIntakeConfig(options.prepare(feeds));
  const events: IntakeEvent[] = [];
  let app: App | undefined;
  const close = async () => {
    await app?.close();
    await deletePrefix(redis, options.prefix);
    redis.disconnect();
    await Promise.all([telegram.close(), x.close(), feeds.close()]);
    written.remove();
  };
  try {
    const env = {
      ...standInEnv({
        prefix: options.prefix,
        configDir: written.dir,
        telegram,
        x,
        ...(options.telegramChannel ? { telegramChannel: options.telegramChannel } : {}),
        ...(options.privateLinks ? { privateLinks: options.privateLinks } : {}),
      }),
      ...options.env,
    };
    app = await startApp(loadConfig({ env }), silentLogger, { roles: options.roles });
    app.services.desk.onIntake((e) => {
      events.push(e);
    });
    await app.services.intake.whenSubscribed();
  } catch (err) {
    await close();
    throw err;
  }
  return { telegram, x, feeds, app, events, close };
}
