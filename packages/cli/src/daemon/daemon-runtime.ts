import type { EngineInput, EngineOutput, PersistedState, SentinelEngine, SentinelEvent } from "@vigil/core";
import { type RespServer, SentinelRuntime } from "@vigil/transport-redis";
import type { LoadedConfig } from "../config/load-config.js";
import type { Logger } from "../log/logger.js";
import { ScriptRunner } from "../scripts/script-runner.js";
import type { TlsSetup } from "./tls-setup.js";

/**
 * 100 ms for both profiles (Sentinel's timer runs every 50-100 ms). The fast profile no longer needs a
 * 20 ms timer: its engine asks for earlier ticks with `wake` commands where latency matters (an
 * instance's no-reply deadline, 20 ms steps while a master is SDOWN, ODOWN or failing over), and a
 * 20 ms walk of every record cost most of its steady-state CPU at a few hundred masters.
 */
export const TICK_MS = 100;

/** Events go to the log and, once the API server exists, to its pub/sub channels (`debug` excepted). */
export class EventFanout {
  server: RespServer | undefined;
  constructor(private readonly logger: Logger) {}
  event(e: SentinelEvent): void {
    this.logger.log(e.level, `${e.type} ${e.payload}`, { event: e.type, master: e.master });
    this.publish(e);
  }
  publish(e: SentinelEvent): void {
    if (e.level !== "debug") this.server?.publish(e.type, e.payload);
  }
}

/** What the runtime is wired to. */
export interface DaemonRuntimeOptions {
  readonly engine: SentinelEngine;
  readonly config: LoadedConfig;
  readonly tls: TlsSetup;
  readonly logger: Logger;
  readonly events: EventFanout;
  readonly persist: (state: PersistedState) => boolean;
  readonly onStep: (output: EngineOutput, cause: EngineInput | undefined) => void;
}

/** The runtime that runs the engine against real Redis, and the script runner its commands feed. */
export function createDaemonRuntime(o: DaemonRuntimeOptions): { runtime: SentinelRuntime; scripts: ScriptRunner } {
  const { engine, logger, events } = o;
  const g = o.config.generic;
  const scripts = new ScriptRunner({
    timing: () => engine.timing,
    onEvent: (type, level, payload) => {
      logger.log(level, `${type} ${payload}`, { event: type });
      events.publish({ type, level, payload });
    },
  });
  const runtime = new SentinelRuntime({
    engine,
    tickMs: TICK_MS,
    onStep: o.onStep,
    persist: o.persist,
    onEvent: (e) => events.event(e),
    onScript: (c) => scripts.enqueue(c.path, c.args),
    onCrash: (reason) => {
      logger.log("warning", `Simulated failure (${reason}): exiting with status 99`);
      process.exit(99);
    },
    // `bind-source-addr`: outgoing links (to Redis and to peers) leave from this address, like Sentinel's.
    links: {
      ...(g.bindSourceAddr === undefined ? {} : { sourceAddress: g.bindSourceAddr }),
      // `tls-replication yes`: links to Redis and to peer sentinels speak TLS (docs/reliability.md).
      ...(o.tls.client === undefined ? {} : { tls: o.tls.client }),
      onFenceLift: (addr, r) => {
        const at = `${addr.host} ${addr.port}`;
        if (r.kind === "lifted") logger.log("notice", `Lifted the ${r.fence} fence on ${at}: min-replicas-to-write ${r.restored.toWrite} min-replicas-max-lag ${r.restored.maxLag}${r.rewriteError ? ` (CONFIG REWRITE: ${r.rewriteError})` : ""}`);
        else if (r.kind === "error") logger.log("warning", `Could not lift the fence on ${at}: ${r.message}`);
      },
    },
  });
  return { runtime, scripts };
}
