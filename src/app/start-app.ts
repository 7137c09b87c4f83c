import type { Worker } from 'bullmq';
import { startAmendWorker } from '../../jobs/amend-worker.js';
import type { AmendmentTarget } from '../../jobs/amendment-sender.js';
import { startIntake } from '../../jobs/feed-poll.job.js';
import { MAINTENANCE_QUEUE, startMaintenance } from '../../jobs/maintenance.job.js';
import { type PartSender, telegramPartSender, xPartSender } from '../../jobs/part-sender.js';
import { startPublishWorkers } from '../../jobs/publish-workers.js';
import { createRedis, isCluster } from '../adapters/redis/redis-connection.js';
import { RedisCurrentDrafts } from '../adapters/redis/redis-current-drafts.js';
import { bullPrefix } from '../adapters/redis/redis-keys.js';
import { RedisPublicationLeases } from '../adapters/redis/redis-publication-lease.js';
import { ReplicaWait } from '../adapters/redis/replica-wait.js';
import { createTelegramPublisher } from '../adapters/telegram/index.js';
import { TwitterApiXPublisher } from '../adapters/x/index.js';
import { createEditorBot, createPageFetcher, type EditorBot } from '../bot/index.js';
import type { Config, TelegramSettings, XSettings } from '../config/config.js';
import { anyApprovalRule } from '../domain/approval.js';
import type { StoryRecord } from '../domain/publication.js';
import { InputError } from '../errors/input-error.js';
import { xImageAttachment } from '../intake/image-fetch.js';
import { publicAddressesOnly } from '../net/address-guard.js';
import { publicOnlyFetch } from '../net/public-only-fetch.js';
import { RegwireMetrics } from '../ops/metrics.js';
import { sandboxWarning } from '../sandbox/sandbox-warning.js';
import { X_SANDBOX_ACCOUNT } from '../sandbox/standins/x/index.js';
import { SANDBOX_EDITOR_ID, type Sandbox, startSandbox } from '../sandbox/start-sandbox.js';
import type { LiveRateState } from '../schedule/destination-schedule.js';
import { liveWorthRecording } from '../schedule/live-rate-refresh.js';
import { postFlagsAt } from '../schedule/post-flags.js';
import type { Logger } from '../util/logger.js';
import { createAdminDashboard } from '../web/admin-dashboard.js';
import { createEditorChat, type EditorChat } from '../web/editor-chat.js';
import type { ReadinessCheck } from '../web/ops-routes.js';
import { startWebServer, type WebServer } from '../web/web-server.js';
import { ApprovalGate } from './approval-gate.js';
import { createDeskServices, type DeskServices } from './desk-services.js';
import { xBillingWiring } from './x-billing-wiring.js';
import { budgetLeft } from './x-spend-desk.js';

/** Which parts of regwire this process runs; see `regwire start --role`. */
export interface Roles {
  readonly workers: boolean;
  readonly web: boolean;
  readonly maintenance: boolean;
  /** The editor bot (when Telegram is configured or in the sandbox). Run it in one process only. Default off. */
  readonly bot?: boolean;
}

export const ALL_ROLES: Roles = { workers: true, web: true, maintenance: true, bot: true };

/** A running regwire: workers, the web page and, in sandbox mode, the stand-ins. */
export interface App {
  readonly web: WebServer | undefined;
  readonly sandbox: Sandbox | undefined;
  readonly services: DeskServices;
  readonly metrics: RegwireMetrics;
  readonly bot: EditorBot | undefined;
  /** Stops taking jobs, lets in-flight sends finish (bounded), closes everything. */
  close(): Promise<void>;
}

/** Options of {@link startApp}: which roles this process runs, and test-only timings. */
export interface StartAppOptions {
  readonly roles?: Roles;
  /** In-flight sends get this long to finish on shutdown before workers are closed hard (default: config). */
  readonly shutdownGraceMs?: number;
  readonly sweepEveryMs?: number;
  /** Stalled-job recovery after a crash: lock lifetime and check interval (defaults 30 s and 15 s). */
  readonly stalledJobs?: { readonly lockDurationMs: number; readonly stalledIntervalMs: number };
}

