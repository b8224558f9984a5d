import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createPrng, createSentinelEngine, type PersistedState, type SentinelEvent, type TimingProfile } from "@vigil/core";
import { createRespServer, createSentinelApi, type RespServer, type SentinelProcessInfo, SentinelRuntime, VIGIL_SENTINEL_SUBCOMMANDS } from "@vigil/transport-redis";
import { checkWritable, isExecutable, removeStaleTempFiles, writeFileAtomicSync } from "../config/atomic-write.js";
import { formatConfigError } from "../config/config-error.js";
import { type LoadedConfig, loadConfig } from "../config/load-config.js";
import { ensureLoadable } from "../config/loadable-config.js";
import { rewriteConfig } from "../config/rewrite-config.js";
import { strerror } from "../config/strerror.js";
import { createLogger, type Logger } from "../log/logger.js";
import { Operability } from "../ops/operability.js";
import { ScriptRunner } from "../scripts/script-runner.js";
import { resolveHostSync, resolveMasterHosts } from "./resolve-host.js";
import { userDeclarationError } from "./startup-errors.js";
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
 */
export async function startDaemon(args: DaemonArgs): Promise<Daemon | DaemonError> {
  const path = resolve(args.configPath);
  if (!existsSync(path)) return { message: `Fatal error, can't open config file '${path}': No such file or directory`, exitCode: 1 };
  const writable = checkWritable(path);
  if (!writable.ok) return { message: writable.message, exitCode: 1 };
  // Temp files of a daemon killed mid-rewrite (kill -9, power loss) are never read; tidy them up.
  removeStaleTempFiles(path);
  let fileText: string;
  try {
    fileText = readFileSync(path, "utf8");
  } catch (e) {
    // e.g. a directory ("Is a directory"): Redis would run without persisting; refuse instead.
    return { message: `Fatal error, can't open config file '${path}': ${strerror(e)}`, exitCode: 1 };
  }
  // Relative paths after a `dir` line resolve from that directory, as Redis chdir()s at each one.
  const loaded = loadConfig(fileText, path, args.overrides, { isExecutable, cwd: process.cwd(), checkDir: usableDirectory });
  if (!loaded.ok) return { message: formatConfigError(loaded.error), exitCode: 1 };
  const config = loaded.config;
  const g = config.generic;
  if (g.workingDir !== undefined && g.workingDir !== process.cwd()) {
    try {
      process.chdir(g.workingDir);
    } catch (e) {
      return { message: `Can't chdir to '${g.dir}': ${(e as Error).message}`, exitCode: 1 };
    }
  }

  const logFormat = args.logFormat ?? (config.vigil["log-format"] as "text" | "json" | undefined) ?? "text";
  let loglevel = g.loglevel;
  const logger: Logger = createLogger({ format: logFormat, file: g.logfile, level: () => loglevel, pid: process.pid });

  const tls = configureTls(g);
  if ("error" in tls) return { message: tls.error, exitCode: 1 };

  const myId = config.myId ?? randomBytes(20).toString("hex");
  const timing = (config.vigil.timing as TimingProfile | undefined) ?? "fast";
  const engine = createSentinelEngine({
    myId,
    now: Date.now(),
    prng: createPrng(randomBytes(4).readUInt32LE(0)),
    timing,
    // Hellos announce the TLS port with `tls-replication yes` (Sentinel's rule), else `port`.
    global: { ...config.global, port: tls.announcePort, requirePass: g.requirepass, loglevel: g.loglevel },
    currentEpoch: config.currentEpoch,
    masters: config.global.resolveHostnames ? resolveMasterHosts(config.masters, resolveHostSync) : config.masters,
  });

  const unloadableWarned = new Set<string>();
  // Like Redis's rewriteConfigReadOldFile, every rewrite starts from the file as it is on disk now:
  // lines an operator added while we run are kept, and FLUSHCONFIG restores an edited or deleted
  // file. A file already equal to the result (also when it lacks lines ensureLoadable dropped) is
  // not written again.
  const persist = (state: PersistedState): boolean => {
    let onDisk: string | undefined;
    try {
      onDisk = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
        logger.log("warning", `WARNING: Sentinel was not able to save the new configuration on disk!!!: ${(e as Error).message}`);
        return false;
      }
    }
    // Like Redis, `dir` is always written, as the absolute working directory.
    const text = rewriteConfig(onDisk ?? "", state, { port: g.port, dir: process.cwd() }, {
      defaultDownAfterMs: engine.timing.defaultDownAfter,
      defaultFailoverTimeoutMs: engine.timing.defaultFailoverTimeout,
      dialect: config.dialect,
    });
    if (text === onDisk) return true;
    // Never persist a file the next start would refuse (docs/reliability.md, "Crash safety").
    const loadable = ensureLoadable(text, path, args.overrides);
    if (loadable.ok && loadable.text === onDisk) return true;
    if (!loadable.ok) {
      logger.log("warning", `WARNING: not saving a configuration that would not load again, the file keeps the last good state: ${loadable.message}`);
      return false;
    }
    for (const line of loadable.dropped) {
      if (unloadableWarned.has(line)) continue;
      unloadableWarned.add(line);
      logger.log("warning", `Not persisting '${line}': the address is not loadable (resolve-hostnames is off)`);
    }
    const r = writeFileAtomicSync(path, loadable.text);
    if (!r.ok) {
      logger.log("warning", `WARNING: Sentinel was not able to save the new configuration on disk!!!: ${r.message}`);
      return false;
    }
    return true;
  };

  let server: RespServer | undefined;
  const publish = (e: SentinelEvent) => {
    if (e.level !== "debug") server?.publish(e.type, e.payload);
  };
  const scripts = new ScriptRunner({
    timing: () => engine.timing,
    onEvent: (type, level, payload) => {
      const e: SentinelEvent = { type, level, payload };
      logger.log(level, `${type} ${payload}`, { event: type });
      publish(e);
    },
  });
  // 100 ms for both profiles (Sentinel's timer runs every 50-100 ms). The fast profile no longer needs
  // a 20 ms timer: its engine asks for earlier ticks with `wake` commands where latency matters (an
  // instance's no-reply deadline, 20 ms steps while a master is SDOWN, ODOWN or failing over), and a
  // 20 ms walk of every record cost most of its steady-state CPU at a few hundred masters.
  const tickMs = 100;
  const ops = new Operability({
    engine,
    http: config.vigil.http,
    inspectPort: args.inspectPort,
    webhook: config.vigil.webhook === undefined ? undefined : { url: config.vigil.webhook, secret: config.vigil["webhook-secret"] },
    tickMs,
    timing,
    secrets: [g.requirepass, config.global.sentinelPass, config.vigil["webhook-secret"], ...config.masters.map((m) => m.settings.authPass)],
    now: Date.now,
    log: (level, message) => logger.log(level, message),
  });
  await ops.load();
  const runtime = new SentinelRuntime({
    engine,
    tickMs,
    onStep: ops.onStep,
    persist,
    onEvent: (e) => {
      logger.log(e.level, `${e.type} ${e.payload}`, { event: e.type, master: e.master });
      publish(e);
    },
    onScript: (c) => scripts.enqueue(c.path, c.args),
    onCrash: (reason) => {
      logger.log("warning", `Simulated failure (${reason}): exiting with status 99`);
      process.exit(99);
    },
    // `bind-source-addr`: outgoing links (to Redis and to peers) leave from this address, like Sentinel's.
    links: {
      ...(g.bindSourceAddr === undefined ? {} : { sourceAddress: g.bindSourceAddr }),
      // `tls-replication yes`: links to Redis and to peer sentinels speak TLS (docs/reliability.md).
      ...(tls.client === undefined ? {} : { tls: tls.client }),
      onFenceLift: (addr, r) => {
        const at = `${addr.host} ${addr.port}`;
        if (r.kind === "lifted") logger.log("notice", `Lifted the ${r.fence} fence on ${at}: min-replicas-to-write ${r.restored.toWrite} min-replicas-max-lag ${r.restored.maxLag}${r.rewriteError ? ` (CONFIG REWRITE: ${r.rewriteError})` : ""}`);
        else if (r.kind === "error") logger.log("warning", `Could not lift the fence on ${at}: ${r.message}`);
      },
    },
  });

  const processInfo: SentinelProcessInfo & { listeners?: SentinelProcessInfo["listeners"] } = {
    runId: randomBytes(20).toString("hex"),
    configFile: path,
    tcpPort: g.port,
    startedAt: Date.now(),
    pid: process.pid,
    executable: process.argv[1] ?? "vigil",
  };
  const api = createSentinelApi({
    runtime,
    process: processInfo,
    stats: () => {
      const s = server!.stats();
      return { ...s, totalConnections: s.totalConnectionsReceived, totalCommands: s.totalCommandsProcessed };
    },
    pendingScripts: () => scripts.pending(),
    runningScripts: () => scripts.running(),
    isExecutable,
    resolveHost: resolveHostSync,
    dialect: config.dialect,
    // Served (the vigil CLI uses them) but never enumerated by COMMAND: docs/compatibility.md.
    vigilExtensions: true,
    onLoglevel: (level: typeof loglevel) => {
      loglevel = level;
    },
  });
  try {
    server = createRespServer({
      handlers: api,
      auth: { requirePass: g.requirepass, users: g.users.map(userSpecFromRule) },
      maxClients: g.maxclients,
      dialect: config.dialect,
      // Vigil's extensions: dispatched, but hidden from COMMAND (the captured tables are the dialect's own).
      extraSentinelSubcommands: VIGIL_SENTINEL_SUBCOMMANDS,
      onShutdown: async () => {
        await stop();
        process.exit(0);
      },
      // Client limits and protocol attacks are logged as what they are (like Redis), not as internal errors.
      onError: (error, where) =>
        logger.log("warning", where.endsWith("-limit") || where === "security" ? (error as Error).message : `internal error in ${where}: ${String(error)}`),
    });
  } catch (e) {
    // Startup users are checked here: an ACL rule the server refuses is a config error, not a crash.
    return { message: userDeclarationError(e, config), exitCode: 1 };
  }
  const hosts = g.bind === undefined || g.bind.length === 0 ? ["127.0.0.1"] : g.bind.map((h) => h.replace(/^-/, ""));
  let port: number;
  try {
    // `port 0` with a `tls-port` means TLS only, as in Redis.
    port = await server.listen({ hosts, port: g.port, tls: tls.server, tcp: g.port !== 0 || tls.server === undefined });
  } catch (e) {
    return { message: `Could not create server TCP listening socket ${hosts.join(" ")}:${g.port}: ${(e as Error).message}`, exitCode: 1 };
  }
  processInfo.listeners = [
    ...(g.port !== 0 || tls.server === undefined ? [{ name: "tcp" as const, binds: hosts, port }] : []),
    ...(tls.server === undefined ? [] : [{ name: "tls" as const, binds: hosts, port: server.tlsPort() }]),
  ];
  const opsError = await ops.start(port);
  if (opsError !== undefined) {
    await ops.stop();
    await server.close();
    return { message: opsError, exitCode: 1 };
  }
  logger.log("notice", `Sentinel ID is ${myId}`);
  if (g.pidfile) writeFileSync(g.pidfile, `${process.pid}\n`);
  runtime.start();
  if (config.myId === undefined) runtime.apply(engine.flushConfig(Date.now()));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    persist(engine.persistedState());
    await runtime.stopAndLiftFences();
    scripts.stop();
    await Promise.all([server?.close(), ops.stop()]);
  };
  return { runtime, server, port, config, ops, logger, stop };
}

/** `chdir()`'s verdict on `path` without moving there yet: its `strerror` text, or undefined. */
function usableDirectory(path: string): string | undefined {
  try {
    if (!statSync(path).isDirectory()) return "Not a directory";
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (e) {
    return strerror(e);
  }
}

/** `user alice on >pw ~* +@all` → the server's user spec (rules applied in ACL SETUSER syntax). */
function userSpecFromRule(rule: readonly string[]): { name: string; rules: string[] } {
  const [name, ...rules] = rule;
  return { name: name ?? "default", rules };
}
