import { switchoverPreflight } from "../engine/failover/switchover-driver.js";
import type { MasterRecord } from "../engine/records.js";
import { contextOf, type SentinelEngine, type SwitchoverOptions } from "../engine/sentinel-engine.js";
import { currentAddress } from "../engine/views/engine-views.js";
import type { ExplainSection } from "../explain/explanation.js";
import type { FailoverPlan } from "../explain/failover-plan.js";
import { type Address, addressKey } from "../util/address.js";
import { HANDOVER_GRACE_MS, handoverTimeoutMs, type SwitchoverRefusal } from "./switchover.js";

const REFUSAL_TEXT: Readonly<Record<SwitchoverRefusal | "inprog", string>> = {
  inprog: "INPROG Failover already in progress",
  nogoodslave: "NOGOODSLAVE No suitable replica to promote",
  "no-such-replica": "ERR No such replica of this master",
  "master-down": "ERR The master is not reachable or not a master",
  "not-supported": "NOGOODPRIMARY Primary does not support FAILOVER command",
};

/**
 * Dry run of `SENTINEL FAILOVER <master> COORDINATED` (`vigil switchover --dry-run`): the checks it
 * makes before anything changes, then the steps it would take. Pure: the engine is only read.
 * Returns `undefined` for an unknown master.
 */
export function planSwitchover(engine: SentinelEngine, name: string, now: number, options: SwitchoverOptions = {}): FailoverPlan | undefined {
  const m = contextOf(engine).masters.get(name);
  if (!m) return undefined;
  const { refusal: refused, eligible, requested } = switchoverPreflight(contextOf(engine), m, options.to ?? null, now);
  const target = refused === null ? (requested ?? eligible[0] ?? null) : null;
  const lines: string[] = [];
  if (refused !== null) lines.push(`Refused before anything changes: SENTINEL FAILOVER ${name} COORDINATED would answer -${REFUSAL_TEXT[refused]}.`);
  if (refused === null && target !== null) {
    const timeoutMs = handoverTimeoutMs(options.timeoutMs, m.settings.failoverTimeoutMs);
    const to = m.replicas.get(target)!.addr;
    lines.push(...steps(engine, m, to, timeoutMs));
  }
  lines.push("Dry run: nothing was changed.");
  const ranking: ExplainSection = { title: "Eligible replicas, best first", lines: eligible.length ? eligible : ["(none)"] };
  return { master: name, possible: refused === null, refusal: refused === null ? null : REFUSAL_TEXT[refused], promote: target, sections: [{ title: `Switchover plan for ${name}`, lines }, ranking] };
}

function steps(engine: SentinelEngine, m: MasterRecord, to: Address, timeoutMs: number): string[] {
  const from = currentAddress(m);
  const epoch = engine.currentEpoch() + 1;
  const others = [...m.replicas.values()].filter((r) => addressKey(r.addr) !== addressKey(to)).map((r) => addressKey(r.addr));
  return [
    `1. Raise the current epoch ${engine.currentEpoch()} → ${epoch} and ask the other sentinels for their vote: a majority and the quorum (${m.settings.quorum}) must elect this sentinel, so no two sentinels hand over at once.`,
    `2. Pause the writes of the master ${addressKey(from)} (CLIENT PAUSE WRITE), wait until ${addressKey(to)} has its replication offset, then FAILOVER TO ${to.host} ${to.port} TIMEOUT 1 FORCE: the master hands over (PSYNC FAILOVER) without waiting for the replica's next ACK. No acknowledged write is lost.`,
    `3. If ${addressKey(to)} does not catch up within ${timeoutMs} ms, resume the master's writes (CLIENT UNPAUSE); if it does not report role:master within ${timeoutMs + HANDOVER_GRACE_MS} ms, send FAILOVER ABORT. Either way the master keeps its role and -switchover-abort says why. There is no fallback to an uncoordinated promotion.`,
    `4. Once promoted: config epoch ${epoch}, +promoted-slave, hellos; disconnect the clients of ${addressKey(from)} so they ask the sentinels again.`,
    others.length ? `5. Reconfigure ${others.join(", ")} with SLAVEOF ${to.host} ${to.port}.` : "5. No other replica to reconfigure.",
    `6. Announce +switch-master ${m.name} ${from.host} ${from.port} ${to.host} ${to.port} and +switchover-end.`,
  ];
}

/** `vigil explain`'s view of the switchover in progress, or of the last one, or null if none ran. */
export function explainSwitchover(m: MasterRecord, now: number): ExplainSection | null {
  const s = m.switchover;
  if (!s) return null;
  const target = s.target ? addressKey(s.target) : s.requestedTo ? addressKey(s.requestedTo) : "the best replica";
  const lines: string[] = [];
  if (s.outcome === null) lines.push(`In progress for ${now - s.startedAt} ms (epoch ${s.epoch}): phase ${s.phase}, towards ${target}, FAILOVER timeout ${s.timeoutMs} ms.`);
  else if (s.outcome === "completed") lines.push(`The last switchover (epoch ${s.epoch}) completed ${now - (s.finishedAt ?? now)} ms ago: ${target} is the master; it took ${(s.finishedAt ?? now) - s.startedAt} ms.`);
  else lines.push(`The last switchover (epoch ${s.epoch}) was aborted ${now - (s.finishedAt ?? now)} ms ago in phase ${s.phase}: ${s.reason}${s.detail ? ` (${s.detail})` : ""}. The master kept its role.`);
  return { title: "Switchover", lines };
}
