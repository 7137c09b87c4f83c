import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, keyboardMessage, startHarness } from './editor-bot-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const story = (url: string) =>
  [
    'SEC sues exchange over unregistered staking',
    '',
    'The regulator says the exchange ran an unregistered staking programme for years, and asks the court to stop it.',
    '',
    url,
  ].join('\n');

// The preview says, before anything is sent, what X would refuse or mangle in the thread.
describe('editor bot: pre-flight in the preview', () => {
  it('says when there is nothing X would refuse', async () => {
    harness = await startHarness();
    const preview = keyboardMessage(
      await harness.say(`/queue ${story('https://news.example.com/sec')}`, { expect: 3 }),
    );
    expect(preview.text).toContain('Pre-flight on X: nothing X would refuse.');
  });

  it('flags a link X does not recognise, in the tweet that holds it', async () => {
    harness = await startHarness();
    const preview = keyboardMessage(
      await harness.say(`/queue ${story('https://news.local/sec')}`, { expect: 3 }),
    );
    expect(preview.text).toMatch(
      /⚠️ Pre-flight on X: one problem to fix before it goes out \(\/edit\):\n• tweet \d+: the link https:\/\/news\.local\/sec is not a URL X recognises; it would go out as plain text, not a link/,
    );
  });
});
