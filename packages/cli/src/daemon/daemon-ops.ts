import type { SentinelEngine, TimingProfile } from "@vigil/core";
import type { LoadedConfig } from "../config/load-config.js";
import type { Logger } from "../log/logger.js";
import { Operability } from "../ops/operability.js";
import { TICK_MS } from "./daemon-runtime.js";

/**
 * Metrics, health, the topology page, the inspector and webhooks as the config asks for them
 * (docs/operations.md), loaded (their modules are imported only when configured) but not yet serving.
 */
export async function loadOps(config: LoadedConfig, engine: SentinelEngine, timing: TimingProfile, inspectPort: number | undefined, logger: Logger): Promise<Operability> {
  const g = config.generic;
  const ops = new Operability({
    engine,
    http: config.vigil.http,
    inspectPort,
    webhook: config.vigil.webhook === undefined ? undefined : { url: config.vigil.webhook, secret: config.vigil["webhook-secret"] },
    tickMs: TICK_MS,
    timing,
    // Never shown on the page, in events sent out or to the inspector.
    secrets: [g.requirepass, config.global.sentinelPass, config.vigil["webhook-secret"], ...config.masters.map((m) => m.settings.authPass)],
    now: Date.now,
    log: (level, message) => logger.log(level, message),
  });
  await ops.load();
  return ops;
}
