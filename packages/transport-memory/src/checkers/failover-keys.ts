import type { SentinelObservation } from "../cluster/observer.js";

/** `<sentinel myid>|<master>|<epoch>`: one failover attempt of one sentinel. */
export function attemptKey(sentinel: string, master: string, epoch: number): string {
  return `${sentinel}|${master}|${epoch}`;
}

/**
 * The failover epoch the engine is running for `master` right after an output (its view), or
 * undefined when it does not monitor it.
 */
export function failoverEpochOf(o: SentinelObservation, master: string): number | undefined {
  return o.engine.view().masters.find((m) => m.name === master)?.failover.epoch;
}

/**
 * Attempts started with `SENTINEL FAILOVER` skip the election by design (§11.10), so the election
 * invariants do not apply to them. Returns the attempt key when `o` is such a successful call.
 */
export function forcedAttempt(o: SentinelObservation): string | undefined {
  if (o.origin !== "failover-api" || o.result !== "ok") return undefined;
  const started = o.output.events.find((e) => e.type === "+try-failover");
  if (started?.master === undefined) return undefined;
  const epoch = failoverEpochOf(o, started.master);
  return epoch === undefined ? undefined : attemptKey(o.sentinel.myId, started.master, epoch);
}