/** The composition root: wires config to adapters, workers and the web page. */
export async function startApp(config: Config, logger: Logger, options: StartAppOptions = {}): Promise<App> {
  const roles = options.roles ?? ALL_ROLES;
  const sandboxRisk = sandboxWarning(config);
  if (sandboxRisk) logger.warn(sandboxRisk);
  const sandbox = config.sandbox ? await startSandbox({ xPricing: config.xBilling.pricing }) : undefined;
  const telegram: TelegramSettings | undefined = config.telegram ?? sandbox?.telegram;
  const x: XSettings | undefined = config.x ?? sandbox?.x;

  const redis = createRedis(config.redis, 'app');
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  const { replicas, timeoutMs, onlyWithReplicas } = config.redisReplicaWait;
  const replicaWait =
    replicas > 0
      ? new ReplicaWait({
          replicas,
          timeoutMs,
          // A cluster without replicas cannot fail over: nothing to wait for (ioredis knows its replicas).
          ...(onlyWithReplicas && isCluster(redis) ? { active: () => redis.nodes('slave').length > 0 } : {}),
          onResult: (result) => {
            metrics.replicaWait(result);
            if (!result.replicated) {
              logger.warn(
                { replicas, acknowledged: result.acknowledged, timeoutMs },
                'a ledger write was not on a Redis replica in time: a sending mark is taken back and its send retried later',
              );
            }
          },
        })
      : undefined;
  const services = createDeskServices(config, redis, logger, {
    handles: {
      ...(telegram ? { telegramChannel: telegram.channelId } : {}),
      ...(sandbox ? { xUsername: X_SANDBOX_ACCOUNT.username } : {}),
    },
    ...(replicaWait ? { replicaWait } : {}),
  });

  const closers: (() => Promise<void>)[] = [];
  // Links from editors and feed items, and story images, are fetched by regwire itself: keep them from
  // reaching into the network it runs in (cloud metadata, Redis, internal services).
  const linkFetch = config.fetchPrivateAddresses ? undefined : publicOnlyFetch();
  const queueList = () => services.queues.destinations().map((d) => services.queues.queue(d));
  const metrics = new RegwireMetrics(queueList, async () => ({
    alerts: await services.alerts.backlog(),
    intake: await services.intake.backlog(),
  }));
  const { budget } = config.xBilling;
  if (budget.dailyUsd !== undefined || budget.monthlyUsd !== undefined)
    metrics.watchXBudget(async () => budgetLeft(await services.desk.xSpend()));
  let workers: Worker[] = [];
  if (roles.workers) {
    const approvals = new ApprovalGate(services.store, config.approval);
    const senders = new Map<string, PartSender>();
    const xBilling = xBillingWiring(redis, config, logger, metrics);
    const amendTargets = new Map<string, AmendmentTarget>();
    for (const d of config.destinations) {
      if (d.platform === 'telegram' && telegram) {
        const port = createTelegramPublisher({
          token: telegram.token,
          apiRoot: telegram.apiRoot,
          timeoutMs: config.delivery.requestTimeoutMs,
        });
        const defaults = d.post ?? { silent: false, protectContent: false };
        const { quietHours, timeZone } = d.schedule;
        const flags = (record: StoryRecord) =>
          postFlagsAt(record.post, defaults, quietHours, timeZone, Date.now());
        senders.set(d.id, telegramPartSender(port, telegram.channelId, flags));
        // A live story's updates go out as its post did: silently in silent quiet hours, protected if it is.
        amendTargets.set(d.id, { platform: 'telegram', port, chatId: telegram.channelId, flags });
      } else if (d.platform === 'x' && x) {
        let recorded: LiveRateState | undefined;
        let sendsSinceRecorded = 0;
        const port = new TwitterApiXPublisher({
          ...x,
          timeoutMs: config.delivery.requestTimeoutMs,
          // The platform's own count wins over the plan: record it for the pacer and the planner (not
          // after every tweet: a reading the planner would derive anyway costs a write per send).
          onRateLimit: (snapshot) => {
            const observedAtMs = Date.now();
            const live = {
              ...(snapshot.window ? { window: { ...snapshot.window, observedAtMs } } : {}),
              ...(snapshot.day ? { day: { ...snapshot.day, observedAtMs } } : {}),
            };
            sendsSinceRecorded++;
            if (!liveWorthRecording(recorded, live, sendsSinceRecorded)) return;
            recorded = live;
            sendsSinceRecorded = 0;
            services.pacer.recordLive(d.id, live).catch(() => undefined);
          },
        });
        // Story images get the address guard, not the connection check: that needs undici, about 11 MB in
        // every worker (memory per worker is a product limit). A feed item's image was fetched through the
        // connection check at intake; what a rebinding name could still do here is hand X an image it serves.
        const images = config.fetchPrivateAddresses ? {} : { guard: publicAddressesOnly() };
        const reconcile = {
          readLimit: config.delivery.reconcileReadLimit,
          recheckMs: config.delivery.reconcileRecheckMs,
        };
        senders.set(
          d.id,
          xPartSender(port, reconcile, xImageAttachment(logger, images), xBilling.meter(d.id)),
        );
        amendTargets.set(d.id, { platform: 'x', port, policy: reconcile, meter: xBilling.meter(d.id) });
      }
    }
    workers = startPublishWorkers({
      connection: redis,
      prefix: config.queuePrefix,
      senders,
      queues: services.queues,
      store: services.store,
      pacer: services.pacer,
      alerts: services.alerts,
      metrics,
      leases: new RedisPublicationLeases(redis, config.queuePrefix, replicaWait),
      creditHolds: xBilling.creditHolds,
      creditsProbeMs: xBilling.creditsProbeMs,
      budgetGates: xBilling.budgetGates,
      concurrency: config.delivery.concurrency,
      requestTimeoutMs: config.delivery.requestTimeoutMs,
      retry: { attempts: config.delivery.attempts, backoffMs: config.delivery.backoffMs },
      logger,
      // Not while disconnected: commands would queue up until the reconnect, to no purpose. On a cluster
      // the worker blocks on the primary of its queue's slot: wake every primary.
      wakeRedis: async () => {
        if (redis.status !== 'ready') return undefined;
        return isCluster(redis) ? Promise.all(redis.nodes('master').map((n) => n.ping())) : redis.ping();
      },
      ...options.stalledJobs,
      ...(anyApprovalRule(config.approval) ? { holds: (id: string) => approvals.holds(id) } : {}),
    });
    workers.push(
      startAmendWorker({
        connection: redis,
        prefix: config.queuePrefix,
        store: services.store,
        alerts: services.alerts,
        leases: new RedisPublicationLeases(redis, config.queuePrefix, replicaWait),
        targetFor: (destination) => amendTargets.get(destination),
        pacer: services.pacer,
        ...options.stalledJobs,
        requestTimeoutMs: config.delivery.requestTimeoutMs,
        retry: { attempts: config.delivery.attempts, backoffMs: config.delivery.backoffMs },
        now: () => new Date(),
        logger,
      }),
    );
  }
  if (roles.maintenance) {
    const maintenance = await startMaintenance(
      {
        connection: redis,
        prefix: bullPrefix(config.queuePrefix, MAINTENANCE_QUEUE),
        digest: config.digest,
        editorsDigest: {
          ...config.xBilling.editorsDigest,
          enabled:
            config.xBilling.editorsDigest.enabled && config.destinations.some((d) => d.platform === 'x'),
        },
        sweepEveryMs: options.sweepEveryMs ?? 60_000,
      },
      {
        ...services,
        logger,
        now: Date.now,
        proposalTtlMs: config.amendments.proposalTtlHours * 3_600_000,
      },
    );
    closers.push(() => maintenance.close());
    // Feed polling runs with the periodic jobs; with no source configured it only clears old schedulers.
    const intake = await startIntake(config, redis, services, logger, linkFetch ? { linkFetch } : {});
    closers.push(() => intake.close());
  }

  let bot: EditorBot | undefined;
  let editorChat: EditorChat | undefined;
  if (roles.bot && telegram) {
    const webhook = config.bot.webhook;
    const url = webhook ? new URL(webhook.url) : undefined;
    bot = createEditorBot({
      telegram: { token: telegram.token, apiRoot: telegram.apiRoot },
      desk: services.desk,
      xPricing: config.xBilling.pricing,
      // Each chat's current draft lives in Redis: it survives a restart and is shared with any other bot.
      currentDrafts: new RedisCurrentDrafts(redis, config.queuePrefix),
      editorIds: sandbox ? [...config.editorIds, SANDBOX_EDITOR_ID] : config.editorIds,
      ...(config.bot.editorsChatId === undefined ? {} : { editorsChatId: config.bot.editorsChatId }),
      ...(webhook && url
        ? {
            webhook: {
              domain: url.origin,
              path: url.pathname,
              secretToken: webhook.secretToken,
              host: config.web.host,
              port: webhook.port,
            },
          }
        : {}),
      logger: logger.child({ component: 'bot' }),
      fetchPage: createPageFetcher(linkFetch ? { fetchImpl: linkFetch } : {}),
    });
    await bot.start();
    closers.unshift(() => bot?.stop() ?? Promise.resolve());
    if (sandbox) {
      editorChat = createEditorChat(sandbox.telegramStandIn, SANDBOX_EDITOR_ID);
      closers.push(async () => editorChat?.close());
    }
  }

  let web: WebServer | undefined;
  web = await startWebServer({
    host: config.web.host,
    port: config.web.port,
    page: roles.web,
    logger,
    ops: {
      metrics: () => metrics.render(),
      readiness: async () => {
        const checks: Record<string, ReadinessCheck> = {};
        const pong = await Promise.race([
          redis.ping().catch((err: Error) => err.message),
          new Promise<string>((r) => setTimeout(r, 1_000, 'no answer within 1 s').unref()),
        ]);
        checks.redis = {
          ok: pong === 'PONG',
          detail: pong === 'PONG' ? 'answers' : `does not answer: ${pong}`,
        };
        if (roles.workers) {
          const stopped = workers.filter((w) => !w.isRunning()).map((w) => w.name);
          checks.workers = {
            ok: stopped.length === 0,
            detail: stopped.length === 0 ? `${workers.length} running` : `not running: ${stopped.join(', ')}`,
          };
        }
        // A second bot process polling with the same token cuts this one off (409): not ready.
        if (bot) checks.bot = bot.health();
        const last = pong === 'PONG' ? await services.store.lastPublished() : {};
        for (const d of config.destinations) {
          checks[`lastPublish.${d.id}`] = { ok: true, detail: last[d.id] ?? 'nothing published yet' };
        }
        return checks;
      },
      ...(config.web.adminPassword && roles.web
        ? { admin: { handler: createAdminDashboard(queueList()), password: config.web.adminPassword } }
        : {}),
    },
    ...(sandbox && roles.web
      ? {
          feed: sandbox.feed,
          ...(editorChat ? { editorChat } : {}),
          queue: async (input: unknown) => {
            const actor = { kind: 'web', name: 'sandbox page' } as const;
            const drafted = await services.desk.createDraft(input, actor);
            if (!drafted.ok) throw new InputError(drafted.error);
            const id = drafted.value.story.id;
            const scheduled = await services.desk.schedule(id, { mode: 'now' }, actor);
            if (!scheduled.ok) throw new InputError(scheduled.error);
            return id;
          },
        }
      : {}),
  });

  const graceMs = options.shutdownGraceMs ?? config.delivery.shutdownGraceMs;
  let closing: Promise<void> | undefined;
  return {
    web,
    sandbox,
    services,
    metrics,
    bot,
    close() {
      closing ??= (async () => {
        await web?.close();
        const grace = new Promise<'timeout'>((r) => setTimeout(r, graceMs, 'timeout').unref());
        const graceful = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
        if ((await Promise.race([graceful, grace])) === 'timeout') {
          logger.warn('in-flight sends did not finish in time; closing workers hard');
          await Promise.all(workers.map((w) => w.close(true)));
        }
        for (const close of closers) await close();
        await services.close();
        await redis.quit().catch(() => redis.disconnect());
        await sandbox?.close();
      })();
      return closing;
    },
  };
}
