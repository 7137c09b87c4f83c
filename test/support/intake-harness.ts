import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { App } from '../../src/app/start-app.js';
import { DEFAULT_CONFIG_DIR } from '../../src/config/load-config.js';
import type { StandInMessage, TelegramStandIn } from '../../src/standins/telegram/index.js';
import type { XStandIn, XStandInThread } from '../../src/standins/x/index.js';
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
