#!/usr/bin/env node
// The `regwire` command, and what `npm start` runs (`regwire start`). It runs the built JavaScript in
// dist/ (`npm ci` builds it; `npm run build` rebuilds it): answers in a fraction of a second. Without a
// build, or with sources newer than it (an edited checkout), it runs the TypeScript sources through tsx,
// which compiles on every run (seconds), and says so on stderr.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const built = path.join(root, 'dist', 'src', 'cli', 'main.js');

/** Why dist/ cannot be run as it is, or undefined when it can. */
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

const why = whyNotBuilt();
if (why === undefined) {
  await import(pathToFileURL(built).href);
} else {
  process.stderr.write(
    `regwire: ${why}; running the TypeScript sources through tsx (slow: compiled on every run). \`npm run build\` makes it fast.\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
