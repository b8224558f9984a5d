import { contextOf, type SentinelEngine } from "../engine/sentinel-engine.js";
import { explainSwitchover } from "../switchover/switchover-plan.js";
import { explainAgreement } from "./explain-agreement.js";
import { explainDown } from "./explain-down.js";
import { explainElection } from "./explain-election.js";
import { explainPromotion } from "./explain-promotion.js";
import type { MasterExplanation } from "./explanation.js";

/**
 * Answer "why did it (not) fail over?" for one master, from the engine's own records at `now`:
 * SDOWN and its cause, ODOWN agreement, electability, and the replica ranking. Pure: it reads the
 * engine and changes nothing, so it runs the same on the simulator and in the daemon.
 * Returns `undefined` for an unknown master.
 */
export function explainMaster(engine: SentinelEngine, name: string, now: number): MasterExplanation | undefined {
  const m = contextOf(engine).masters.get(name);
  if (!m) return undefined;
  const down = explainDown(engine, m, now);
  const agreement = explainAgreement(engine, m, now);
  const election = explainElection(engine, m, now);
  const promotion = explainPromotion(engine, m, now);
  return {
    master: name,
    down: down.verdict,
    agreement: agreement.verdict,
    election: election.verdict,
    promotion: promotion.verdict,
    sections: [down.section, agreement.section, election.section, promotion.section, ...[explainSwitchover(m, now)].filter((x) => x !== null)],
  };
}
