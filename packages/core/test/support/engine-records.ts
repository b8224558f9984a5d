import type { MasterRecord } from "../../src/engine/records.js";
import type { SentinelEngine } from "../../src/engine/sentinel-engine.js";
import { contextOf } from "../../src/engine/sentinel-engine.js";
import type { MasterView } from "../../src/engine/views/view-types.js";
import type { FailoverStateName } from "../../src/machines/failover.machine.js";
import type { Address } from "../../src/util/address.js";

/**
 * A master's mutable record, for core's own tests: they check internal bookkeeping (link timers,
 * reconfiguration phases) that the public view does not show. Outside core only `engine.view()` exists.
 */
export function masterRecordOf(engine: SentinelEngine, name: string): MasterRecord | undefined {
  return contextOf(engine).masters.get(name);
}

/** A plain copy of one master's view, in the flat shape the engine tests assert on. */
export interface MasterSummary {
  readonly name: string;
  readonly addr: Address;
  readonly currentAddr: Address;
  readonly configEpoch: number;
  readonly failoverState: FailoverStateName;
  readonly failoverEpoch: number;
  readonly leader: string | null;
  readonly leaderEpoch: number;
  readonly sdown: boolean;
  readonly odown: boolean;
  readonly promoted: string | null;
  readonly replicas: readonly { readonly key: string; readonly addr: Address; readonly sdown: boolean; readonly reconf: string }[];
  readonly sentinels: readonly { readonly runId: string; readonly addr: Address; readonly masterDown: boolean; readonly leader: string | null; readonly leaderEpoch: number }[];
}

function summarize(m: MasterView): MasterSummary {
  const f = m.failover;
  return {
    name: m.name,
    addr: m.addr,
    currentAddr: m.currentAddr,
    configEpoch: m.configEpoch,
    failoverState: f.state,
    failoverEpoch: f.epoch,
    leader: m.leader,
    leaderEpoch: m.leaderEpoch,
    sdown: m.health.state === "sdown",
    odown: m.odown.state === "odown",
    promoted: f.state === "none" ? null : f.promoted,
    replicas: [...m.replicas.values()].map((r) => ({ key: r.name, addr: r.addr, sdown: r.health.state === "sdown", reconf: r.reconf })),
    sentinels: [...m.sentinels.values()].map((s) => ({ runId: s.runId, addr: s.addr, masterDown: s.masterDown, leader: s.leader, leaderEpoch: s.leaderEpoch })),
  };
}

/** A copy of the engine's view at this instant (the live view reads the current state). */
export function summary(engine: SentinelEngine): { readonly masters: readonly MasterSummary[] } {
  return { masters: engine.view().masters.map(summarize) };
}
