import { describe, expect, it } from 'vitest';
import { isPersonalSender } from '../../../src/bot/pseudo-sender.js';

describe('isPersonalSender', () => {
  it('is true only for a person writing as themselves', () => {
    expect(isPersonalSender({ from: { id: 4242, is_bot: false } })).toBe(true);
    expect(isPersonalSender({})).toBe(false);
    expect(isPersonalSender({ from: { id: 4242 }, sender_chat: { id: -100 } })).toBe(false);
    expect(isPersonalSender({ from: { id: 1087968824, is_bot: true } })).toBe(false);
    expect(isPersonalSender({ from: { id: 777000, is_bot: false } })).toBe(false);
    expect(isPersonalSender({ from: { id: 136817688 } })).toBe(false);
    expect(isPersonalSender({ from: { id: 5000001, is_bot: true } })).toBe(false);
  });
});
