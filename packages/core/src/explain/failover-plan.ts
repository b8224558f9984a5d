import { contextOf, type SentinelEngine } from "../engine/sentinel-engine.js";
import { currentAddress } from "../engine/views/engine-views.js";
import { addressKey } from "../util/address.js";
import { explainPromotion } from "./explain-promotion.js";
import type { ExplainSection } from "./explanation.js";

/** What `SENTINEL FAILOVER <master>` would do now, without doing it. */
export interface FailoverPlan {
  readonly master: string;
  /** Would SENTINEL FAILOVER answer +OK? */
  readonly possible: boolean;
  /** The error SENTINEL FAILOVER would answer instead (`INPROG ...`, `NOGOODSLAVE ...`). */
  readonly refusal: string | null;
  /** `ip:port` of the replica that would be promoted. */
  readonly promote: string | null;
  readonly sections: readonly ExplainSection[];
}

/**
 * Dry run of a forced failover (§11.10): the checks SENTINEL FAILOVER makes, then the steps it
 * would take, with the addresses and epochs involved. Pure: the engine is only read.
 * Returns `undefined` for an unknown master.
 */
export function planFailover(engine: SentinelEngine, name: string, now: number): FailoverPlan | undefined {
  const m = contextOf(engine).masters.get(name);
  if (!m) return undefined;
  const promotion = explainPromotion(engine, m, now);
  const lines: string[] = [];
  let refusal: string | null = null;
  if (m.failover.value !== "none") {
    refusal = "INPROG Failover already in progress";
    lines.push(`Refused: a failover is already running (state ${m.failover.value}, epoch ${m.failover.context.failoverEpoch}); SENTINEL FAILOVER would answer -${refusal}.`);
  } else if (promotion.verdict.promote === null) {
    refusal = "NOGOODSLAVE No suitable replica to promote";
    lines.push(`Refused: no replica can be promoted now; SENTINEL FAILOVER would answer -${refusal}.`);
  }
  const target = promotion.verdict.promote;
  if (refusal === null && target !== null) {
    const from = currentAddress(m);
    const to = m.replicas.get(target)!.addr;
    const others = [...m.replicas.values()].filter((r) => r.name !== target);
    const epoch = engine.currentEpoch() + 1;
    lines.push(`1. Raise the current epoch ${engine.currentEpoch()} → ${epoch} and start a forced failover: no ODOWN and no election are needed.`);
    lines.push(`2. Select ${target} (see the ranking below).`);
    lines.push(
      `3. Send it MULTI, SLAVEOF NO ONE, CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC; wait up to failover-timeout ${m.settings.failoverTimeoutMs} ms for INFO to report role:master.`,
    );
    lines.push(`4. Set the config epoch of ${m.name} to ${epoch}, announce +promoted-slave and broadcast the new configuration in hellos.`);
    if (others.length === 0) lines.push("5. No other replica to reconfigure.");
    else {
      lines.push(
        `5. Reconfigure ${others.map((r) => addressKey(r.addr)).join(", ")} with SLAVEOF ${to.host} ${to.port}, ${m.settings.parallelSyncs} at a time (parallel-syncs).`,
      );
    }
    lines.push(`6. Announce +switch-master ${m.name} ${from.host} ${from.port} ${to.host} ${to.port}; the old master is kept as a replica to convert when it returns.`);
    if (m.settings.clientReconfigScript) {
      lines.push(`7. Run client-reconfig-script ${m.settings.clientReconfigScript} ${m.name} leader start ${from.host} ${from.port} ${to.host} ${to.port}.`);
    }
    if (engine.inTilt()) lines.push("Note: this Sentinel is in TILT; the failover would start but not progress until TILT ends.");
  }
  lines.push("Dry run: nothing was changed.");
  return {
    master: name,
    possible: refusal === null,
    refusal,
    promote: refusal === null ? target : null,
    sections: [{ title: `Failover plan for ${m.name}`, lines }, promotion.section],
  };
}
