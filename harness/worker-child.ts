/**
 * A regwire worker process for crash and scale tests: `node --import tsx test/support/worker-child.ts`.
 * Configured by the environment only (REDIS_URL, REGWIRE_QUEUE_PREFIX, REGWIRE_CONFIG_DIR, TELEGRAM_*, X_*),
 * plus `REGWIRE_TEST_LOCK_MS` / `REGWIRE_TEST_STALLED_MS` to shorten stalled-job recovery. Prints `ready`
 * on stdout once its workers run; logs (LOG_LEVEL) go to stderr. SIGTERM closes it cleanly.
 */
import { startApp } from '../src/app/start-app.js';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/util/logger.js';

// The environment alone: no `.env` from the working directory.
const config = loadConfig({ env: process.env });
const logger = createLogger(config.logLevel, process.stderr);
const lockDurationMs = Number(process.env.REGWIRE_TEST_LOCK_MS ?? 0);
const stalledIntervalMs = Number(process.env.REGWIRE_TEST_STALLED_MS ?? 0);

const app = await startApp(config, logger, {
  roles: { workers: true, web: false, maintenance: false },
  shutdownGraceMs: 1_000,
  ...(lockDurationMs > 0 && stalledIntervalMs > 0
    ? { stalledJobs: { lockDurationMs, stalledIntervalMs } }
    : {}),
});
process.stdout.write('ready\n');

process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
