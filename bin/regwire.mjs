#!/usr/bin/env node
// The `regwire` command, and what `npm start` runs (`regwire start`). It runs what `npm run build` made
// (`npm ci` builds it): `start` runs tsc's output in dist/src/, every other command the bundle in
// dist/cli/ (scripts/bundle-cli.mjs), which answers in a fraction of a second. Without a build, or with
// sources newer than it (an edited checkout), it runs the TypeScript sources through tsx, which compiles
// on every run (seconds), and says so on stderr.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const root = fileURLToPath(new URL('../', import.meta.url));
const command = process.argv[2];
const server = path.join(root, 'dist', 'src', 'cli', 'main.js');
const bundle = path.join(root, 'dist', 'cli', 'regwire.cjs');
const built = command === 'start' ? server : bundle;
// The commands whose compiled code is cached, each apart (each compiles different functions).
const CACHED = new Set([
  'render',
  'queue',
  'status',
  'cost',
  'correct',
  'retract',
  'update',
  'live',
  'close',
]);

/** Why the build cannot be run as it is, or undefined when it can. */
function whyNotBuilt() {
  if (!existsSync(built)) return 'no build in dist/';
  const builtAt = statSync(built).mtimeMs;
  // The image ships dist/ without sources: nothing to compare, the build is what there is.
  for (const dir of ['src', 'jobs']) {
    const full = path.join(root, dir);
    if (!existsSync(full)) continue;
    for (const entry of readdirSync(full, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.join(entry.parentPath ?? entry.path, entry.name);
      if (statSync(file).mtimeMs > builtAt) return `${path.relative(root, file)} is newer than dist/`;
    }
  }
  return undefined;
}

/**
 * Runs the CommonJS bundle through node:vm with a V8 code cache per command: a warm run skips parsing
 * the bundle and compiling the functions the command ran last time. The first run of a command (or one
 * whose cache V8 refuses) writes the cache when the process exits; where dist/ is read-only it is not
 * written and every run compiles, as without one.
 */
function runBundle() {
  const source = readFileSync(bundle, 'utf8');
  const { size, mtimeMs } = statSync(bundle);
  // Hazard: V8 accepts a cache made for any source of the same length, so the name carries the build
  // (size and time) and the Node it was made by; a rebuild empties dist/cli/.
  const cacheFile =
    command !== undefined && CACHED.has(command)
      ? path.join(
          path.dirname(bundle),
          'code-cache',
          `${command}-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.bin`,
        )
      : undefined;
  let cachedData;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: this run makes it.
  }
  // Node's CommonJS wrapper, on the source's first line so stack traces keep their line numbers.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', () => writeCodeCache(script, cacheFile));
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
}

function writeCodeCache(script, file) {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed: two first runs at once never leave half a cache.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, file);
  } catch {
    // Read-only install: no cache, every run compiles.
  }
}

const why = whyNotBuilt();
if (why === undefined) {
  if (built === server) await import(pathToFileURL(server).href);
  else runBundle();
} else {
  process.stderr.write(
    `regwire: ${why}; running the TypeScript sources through tsx (slow: compiled on every run). \`npm run build\` makes it fast.\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
