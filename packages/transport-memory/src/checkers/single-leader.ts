import type { SentinelObservation, SimObserver } from "../cluster/observer.js";
import { attemptKey, failoverEpochOf, forcedAttempt } from "./failover-keys.js";
import type { ViolationSink } from "./violation.js";

/**
 * Safety: never two leaders elected for the same master in the same epoch. Every `+elected-leader`
 * is attributed to the failover epoch the sentinel's view shows right after it; a second sentinel
 * elected in an epoch already won is a violation. Attempts forced by `SENTINEL FAILOVER` are exempt
 * (they skip the election by design).
 */
export class SingleLeaderChecker implements SimObserver {
  readonly name = "single-leader";
  private readonly leaders = new Map<string, string>();
  private readonly forced = new Set<string>();

  constructor(private readonly report: ViolationSink) {}

  /** Check every `+elected-leader` against the leaders already seen. */
  onSentinelOutput(o: SentinelObservation): void {
    const forced = forcedAttempt(o);
    if (forced) this.forced.add(forced);
    for (const e of o.output.events) {
      if (e.type !== "+elected-leader" || e.master === undefined) continue;
      const epoch = failoverEpochOf(o, e.master);
      if (epoch === undefined || this.forced.has(attemptKey(o.sentinel.myId, e.master, epoch))) continue;
      const key = `${e.master}|${epoch}`;
      const prev = this.leaders.get(key);
      if (prev === undefined) this.leaders.set(key, o.sentinel.myId);
      else if (prev !== o.sentinel.myId) {
        this.report({
          checker: this.name,
          time: o.time,
          message: `two leaders for ${e.master} in epoch ${epoch}: ${prev} and ${o.sentinel.myId} (${o.sentinel.name})`,
        });
      }
    }
  }
}
