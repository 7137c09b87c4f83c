import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { runCli } from '../../src/cli/run-cli.js';
import { SHARED_SAMPLE_PATH } from '../support/shared-sample.js';
import { waitFor } from '../support/wait-for.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface Feed {
  telegram: { messages: { text: string; entities: { type: string }[] }[] };
  x: { tweets: { id: string; text: string; inReplyToId?: string }[] };
}

// The README's promise: `npm start` with an empty environment is the sandbox, and a story queued with
// the CLI shows on the page. (How fast is the bench's to show, not a timed test's: the delivery bench
// prints queue-to-published latency.)
describe('npm start with no credentials (sandbox)', () => {
  let child: ChildProcess;
  let port: number;
  let redis: Redis;
  const logs: string[] = [];
  const prefix = uniquePrefix('sandbox');
  const env = { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix };

  beforeAll(async () => {
    redis = testRedis();
    // Port 0: the server picks a free port and the start-up log says which.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    const startLine = await waitFor(
      () =>
        logs
          .join('')
          .split('\n')
          .find((l) => l.includes('SANDBOX mode')),
      { timeoutMs: 40_000, what: 'start-up log' },
    );
    port = Number(
      /^http:\/\/127\.0\.0\.1:(\d+)\/$/.exec((JSON.parse(startLine) as { web?: string }).web ?? '')?.[1],
    );
  }, 45_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('logs its mode and URL, then shows a queued story on the page', async () => {
    const startLine =
      logs
        .join('')
        .split('\n')
        .find((l) => l.includes('SANDBOX mode')) ?? '';
    expect(port).toBeGreaterThan(0);
    expect(JSON.parse(startLine)).toMatchObject({ mode: 'sandbox', web: `http://127.0.0.1:${port}/` });

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>regwire sandbox</title>');

    const out: string[] = [];
    const code = await runCli(['queue', SHARED_SAMPLE_PATH, '--now'], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env,
    });
    expect(code).toBe(0);

    const feed = await waitFor(
      async () => {
        const f = (await (await fetch(`http://127.0.0.1:${port}/api/feed`)).json()) as Feed;
        const replies = f.x.tweets.filter((t) => t.inReplyToId).length;
        return (
          f.telegram.messages.length === 1 && f.x.tweets.length > 1 && replies === f.x.tweets.length - 1 && f
        );
      },
      { timeoutMs: 30_000, what: 'post and thread on the page' },
    );
    expect(feed.telegram.messages[0]?.text).toContain('Beijing Intensifies Crackdown');
    expect(feed.telegram.messages[0]?.entities.some((e) => e.type === 'bold')).toBe(true);
  }, 45_000);

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(logs.join('')).toContain('"msg":"stopped"');
  });
});
