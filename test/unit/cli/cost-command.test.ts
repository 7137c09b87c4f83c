import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';

const STORY = new URL('../../corpus/stories/very-long.txt', import.meta.url).pathname;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('regwire cost and render’s cost', () => {
  it('prints the worked example per link policy, computed from the story as it would be posted', async () => {
    const { code, out } = await run(['cost', '--stories', '40', STORY]);
    expect(code).toBe(0);
    expect(out).toContain('| last | 6 tweets · $0.275 · link in tweet 6 | $0.275 | $11.00 | $330.00 |');
    expect(out).toContain('| none | 6 tweets · $0.090 · no link | $0.090 | $3.600 | $108.00 |');
    expect(out).toMatch(/\| reply \| \d tweets · \$0\.\d{3} · link in tweet \d/);
  });

  it('--json gives the same figures as data', async () => {
    const { out } = await run(['cost', '--json', STORY]);
    const example = JSON.parse(out) as {
      storiesPerDay: number;
      rows: { link: string; perStoryUsd: number }[];
    };
    expect(example.storiesPerDay).toBe(40);
    expect(example.rows.map((r) => r.link)).toEqual(['last', 'first', 'reply', 'none']);
    expect(example.rows[0]?.perStoryUsd).toBe(0.275);
  });

  it('refuses a bad --stories with exit code 2', async () => {
    expect((await run(['cost', '--stories', 'lots', STORY])).code).toBe(2);
  });

  it('render keeps its shape and adds a cost to each X part and the thread’s total', async () => {
    const { code, out } = await run(['render', STORY]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as {
      x: { text: string; cost: { kind: string; usd: number } }[];
      xCost: { totalUsd: number; postsWithUrl: number[] };
    };
    expect(Object.keys(json)).toEqual(['story', 'telegram', 'x', 'xCost']);
    expect(json.x.every((p) => typeof p.text === 'string')).toBe(true);
    expect(json.x.at(-1)?.cost).toEqual({ kind: 'create-with-url', usd: 0.2 });
    expect(json.xCost).toMatchObject({ totalUsd: 0.275, postsWithUrl: [6] });
  });
});
