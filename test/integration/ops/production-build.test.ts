import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegwireProcess, spawnRegwire } from '../../../harness/ops-process.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { copyArgs, type DockerStage, envArgs, parseDockerfile } from '../../support/ops-dockerfile.js';
import { waitFor } from '../../support/wait-for.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PATH_ENV = `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`;

function stage(stages: readonly DockerStage[], name: string): DockerStage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage "${name}"`);
  return found;
}

/** Where `COPY src dest` puts `src` inside `root` (the stage's WORKDIR): into `dest/` or as `dest`. */
function copyTarget(root: string, src: string, dest: string): string {
  return dest.endsWith('/') ? path.join(root, dest, path.basename(src)) : path.join(root, dest);
}

/** Every `.js` file under `dir`. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(dir, f));
}

/** The package a bare import specifier names (`@scope/pkg/sub` → `@scope/pkg`), or undefined for relative/builtin. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? specifier);
  return builtinModules.includes(name) ? undefined : name;
}

// The image, rebuilt without a Docker engine: the Dockerfile is read, its build stage's COPY and RUN
// steps are replayed in a temporary folder (`npm ci` excepted: node_modules is linked from the
// repository, and the production-only install is checked by scanning the output's imports), the final
// stage's layout is assembled, and its ENTRYPOINT runs with an empty environment apart from Redis, the
// queue prefix and the port. Nothing is written to the repository (no dist/ is left behind).
describe('the production build (the Dockerfile, replayed)', () => {
  let tmp: string;
  let redis: Redis;
  let app: RegwireProcess | undefined;
  const prefix = uniquePrefix('prodbuild');
  const hadDist = existsSync(path.join(REPO, 'dist'));

  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'regwire-image-'));
    redis = testRedis();
  });

  afterAll(async () => {
    await app?.stop(3_000);
    await deletePrefix(redis, prefix);
    redis.disconnect();
    rmSync(tmp, { recursive: true, force: true });
    // The repository's bin/regwire.mjs prefers dist/ when present: this test must never leave one.
    if (!hadDist) expect(existsSync(path.join(REPO, 'dist'))).toBe(false);
  });

  it('builds with the Dockerfile’s own commands and serves, queues and publishes from dist/', async () => {
    const stages = parseDockerfile(path.join(REPO, 'Dockerfile'));
    const build = stage(stages, 'build');
    const deps = stage(stages, 'deps');
    const final = stages[stages.length - 1];
    if (!final) throw new Error('Dockerfile has no stages');

    // Build stage: replay COPY (from the repository) and RUN (in the build folder).
    const buildDir = path.join(tmp, 'build');
    mkdirSync(buildDir);
    const runs: string[] = [];
    const buildStartedAt = Date.now();
    for (const { op, args } of build.instructions) {
      if (op === 'COPY') {
        const { from, sources, dest } = copyArgs(args);
        expect(from, 'the build stage copies only from the build context').toBeUndefined();
        for (const src of sources) {
          cpSync(path.join(REPO, src), copyTarget(buildDir, src, dest), { recursive: true });
        }
      } else if (op === 'RUN') {
        runs.push(args);
        if (args.startsWith('npm ci')) {
          // No registry here: the repository's installed node_modules stands in for `npm ci`.
          symlinkSync(path.join(REPO, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
          continue;
        }
        execFileSync('sh', ['-c', args], {
          cwd: buildDir,
          env: { PATH: PATH_ENV, HOME: tmp, npm_config_update_notifier: 'false' },
          stdio: 'pipe',
          timeout: 60_000,
        });
      }
    }
    const buildMs = Date.now() - buildStartedAt;
    expect(runs).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'npm run build']);
    expect(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts.build).toBe(
      'tsc -p tsconfig.build.json && node scripts/bundle-cli.mjs',
    );
    expect(existsSync(path.join(buildDir, 'dist', 'src', 'main.js'))).toBe(true);
    expect(existsSync(path.join(buildDir, 'dist', 'cli', 'regwire.cjs'))).toBe(true);

    // Final stage: assemble /app.
    const appDir = path.join(tmp, 'app');
    mkdirSync(appDir);
    const imageEnv: Record<string, string> = {};
    let entrypoint: string[] = [];
    let healthcheck = '';
    for (const { op, args } of final.instructions) {
      if (op === 'ENV') Object.assign(imageEnv, envArgs(args));
      if (op === 'ENTRYPOINT') entrypoint = JSON.parse(args) as string[];
      if (op === 'HEALTHCHECK') healthcheck = args.slice(args.indexOf('CMD ') + 4);
      if (op !== 'COPY') continue;
      const { from, sources, dest } = copyArgs(args);
      for (const src of sources) {
        const target = copyTarget(appDir, src, dest);
        if (from === deps.name) {
          // The production-only install (`npm ci --omit=dev`): linked; its contents are checked below.
          expect(src).toBe('/app/node_modules');
          symlinkSync(path.join(REPO, 'node_modules'), target, 'dir');
        } else if (from === build.name) {
          cpSync(path.join(buildDir, path.relative('/app', src)), target, { recursive: true });
        } else {
          cpSync(path.join(REPO, src), target, { recursive: true });
        }
      }
    }
    expect(entrypoint).toEqual(['node', 'dist/src/main.js']);
    expect(readdirSync(appDir).sort()).toEqual(['bin', 'config', 'dist', 'node_modules', 'package.json']);

    // The `regwire` command in the image runs the CLI bundle (no sources beside it, no tsx), queues and
    // reads back a story through Redis, and answers the same once its code cache is warm.
    const cliEnv = { PATH: PATH_ENV, HOME: tmp, REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/regwire.mjs', ...args], {
        cwd: appDir,
        env: cliEnv,
        encoding: 'utf8',
      });
    const storyFile = path.join(tmp, 'cli-story.json');
    writeFileSync(
      storyFile,
      JSON.stringify({
        title: `CLI check ${prefix}: regulator fines exchange over custody`,
        body: 'The regulator fined the exchange for mixing client assets with its own.',
        url: `https://news.example.com/cli-check/${prefix}`,
      }),
    );
    const renders = [cli('render', storyFile), cli('render', storyFile)];
    for (const r of renders) expect(r.status, r.stderr).toBe(0);
    expect(renders[0]?.stderr).toBe('');
    expect(renders[1]?.stdout).toBe(renders[0]?.stdout);
    expect(JSON.parse(renders[0]?.stdout ?? '').telegram[0].text).toContain('regulator fines exchange');
    expect(readdirSync(path.join(appDir, 'dist', 'cli', 'code-cache'))).toEqual([
      expect.stringMatching(/^render-v\d+\.\d+\.\d+-\w+-\d+-\d+\.bin$/),
    ]);
    const queuedByCli = cli('queue', '--now', storyFile);
    expect(queuedByCli.status, queuedByCli.stderr).toBe(0);
    const cliStoryId = queuedByCli.stdout.trim();
    const statusByCli = cli('status', cliStoryId);
    expect(statusByCli.status, statusByCli.stderr).toBe(0);
    expect(statusByCli.stdout).toContain('regulator fines exchange');

    // What `npm ci --omit=dev` installs is enough: every package the output imports is a dependency.
    const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of jsFiles(path.join(appDir, 'dist'))) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) {
        const name = packageOf(m[1] ?? '');
        if (name) imported.add(name);
      }
    }
    const undeclared = [...imported].filter((name) => !(name in pkg.dependencies));
    expect(undeclared, 'imported by dist/ but not in "dependencies"').toEqual([]);
    expect(imported.has('bullmq')).toBe(true);

    // Run the ENTRYPOINT from WORKDIR /app with the image's ENV and nothing else but Redis/prefix/port.
    // Port 0: the server picks a free port and the start-up line says which.
    const env = {
      ...imageEnv,
      HOST: '127.0.0.1',
      PORT: '0',
      REDIS_URL: TEST_REDIS_URL,
      REGWIRE_QUEUE_PREFIX: prefix,
    };
    expect(imageEnv.NODE_ENV).toBe('production');
    const [node, script, ...rest] = entrypoint;
    expect(node).toBe('node');
    app = spawnRegwire({
      env,
      script: script ?? '',
      args: [...rest, '--role', 'all'],
      cwd: appDir,
      name: 'image',
    });
    const startedAt = Date.now();
    await app.ready;
    const startMs = Date.now() - startedAt;
    const start = app.lines().find((l) => l.msg.startsWith('regwire is running'));
    expect(start).toMatchObject({
      mode: 'sandbox',
      role: 'all',
      web: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
    });
    const base = String(start?.web).replace(/\/$/, '');
    const port = Number(new URL(base).port);

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, {
      timeoutMs: 5_000,
      what: '/readyz to answer 200',
    });
    // The image's HEALTHCHECK command, as Docker would run it.
    execFileSync('sh', ['-c', healthcheck], { env: { PATH: PATH_ENV, PORT: String(port) }, timeout: 10_000 });

    const title = `Image check ${prefix}: regulator publishes custody guidance`;
    const queued = await fetch(`${base}/api/stories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title,
        body: 'The regulator published guidance on how custodians must segregate client assets, with a 90-day transition.',
        url: `https://news.example.com/image-check/${prefix}`,
      }),
    });
    expect(queued.status).toBe(201);
    const { storyId } = (await queued.json()) as { storyId: string };
    expect(storyId).toMatch(/^[0-9a-z]{8}$/);
    const feed = await waitFor(
      async () => {
        const snapshot = (await (await fetch(`${base}/api/feed`)).json()) as {
          telegram: { messages: { text: string }[] };
          x: { tweets: { text: string; inReplyToId?: string }[] };
        };
        const posted = snapshot.telegram.messages.some((m) => m.text.includes(title));
        const tweeted = snapshot.x.tweets.some((t) => t.text.includes('custody guidance'));
        return posted && tweeted ? snapshot : false;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'the story on /api/feed' },
    );
    expect(feed.telegram.messages.filter((m) => m.text.includes(title))).toHaveLength(1);

    const signalAt = app.signal('SIGTERM');
    const exit = await app.exited;
    expect(exit, app.output().slice(-2000)).toMatchObject({ code: 0, signal: null });
    console.info(
      `production build: Dockerfile build stage replayed (${runs.join(' && ')}) in ${buildMs} ms; ` +
        `node ${entrypoint.slice(1).join(' ')} --role all ready in ${startMs} ms; ` +
        `${imported.size} packages imported, all in "dependencies"; SIGTERM → exit 0 in ${exit.at - signalAt} ms`,
    );
  }, 40_000);
});
