import { describe, expect, it } from 'vitest';
import { EditorsChatMembers } from '../../../src/bot/editors-chat-members.js';

function members(answers: Record<number, boolean | Error>) {
  let clock = 0;
  const asked: number[] = [];
  const cache = new EditorsChatMembers(
    async (userId) => {
      asked.push(userId);
      const answer = answers[userId];
      if (answer instanceof Error) throw answer;
      return answer ?? false;
    },
    () => clock,
    60_000,
  );
  return { cache, asked, advance: (ms: number) => (clock += ms), answers };
}

describe('EditorsChatMembers', () => {
  it('asks Telegram once per user per minute', async () => {
    const m = members({ 1: true, 2: false });
    expect(await m.cache.isMember(1)).toBe(true);
    expect(await m.cache.isMember(1)).toBe(true);
    expect(await m.cache.isMember(2)).toBe(false);
    expect(m.asked).toEqual([1, 2]);
    m.advance(59_999);
    await m.cache.isMember(1);
    expect(m.asked).toEqual([1, 2]);
    m.advance(1);
    m.answers[1] = false;
    expect(await m.cache.isMember(1)).toBe(false);
    expect(m.asked).toEqual([1, 2, 1]);
  });

  it('takes what the bot saw in the chat without asking: writing there, leaving it', async () => {
    const m = members({ 3: true });
    m.cache.seen(4);
    expect(await m.cache.isMember(4)).toBe(true);
    m.cache.left(3);
    expect(await m.cache.isMember(3)).toBe(false);
    expect(m.asked).toEqual([]);
  });

  it('never grants access on an error, and asks again next time', async () => {
    const m = members({ 5: new Error('socket hang up') });
    expect(await m.cache.isMember(5)).toBe(false);
    m.answers[5] = true;
    expect(await m.cache.isMember(5)).toBe(true);
    expect(m.asked).toEqual([5, 5]);
  });

  it('stays bounded: remembers at most 1,000 users, forgetting the oldest', async () => {
    const m = members({});
    for (let id = 1; id <= 1_001; id++) m.cache.seen(id);
    expect(await m.cache.isMember(1_001)).toBe(true);
    expect(m.asked).toEqual([]);
    // The first one was forgotten, so Telegram is asked (and says no).
    expect(await m.cache.isMember(1)).toBe(false);
    expect(m.asked).toEqual([1]);
  });
});
