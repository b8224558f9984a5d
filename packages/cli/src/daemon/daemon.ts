import { writeFileSync } from "node:fs";
import type { RespServer, SentinelRuntime } from "@vigil/transport-redis";
import type { LoadedConfig } from "../config/load-config.js";
import type { Logger } from "../log/logger.js";
import type { Operability } from "../ops/operability.js";
import { openApiServer } from "./api-server.js";
import { createConfigPersister } from "./config-persister.js";
import { fatal, isFailure, loadDaemonConfig } from "./daemon-config.js";
import { buildEngine } from "./daemon-engine.js";
import { openLog } from "./daemon-log.js";
import { loadOps } from "./daemon-ops.js";
import { createDaemonRuntime, EventFanout } from "./daemon-runtime.js";
import { configureTls } from "./tls-setup.js";

/** What `vigil <config> [--directive value ...]` was asked to do. */
export interface DaemonArgs {
  readonly configPath: string;
  /** Command-line directive groups, e.g. `[["port", "26380"]]`. */
  readonly overrides: readonly (readonly string[])[];
  /** `--log-format json` (also `vigil-log-format` in the file). */
  readonly logFormat?: "text" | "json";
  /** `--inspect[=port]`: stream the machines to the Stately inspector through a 127.0.0.1 relay on this port. */
  readonly inspectPort?: number;
}

/** A running daemon. */
export interface Daemon {
  readonly runtime: SentinelRuntime;
  readonly server: RespServer;
  readonly port: number;
  readonly config: LoadedConfig;
  /** Metrics, health, topology page, inspector and webhooks (see docs/operations.md). */
  readonly ops: Operability;
  /** The daemon's log (the `logfile`, stdout without one). */
  readonly logger: Logger;
  /** Flush config, close listeners and links. */
  stop(): Promise<void>;
}

/** Startup failure with the message to print and the exit code (Sentinel exits 1). */
export interface DaemonError {
  readonly message: string;
  readonly exitCode: number;
}

/**
 * Load the config like `redis-sentinel` (mandatory, writable, three passes), then run the engine
 * against real Redis, serve the Sentinel API, and persist by rewriting the same file atomically.
 * Each step is a function of its own; a step that fails ends start-up with its message.
 */
export async function startDaemon(args: DaemonArgs): Promise<Daemon | DaemonError> {
  const loaded = loadDaemonConfig(args.configPath, args.overrides);
  if (isFailure(loaded)) return loaded;
  const { path, config } = loaded;
  const log = openLog(config, args.logFormat);
  const { logger } = log;
  const tls = configureTls(config.generic);
  if ("error" in tls) return fatal(tls.error);
  const { engine, myId, timing } = buildEngine(config, tls.announcePort);
  const persist = createConfigPersister({ path, config, overrides: args.overrides, engine, logger });
  const ops = await loadOps(config, engine, timing, args.inspectPort, logger);
  const events = new EventFanout(logger);
  const { runtime, scripts } = createDaemonRuntime({ engine, config, tls, logger, events, persist, onStep: ops.onStep });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    persist(engine.persistedState());
    await runtime.stopAndLiftFences();
    scripts.stop();
    await Promise.all([events.server?.close(), ops.stop()]);
  };
  const onShutdown = async () => {
    await stop();
    process.exit(0);
  };
  const listening = await openApiServer({ path, config, tls, runtime, scripts, log, onShutdown });
  if (isFailure(listening)) return listening;
  const { server, port } = listening;
  events.server = server;
  const opsError = await ops.start(port);
  if (opsError !== undefined) {
    await ops.stop();
    await server.close();
    return fatal(opsError);
  }

  logger.log("notice", `Sentinel ID is ${myId}`);
  if (config.generic.pidfile) writeFileSync(config.generic.pidfile, `${process.pid}\n`);
  runtime.start();
  if (config.myId === undefined) runtime.apply(engine.flushConfig(Date.now()));
  return { runtime, server, port, config, ops, logger, stop };
}
