import { createPrng, createSentinelEngine, type SentinelEngine, type TimingProfile } from "@vigil/core";
import { randomHex, randomSeed } from "@vigil/transport-redis";
import type { LoadedConfig } from "../config/load-config.js";
import { resolveHostSync, resolveMasterHosts } from "./resolve-host.js";

/** The engine the config describes: its id (persisted, or a new random one), state and masters. */
export function buildEngine(config: LoadedConfig, announcePort: number): { engine: SentinelEngine; myId: string; timing: TimingProfile } {
  const g = config.generic;
  const myId = config.myId ?? randomHex(20);
  const timing = (config.vigil.timing as TimingProfile | undefined) ?? "fast";
  const engine = createSentinelEngine({
    myId,
    now: Date.now(),
    prng: createPrng(randomSeed()),
    timing,
    // Hellos announce the TLS port with `tls-replication yes` (Sentinel's rule), else `port`.
    global: { ...config.global, port: announcePort, requirePass: g.requirepass, loglevel: g.loglevel },
    currentEpoch: config.currentEpoch,
    masters: config.global.resolveHostnames ? resolveMasterHosts(config.masters, resolveHostSync) : config.masters,
  });
  return { engine, myId, timing };
}
