import { createInterface } from 'node:readline/promises';
import { config as zodConfig } from 'zod';
import { runCli } from './run-cli.js';

// A command parses each schema once: compiling zod's fast paths (code generated per object schema) costs
// more than it saves. `start` is the long-running server, which keeps them.
if (process.argv[2] !== 'start') zodConfig({ jitless: true });

// No top-level await: this module is also bundled as CommonJS (scripts/bundle-cli.mjs), which has none.
void runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askAtTerminal } : {}),
}).then((code) => {
  process.exitCode = code;
});

/** A yes/no question on stderr, answered on the terminal: only "y" or "yes" goes on. */
async function askAtTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(question));
  } finally {
    rl.close();
  }
}
