import { describe, expect, it } from 'vitest';
import { decodeCallback, encodeCallback } from '../../../src/bot/callback-data.js';
import { updateKeyboard } from '../../../src/bot/live-story-commands.js';

describe("an update preview's buttons", () => {
  it('Send update and Discard carry the story and the update, and decode back', () => {
    const [row] = updateKeyboard('k3m9x2qa', 'u12').inline_keyboard;
    expect(row?.map((b) => b.text)).toEqual(['Send update', 'Discard']);
    expect(row?.map((b) => decodeCallback(b.callback_data))).toEqual([
      { kind: 'update', action: 'send', storyId: 'k3m9x2qa', updateId: 'u12' },
      { kind: 'update', action: 'discard', storyId: 'k3m9x2qa', updateId: 'u12' },
    ]);
    expect(encodeCallback({ kind: 'update', action: 'send', storyId: 'k3m9x2qa', updateId: 'u1' })).toBe(
      'u:s:k3m9x2qa:u1',
    );
  });

  it('reads forged or malformed update data as stale', () => {
    for (const data of [
      'u:s:k3m9x2qa',
      'u:x:k3m9x2qa:u1',
      'u:s:k3m9x2qa:c1',
      'u:s:K3M9X2QA:u1',
      'u:s:k3m9x2qa:u1:x',
    ])
      expect(decodeCallback(data)).toBeUndefined();
  });
});
