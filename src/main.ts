import { parseArgs } from 'node:util';
import { ALL_ROLES, type Roles, startApp } from './app/start-app.js';
import { loadConfig } from './config/load-config.js';
import { ConfigError } from './errors/input-error.js';
import { createLogger, secretsOf } from './util/logger.js';
import { prettyLogStream } from './util/pretty-log-stream.js';

/** `npm start`: the whole system in one process. With no platform credentials, the sandbox. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`regwire: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const role = readRole(process.argv.slice(2));
  // A person at a terminal reads lines; anything else (a pipe, a log collector) gets one JSON object a line.
  const destination = process.stdout.isTTY ? prettyLogStream() : undefined;
  const logger = createLogger(config.logLevel, destination, secretsOf(config));
  const app = await startApp(config, logger, { roles: ROLES[role] });
  logger.info(
    {
      mode: config.sandbox ? 'sandbox' : 'live',
      role,
      ...(app.web ? { web: app.web.url } : {}),
      destinations: config.destinations.map((d) => d.id),
      ...(app.sandbox
        ? { telegramStandIn: app.sandbox.telegram.apiRoot, xStandIn: app.sandbox.x.apiRoot }
        : {}),
    },
    config.sandbox
      ? `regwire is running in SANDBOX mode (no platform credentials)${app.web ? `: open ${app.web.url}` : ''}`
      : `regwire is running (role ${role})${app.web ? `: ${app.web.url}` : ''}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** What each `--role` runs. `worker` processes can be scaled out on many machines against one Redis. */
const ROLES: Record<'all' | 'worker' | 'web' | 'bot', Roles> = {
  all: ALL_ROLES,
  worker: { workers: true, web: false, maintenance: true, bot: false },
  web: { workers: false, web: true, maintenance: false, bot: false },
  bot: { workers: false, web: false, maintenance: false, bot: true },
};

function readRole(argv: string[]): keyof typeof ROLES {
  const { values } = parseArgs({
    args: argv,
    options: { role: { type: 'string', default: 'all' } },
    strict: false,
  });
  const role = String(values.role);
  if (role in ROLES) return role as keyof typeof ROLES;
  process.stderr.write(`regwire: --role must be one of ${Object.keys(ROLES).join(', ')}\n`);
  process.exit(2);
}

main().catch((err: unknown) => {
  process.stderr.write(`regwire: failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
