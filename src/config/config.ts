import type { RenderOptions } from '../format/render-options.js';
import type { SourcesConfig } from '../intake/sources-schema.js';
import type { DestinationSchedule } from '../schedule/destination-schedule.js';
import type { PostFlags } from '../schedule/post-flags.js';
import type { FileConfig } from './file-schema.js';
import type { RedisNode } from './redis-location.js';

/** Telegram credentials and target, present when the platform is configured (or the sandbox provides it). */
export interface TelegramSettings {
  readonly token: string;
  readonly channelId: string;
  /** Bot API root, e.g. `https://api.telegram.org/` or a self-hosted Bot API server. */
  readonly apiRoot: string;
}

/** The editor bot: where alerts go and how updates arrive. */
export interface BotSettings {
  /** The editors' chat: alerts go there and its members count as editors. */
  readonly editorsChatId: number | undefined;
  /** Webhook mode when set; long polling otherwise. */
  readonly webhook: { readonly url: string; readonly secretToken: string; readonly port: number } | undefined;
}

/** OAuth 1.0a user-context credentials for X. */
export interface XSettings {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
  readonly apiRoot: string;
}

/** A publishing destination: one Telegram channel or one X account. */
export interface DestinationConfig {
  readonly id: string;
  readonly platform: 'telegram' | 'x';
  readonly enabled: boolean;
  readonly schedule: DestinationSchedule;
  /** Telegram: how its posts go out unless a story says otherwise (default: neither silent nor protected). */
  readonly post?: PostFlags;
}

/** Credentials and TLS for the data nodes of a cluster or of a Sentinel-monitored primary. */
export interface RedisAuth {
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}

/**
 * Where Redis is: exactly one of `REDIS_URL` (one server, or a managed endpoint that fails over behind
 * one address), `REDIS_CLUSTER_NODES` (Redis Cluster) or `REDIS_SENTINELS` + `REDIS_SENTINEL_NAME`.
 */
export type RedisConnection =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[]; readonly auth: RedisAuth }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      /** The primary's name as the sentinels know it (`sentinel monitor <name> …`). */
      readonly name: string;
      readonly auth: RedisAuth;
      readonly sentinelPassword?: string;
    };

/** Everything regwire needs to run, validated once at start-up. */
export interface Config {
  readonly redis: RedisConnection;
  /**
   * {@link redis} as one string, which `createRedis` also reads: the URL, or
   * `redis-cluster://[user:password@]host:port,…[?tls=1]` / `redis-sentinel://[user:password@]host:port,…/name[?tls=1]`.
   * It carries the password: never print it unredacted.
   */
  readonly redisUrl: string;
  /**
   * Failover safety: each ledger write waits (`WAIT`) until this many replicas have it, at most
   * `timeoutMs`; `replicas: 0` waits for nothing.
   */
  readonly redisReplicaWait: {
    readonly replicas: number;
    readonly timeoutMs: number;
    /**
     * `REDIS_WAIT_REPLICAS` left at its default: on a cluster that has no replicas at all (it cannot fail
     * over), nothing is waited for.
     */
    readonly onlyWithReplicas: boolean;
  };
  /** Whether that Redis is on this machine (unix socket, loopback address, `localhost`; every node of a cluster or sentinel set). */
  readonly redisOnLoopback: boolean;
  readonly queuePrefix: string;
  /**
   * True when regwire runs against its in-process stand-ins instead of real platforms: `REGWIRE_SANDBOX=on`,
   * or `auto` with no platform credentials and a Redis on loopback (`auto` refuses any other Redis).
   */
  readonly sandbox: boolean;
  readonly web: {
    readonly host: string;
    readonly port: number;
    /**
     * Password of the queue dashboard (user `admin`); the dashboard is off without one. In a sandbox whose
     * Redis and web server are both on loopback it defaults to `sandbox`; elsewhere only `ADMIN_PASSWORD`.
     */
    readonly adminPassword: string | undefined;
  };
  /** Undefined when Telegram is not configured (and not sandboxed). */
  readonly telegram: TelegramSettings | undefined;
  readonly x: XSettings | undefined;
  readonly editorIds: readonly number[];
  readonly bot: BotSettings;
  readonly logLevel: string;
  readonly delivery: FileConfig['delivery'];
  readonly digest: FileConfig['digest'];
  /** The two-person rule (`approval` in `regwire.json`). */
  readonly approval: FileConfig['approval'];
  /** Corrections, retractions and updates (`amendments` in `regwire.json`): `proposalTtlHours`. */
  readonly amendments: FileConfig['amendments'];
  /** X's prices, the spending budget and what to do out of credits (`x` in `regwire.json`). */
  readonly xBilling: FileConfig['x'];
  /** Destinations that will be published to: configured, enabled, and with credentials (or sandbox). */
  readonly destinations: readonly DestinationConfig[];
  readonly format: RenderOptions;
  /** Feed intake (`sources.json`): enabled sources, relevance dictionary, dedup and fetch limits. */
  readonly sources: SourcesConfig;
  /**
   * Whether links from editors and feed items, and story images, may lead to private or local network
   * addresses (`REGWIRE_FETCH_PRIVATE_ADDRESSES`; by default only in the sandbox, whose pages are local).
   */
  readonly fetchPrivateAddresses: boolean;
  /** Where the config files were read from. */
  readonly configDir: string;
}
