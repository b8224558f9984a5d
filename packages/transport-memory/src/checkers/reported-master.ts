import { addressKey } from "@vigil/core";
import type { PromotionObservation, SentinelObservation, SentinelRef, SimObserver } from "../cluster/observer.js";
import type { ClusterProbe } from "../cluster/probe.js";
import type { EngineLike } from "../sentinel/engine-like.js";
import type { ViolationSink } from "./violation.js";

/** Events after which the reported master may have changed. */
const SWITCH_EVENTS = new Set(["+switch-master", "+promoted-slave", "+config-update-from", "+failover-state-reconf-slaves"]);

/**
 * Safety: every sentinel's reported master is a node that was promoted in that or a later config
 * epoch. A registry holds each group's initial master (epoch 0) and every `SLAVEOF NO ONE` a node
 * applied, with the failover epoch of the sentinel that sent it. A sentinel reporting address A with
 * config epoch C is correct only if A was promoted in some epoch ≥ C: it may lag behind, but never
 * invent a master or attach a newer epoch to an older choice.
 */
export class ReportedMasterChecker implements SimObserver {
  readonly name = "reported-master";
  private readonly promoted = new Map<string, { node: string; epoch: number }[]>();

  /** @param initialMasters group name → `host:port` of its initial master */
  constructor(
    initialMasters: Readonly<Record<string, string>>,
    private readonly report: ViolationSink,
  ) {
    for (const [group, node] of Object.entries(initialMasters)) this.promoted.set(group, [{ node, epoch: 0 }]);
  }

  /** Register a node that applied `SLAVEOF NO ONE`, with the epoch it was sent in. */
  onPromotion(p: PromotionObservation): void {
    if (p.origin === undefined) return;
    let list = this.promoted.get(p.master);
    if (list === undefined) {
      list = [];
      this.promoted.set(p.master, list);
    }
    list.push({ node: p.node, epoch: p.origin.epoch });
  }

  /** Check the sentinel right after anything that may change its reported master. */
  onSentinelOutput(o: SentinelObservation): void {
    if (o.output.events.some((e) => SWITCH_EVENTS.has(e.type))) this.check(o.sentinel, o.engine, o.time);
  }

  /** Check every live sentinel. */
  sample(probe: ClusterProbe): void {
    for (const { ref, engine } of probe.liveSentinels()) this.check(ref, engine, probe.now);
  }

  private check(s: SentinelRef, engine: EngineLike, time: number): void {
    for (const m of engine.view().masters) {
      const list = this.promoted.get(m.name);
      if (list === undefined) continue;
      const node = addressKey(m.currentAddr);
      if (!list.some((p) => p.node === node && p.epoch >= m.configEpoch)) {
        const seen = list.filter((p) => p.node === node).map((p) => p.epoch);
        this.report({
          checker: this.name,
          time,
          message:
            `${s.name} reports ${node} as master of ${m.name} with config epoch ${m.configEpoch}, ` +
            (seen.length === 0 ? "but that node was never promoted" : `but it was promoted only in epoch(s) ${seen.join(",")}`),
        });
        return;
      }
    }
  }
}
