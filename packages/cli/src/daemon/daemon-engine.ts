import { randomBytes } from "node:crypto";
import { createPrng, createSentinelEngine, type SentinelEngine, type TimingProfile } from "@vigil/core";
import type { LoadedConfig } from "../config/load-config.js";
import { resolveHostSync, resolveMasterHosts } from "./resolve-host.js";

/** The engine the config describes: its id (persisted, or a new random one), state and masters. */
export function buildEngine(config: LoadedConfig, announcePort: number): { engine: SentinelEngine; myId: string; timing: TimingProfile } {
  const g = config.generic;
  const myId = config.myId ?? randomBytes(20).toString("hex");
  const timing = (config.vigil.timing as TimingProfile | undefined) ?? "fast";
  const engine = createSentinelEngine({
    myId,
    now: Date.now(),
    prng: createPrng(randomBytes(4).readUInt32LE(0)),
    timing,
    // Hellos announce the TLS port with `tls-replication yes` (Sentinel's rule), else `port`.
    global: { ...config.global, port: announcePort, requirePass: g.requirepass, loglevel: g.loglevel },
    currentEpoch: config.currentEpoch,
    masters: config.global.resolveHostnames ? resolveMasterHosts(config.masters, resolveHostSync) : config.masters,
  });
  return { engine, myId, timing };
}
