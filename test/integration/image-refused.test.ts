import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../../harness/redis.js';
import type { App } from '../../src/app/start-app.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn } from '../../src/sandbox/standins/x/index.js';
import { type StandInApp, startStandInApp } from '../support/stand-in-app.js';
import { waitFor } from '../support/wait-for.js';

// "An image that cannot be fetched or is refused never blocks the text": Telegram downloads a photo URL
// itself and may refuse it at send time, long after intake checked the image.
describe('a photo Telegram refuses at send time', () => {
  let telegram: TelegramStandIn;
  let rig: StandInApp | undefined;
  let app: App;
  const prefix = uniquePrefix('photo');

  beforeAll(async () => {
    telegram = await startTelegramStandIn();
    rig = await startStandInApp({ prefix, telegram, x: await startXStandIn() });
    app = rig.app;
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('posts the caption as a text message instead, once', async () => {
    const actor = { kind: 'cli', name: 'test' } as const;
    const draft = await app.services.desk.createDraft(
      {
        title: 'Dubai regulator licenses its first crypto custodian',
        body: 'VARA granted the licence on Monday. Custodians must keep client assets segregated.',
        url: 'https://news.example.ae/vara-custody',
        imageUrl: 'https://img.example.invalid/vara.jpg',
      },
      actor,
    );
    if (!draft.ok) throw new Error(draft.error);
    const first = draft.value.rendered.telegram[0];
    expect(first?.method).toBe('sendPhoto');
    const caption = first?.method === 'sendPhoto' ? first.caption : '';
    await app.services.desk.schedule(draft.value.story.id, { mode: 'now' }, actor, ['telegram']);

    await waitFor(
      async () =>
        (await app.services.store.publications(draft.value.story.id)).find(
          (p) => p.destination === 'telegram',
        )?.state === 'published',
      { what: 'the telegram publication' },
    );
    const posted = telegram.messages('@regwire_sandbox');
    expect(posted).toHaveLength(draft.value.rendered.telegram.length);
    expect(posted[0]?.photo).toBeUndefined();
    expect(posted[0]?.text).toBe(caption);
    expect(telegram.calls('sendPhoto')).toHaveLength(1);
  });
});
