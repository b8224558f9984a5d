import type { SentinelObservation, SimObserver } from "../cluster/observer.js";
import { rankingSnapshot } from "../sentinel/engine-like.js";
import { betterReplica, excludedBecause } from "./ranking-rules.js";
import type { ViolationSink } from "./violation.js";

/**
 * Safety: the promoted replica is the best one by the ranking rules at selection time. On every
 * `+selected-slave`, the facts the engine held about each replica at that instant (priority,
 * offset, runid, link and INFO freshness) are re-ranked with an independent implementation of §12:
 * the selected replica must be eligible and no eligible replica may rank strictly better. When
 * `truePriority` is given, a replica configured with priority 0 must never be selected either.
 */
export class PromotionRankingChecker implements SimObserver {
  readonly name = "promotion-ranking";

  constructor(
    private readonly report: ViolationSink,
    private readonly truePriority?: (nodeKey: string) => number | undefined,
  ) {}

  /** Re-rank at every `+selected-slave`. */
  onSentinelOutput(o: SentinelObservation): void {
    for (const e of o.output.events) {
      if (e.type !== "+selected-slave" || e.master === undefined) continue;
      // Payload: `slave <ip:port> <ip> <port> @ <master> <ip> <port>`.
      const selected = e.payload.split(" ")[1] ?? "";
      if (this.truePriority?.(selected) === 0) {
        this.report({ checker: this.name, time: o.time, message: `${o.sentinel.name} selected ${selected}, configured with replica-priority 0` });
      }
      const snap = rankingSnapshot(o.engine, e.master, o.localTime);
      if (snap === undefined) continue;
      const chosen = snap.replicas.find((r) => r.key === selected);
      if (chosen === undefined) {
        this.report({ checker: this.name, time: o.time, message: `${o.sentinel.name} selected ${selected}, which is not a replica of ${e.master}` });
        continue;
      }
      const why = excludedBecause(chosen, snap.ctx);
      if (why !== null) {
        this.report({ checker: this.name, time: o.time, message: `${o.sentinel.name} selected ${selected} for ${e.master} although ${why}` });
        continue;
      }
      for (const r of snap.replicas) {
        if (r === chosen || excludedBecause(r, snap.ctx) !== null) continue;
        if (betterReplica(r, chosen) < 0) {
          this.report({
            checker: this.name,
            time: o.time,
            message:
              `${o.sentinel.name} selected ${selected} (priority ${chosen.slavePriority}, offset ${chosen.replOffset}) for ${e.master} ` +
              `but ${r.key} ranks better (priority ${r.slavePriority}, offset ${r.replOffset})`,
          });
          break;
        }
      }
    }
  }
}
