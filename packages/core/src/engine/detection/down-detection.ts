import { transition } from "xstate";
import { refusedForMs } from "../../health/crash-detection.js";
import { type HealthFacts, instanceHealthMachine, noReplyDeadline, sdownCause } from "../../machines/instance-health.machine.js";
import { isObjectivelyDown, odownMachine } from "../../machines/odown.machine.js";
import type { EngineContext } from "../context/engine-context.js";
import { type InstanceRecord, type MasterRecord, silentSince } from "../records.js";
import { WAKE_HORIZON_MS } from "../tick/tick-due.js";

export function checkSdown(c: EngineContext, inst: InstanceRecord, m: MasterRecord): void {
  const since = silentSince(inst.link);
  const refusedMs = refusedForMs(inst.link);
  const facts: HealthFacts = {
    now: c.now,
    elapsed: since === null ? 0 : c.now - since,
    downAfterMs: m.settings.downAfterMs,
    reportsReplicaSince: inst.kind === "master" && inst.roleReported === "slave" ? inst.roleReportedTime : null,
    infoPeriod: c.timing.infoPeriod,
    rebootSince: inst.kind === "master" && inst.reboot ? inst.rebootSince : null,
    rebootDownAfterMs: m.settings.masterRebootDownAfterMs,
    refusedForMs: refusedMs,
    crashDownAfterMs: m.settings.crashDownAfterMs,
  };
  const down = sdownCause(facts) !== null;
  // Fast profile, up and with only the no-reply rule in play (a master reporting role:slave or
  // rebooted is walked on every tick anyway, tick-due.ts): be awake when that rule starts to hold,
  // not up to a tick later. Only deadlines within WAKE_HORIZON_MS: a later tick will see a farther
  // one come near (and most outstanding PINGs are answered long before), so the steady state
  // schedules no wakes.
  if (!down && inst.health.value !== "sdown" && facts.reportsReplicaSince === null && facts.rebootSince === null) {
    if (since !== null && c.timing.eager) {
      const deadline = noReplyDeadline(since, m.settings.downAfterMs) + 1; // the first ms past it
      if (deadline - c.now <= WAKE_HORIZON_MS) c.wakeBy(deadline);
    }
    return;
  }
  if (down === (inst.health.value === "sdown")) return; // nothing to decide: skip the machine
  const [next, actions] = transition(instanceHealthMachine, inst.health, { type: "EVALUATE", facts });
  inst.health = next;
  for (const a of actions) {
    if (a.type !== "announce") continue;
    const type = (a.params as { type: string }).type;
    if (type === "-sdown") inst.scriptKillSent = false;
    c.emit(type, "warning", c.details(inst, m), m);
    // Vigil event after Sentinel's: which SDOWNs took the crash path (its own channel).
    if (type === "+sdown" && inst.health.context.cause === "crash") c.emit("+crash-sdown", "warning", `${c.details(inst, m)} #refused for ${refusedMs} ms`, m);
  }
}

export function checkOdown(c: EngineContext, m: MasterRecord): void {
  // ODOWN needs SDOWN (isObjectivelyDown): with neither there is nothing to decide.
  if (m.health.value !== "sdown" && m.odown.value !== "odown") return;
  let agreeing = 1;
  for (const s of m.sentinels.values()) if (s.masterDown) agreeing++;
  const facts = { now: c.now, sdown: m.health.value === "sdown", agreeing, quorum: m.settings.quorum };
  if (isObjectivelyDown(facts) === (m.odown.value === "odown")) return;
  const [next, actions] = transition(odownMachine, m.odown, { type: "EVALUATE", facts });
  m.odown = next;
  for (const a of actions) {
    if (a.type !== "announce") continue;
    const type = (a.params as { type: string }).type;
    const suffix = type === "+odown" ? ` #quorum ${agreeing}/${m.settings.quorum}` : "";
    c.emit(type, "warning", `${c.details(m, m)}${suffix}`, m);
  }
}
