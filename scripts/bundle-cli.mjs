// `npm run build`, after tsc: bundles the one-shot CLI commands (render, queue, status, cost, correct,
// retract) into one CommonJS file, dist/cli/regwire.cjs, every dependency inlined but pino's. Run from
// tsc's output, a command loaded about 650 files; module resolution, file reads and Node's CommonJS
// export lexer were most of its wall time. CommonJS because bin/regwire.mjs compiles it through
// node:vm with a V8 code cache, which Node 20 offers for scripts only.
// `regwire start` keeps running tsc's output in dist/src/: the server is long-lived and its dependencies
// find their own files at run time.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
rmSync(new URL('../dist/cli/', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/regwire.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // load-config finds config/ from its own location; in the bundle that is dist/cli/regwire.cjs.
  define: { 'import.meta.url': '__regwireModuleUrl' },
  banner: { js: "const __regwireModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  external: [
    // pino starts transports (pino-pretty) in worker threads that load files by path; the others are
    // optional or native modules looked up at run time.
    'pino',
    'pino-pretty',
    'msgpackr-extract',
    'canvas',
  ],
  plugins: [
    {
      name: 'server-stays-unbundled',
      setup(b) {
        // run-cli's `start` imports ../main.js (the server): leave it out; bin/regwire.mjs sends `start`
        // to tsc's output, so the bundle never reaches this import.
        b.onResolve({ filter: /^\.\.\/main\.js$/ }, (args) =>
          args.importer.endsWith('run-cli.ts') ? { path: '../src/main.js', external: true } : undefined,
        );
      },
    },
  ],
});
