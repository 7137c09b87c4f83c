import { TELEGRAM_SANDBOX_BOT, type TelegramStandIn } from '../src/sandbox/standins/telegram/index.js';
import { X_SANDBOX_ACCOUNT, type XStandIn } from '../src/sandbox/standins/x/index.js';
import { TEST_REDIS_URL } from './redis.js';

/** The four OAuth 1.0a keys regwire signs X calls with. */
export interface XKeys {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
}

export interface StandInEnvOptions {
  readonly prefix: string;
  /** Defaults to {@link TEST_REDIS_URL}. */
  readonly redisUrl?: string;
  /** `REGWIRE_CONFIG_DIR`; unset means the repository's `config/`. */
  readonly configDir?: string;
  /** Point the Telegram destination at this stand-in (only its `apiRoot` is read). */
  readonly telegram?: Pick<TelegramStandIn, 'apiRoot'>;
  /** Defaults to `@regwire_sandbox`. */
  readonly telegramChannel?: string;
  /** Defaults to the stand-in's sandbox bot. */
  readonly telegramToken?: string;
  /** Point the X destination at this stand-in (only its `apiRoot` is read). */
  readonly x?: Pick<XStandIn, 'apiRoot'>;
  /** Defaults to the stand-in's sandbox account. */
  readonly xKeys?: XKeys;
  /**
   * `REGWIRE_FETCH_PRIVATE_ADDRESSES`. Default `allow`: a test's feeds, pages and images are on loopback,
   * which regwire refuses to fetch links into outside the sandbox.
   */
  readonly privateLinks?: 'allow' | 'block';
}

/**
 * The environment that points regwire at the stand-ins, as an operator would point it at any Bot API- and
 * X-compatible servers: by environment variables only. Silent logs, an ephemeral web port.
 */
export function standInEnv(options: StandInEnvOptions): Record<string, string> {
  const { telegram, x } = options;
  const xKeys = options.xKeys ?? X_SANDBOX_ACCOUNT;
  return {
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    REGWIRE_QUEUE_PREFIX: options.prefix,
    ...(options.configDir !== undefined ? { REGWIRE_CONFIG_DIR: options.configDir } : {}),
    LOG_LEVEL: 'silent',
    PORT: '0',
    REGWIRE_FETCH_PRIVATE_ADDRESSES: options.privateLinks ?? 'allow',
    ...(telegram
      ? {
          TELEGRAM_BOT_TOKEN: options.telegramToken ?? TELEGRAM_SANDBOX_BOT.token,
          TELEGRAM_CHANNEL_ID: options.telegramChannel ?? '@regwire_sandbox',
          TELEGRAM_API_ROOT: telegram.apiRoot,
        }
      : {}),
    ...(x
      ? {
          X_APP_KEY: xKeys.appKey,
          X_APP_SECRET: xKeys.appSecret,
          X_ACCESS_TOKEN: xKeys.accessToken,
          X_ACCESS_SECRET: xKeys.accessSecret,
          X_API_ROOT: x.apiRoot,
        }
      : {}),
  };
}
