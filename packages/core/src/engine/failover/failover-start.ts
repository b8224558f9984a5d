import { campaignStartAt, staggerSlot } from "../../election/campaign-stagger.js";
import { selectReplica } from "../../ranking/replica-ranking.js";
import type { EngineContext } from "../context/engine-context.js";
import type { MasterRecord } from "../records.js";
import type { FailoverRequestResult, SwitchoverOptions } from "../sentinel-engine.js";
import { rankingInputs } from "../views/engine-views.js";
import { applyFailover, driveFailover } from "./failover-driver.js";
import { requestSwitchover } from "./switchover-driver.js";

export function maybeStartFailover(c: EngineContext, m: MasterRecord): boolean {
  if (m.odown.value !== "odown" || m.failover.value !== "none" || c.now - m.failover.context.startTime < 2 * m.settings.failoverTimeoutMs) {
    m.startAt = null;
    return false;
  }
  // A peer that just asked us whether the master is down is about to campaign too: with
  // `peerProbeYield` we give it a head start so we vote for it instead of splitting the vote.
  const yieldToPeer = c.timing.peerProbeYield > 0 && m.lastPeerProbe > 0 && c.now - m.lastPeerProbe < 2000;
  if (yieldToPeer) {
    if (m.startAt === null) {
      m.startAt = c.now + 200 + c.prng.int(c.timing.peerProbeYield + 1);
      c.cmd({ kind: "wake", at: m.startAt });
    }
    if (c.now < m.startAt) return false;
  } else if (c.timing.startJitter > 0) {
    // Re-evaluated on every step: a better-ranked peer may agree, fall silent or vanish meanwhile.
    const spacing = { slotMs: staggerSlot(m.sentinels.values()), spacingMs: c.timing.startJitter };
    const at = campaignStartAt(m.sentinels.values(), c.myId, m.odown.context.odownSince, spacing);
    if (c.now < at) {
      if (m.startAt !== at) c.cmd({ kind: "wake", at });
      m.startAt = at;
      return false;
    }
  }
  m.startAt = null;
  startFailover(c, m, false);
  return true;
}

export function startFailover(c: EngineContext, m: MasterRecord, forced: boolean, coordinated = false): void {
  c.epoch++;
  c.emit("+new-epoch", "warning", `${c.epoch}`);
  applyFailover(c, m, { type: "START", now: c.now, epoch: c.epoch, forced, desync: c.desync(), coordinated });
}

/** `SENTINEL FAILOVER <name>` (§11.10): start a forced failover if one can succeed. */
export function requestFailover(c: EngineContext, name: string, coordinated?: SwitchoverOptions): FailoverRequestResult {
  const m = c.masters.get(name);
  if (!m) return "no-such-master";
  if (coordinated) return requestSwitchover(c, m, coordinated);
  if (m.failover.value !== "none") return "inprog";
  const { replicas, ctx } = rankingInputs(c, m, c.now);
  if (!selectReplica(replicas, ctx)) return "nogoodslave";
  startFailover(c, m, true);
  // The state machine only steps in the acting half, which TILT suspends (§14).
  if (c.timing.eager && !c.inTilt()) driveFailover(c, m);
  return "ok";
}
