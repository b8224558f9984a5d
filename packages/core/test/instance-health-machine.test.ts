import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { type HealthFacts, instanceHealthMachine, sdownCause } from "../src/machines/instance-health.machine.js";
import { actionNames, withVisibleActions } from "./support/machine-helpers.js";

const NOW = 1_000_000;
const up: HealthFacts = {
  now: NOW,
  elapsed: 0,
  downAfterMs: 30000,
  reportsReplicaSince: null,
  infoPeriod: 10000,
  rebootSince: null,
  rebootDownAfterMs: 0,
};
const initial = () => initialTransition(instanceHealthMachine)[0];
const evaluate = (facts: HealthFacts) => ({ type: "EVALUATE", facts }) as const;

describe("sdownCause (§8), one rule at a time", () => {
  it("a healthy instance is up", () => {
    expect(sdownCause(up)).toBeNull();
  });

  it("rule 1: no acceptable reply for longer than down-after (strictly)", () => {
    expect(sdownCause({ ...up, elapsed: 30000 })).toBeNull();
    expect(sdownCause({ ...up, elapsed: 30001 })).toBe("no-reply");
  });

  it("rule 2: a master reporting role:slave for longer than down-after + 2 × info-period", () => {
    const since = NOW - 50000; // 30000 + 2 × 10000
    expect(sdownCause({ ...up, reportsReplicaSince: since })).toBeNull();
    expect(sdownCause({ ...up, reportsReplicaSince: since - 1 })).toBe("master-reports-replica");
    // The grace scales with both periods.
    expect(sdownCause({ ...up, infoPeriod: 1000, reportsReplicaSince: NOW - 32001 })).toBe("master-reports-replica");
  });

  it("rule 3: master_reboot flag set for longer than master-reboot-down-after-period", () => {
    expect(sdownCause({ ...up, rebootSince: NOW - 5000, rebootDownAfterMs: 5000 })).toBeNull();
    expect(sdownCause({ ...up, rebootSince: NOW - 5001, rebootDownAfterMs: 5000 })).toBe("reboot");
    // A zero period means the feature is off, however old the flag.
    expect(sdownCause({ ...up, rebootSince: NOW - 1e9, rebootDownAfterMs: 0 })).toBeNull();
  });

  it("reports the first rule that holds", () => {
    expect(sdownCause({ ...up, elapsed: 40000, reportsReplicaSince: 0, rebootSince: 0, rebootDownAfterMs: 1 })).toBe("no-reply");
    expect(sdownCause({ ...up, reportsReplicaSince: 0, rebootSince: 0, rebootDownAfterMs: 1 })).toBe("master-reports-replica");
  });
});

describe("instanceHealthMachine transitions", () => {
  it("starts up with no history", () => {
    const s = initial();
    expect(s.value).toBe("up");
    expect(s.context).toEqual({ sdownSince: 0, cause: null });
  });

  it("up → sdown (guard isSubjectivelyDown): recordDown, announce +sdown", () => {
    const [s, actions] = transition(instanceHealthMachine, initial(), evaluate({ ...up, elapsed: 30001 }));
    expect(s.value).toBe("sdown");
    expect(s.context).toEqual({ sdownSince: NOW, cause: "no-reply" });
    expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([{ type: "announce", params: { type: "+sdown" } }]);
    const visible = withVisibleActions(instanceHealthMachine, ["recordDown", "recordUp", "clearHistory"]);
    const [, named] = transition(visible, initialTransition(visible)[0], evaluate({ ...up, elapsed: 30001 }));
    expect(actionNames(named)).toEqual(["recordDown", "announce(+sdown)"]);
  });

  it("up stays up while the guard fails, with no actions", () => {
    const [s, actions] = transition(instanceHealthMachine, initial(), evaluate({ ...up, elapsed: 30000 }));
    expect(s.value).toBe("up");
    expect(actions).toEqual([]);
  });

  it("records the cause for each rule", () => {
    const [a] = transition(instanceHealthMachine, initial(), evaluate({ ...up, reportsReplicaSince: 0 }));
    expect(a.context.cause).toBe("master-reports-replica");
    const [b] = transition(instanceHealthMachine, initial(), evaluate({ ...up, rebootSince: 0, rebootDownAfterMs: 1 }));
    expect(b.context.cause).toBe("reboot");
  });

  it("sdown stays sdown while still down (no repeated +sdown)", () => {
    const [down] = transition(instanceHealthMachine, initial(), evaluate({ ...up, elapsed: 30001 }));
    const [s, actions] = transition(instanceHealthMachine, down, evaluate({ ...up, now: NOW + 5000, elapsed: 35001 }));
    expect(s.value).toBe("sdown");
    expect(s.context.sdownSince).toBe(NOW);
    expect(actions).toEqual([]);
  });

  it("sdown → up (guard not(isSubjectivelyDown)): recordUp, announce -sdown, sdownSince kept", () => {
    const [down] = transition(instanceHealthMachine, initial(), evaluate({ ...up, elapsed: 30001 }));
    const [s, actions] = transition(instanceHealthMachine, down, evaluate({ ...up, now: NOW + 7000 }));
    expect(s.value).toBe("up");
    expect(s.context).toEqual({ sdownSince: NOW, cause: null });
    expect(actionNames(actions)).toEqual(["announce(-sdown)"]);
    const visible = withVisibleActions(instanceHealthMachine, ["recordDown", "recordUp", "clearHistory"]);
    const [, named] = transition(visible, visible.resolveState({ value: "sdown", context: { sdownSince: NOW, cause: "no-reply" } }), evaluate(up));
    expect(actionNames(named)).toEqual(["recordUp", "announce(-sdown)"]);
  });

  it("RESET from sdown: back to up without -sdown, history cleared", () => {
    const [down] = transition(instanceHealthMachine, initial(), evaluate({ ...up, elapsed: 30001 }));
    const [s, actions] = transition(instanceHealthMachine, down, { type: "RESET" });
    expect(s.value).toBe("up");
    expect(s.context).toEqual({ sdownSince: 0, cause: null });
    expect(actions).toEqual([]);
  });

  it("RESET from up clears the last-down time", () => {
    const [down] = transition(instanceHealthMachine, initial(), evaluate({ ...up, elapsed: 30001 }));
    const [recovered] = transition(instanceHealthMachine, down, evaluate(up));
    expect(recovered.context.sdownSince).toBe(NOW);
    const [s] = transition(instanceHealthMachine, recovered, { type: "RESET" });
    expect(s.value).toBe("up");
    expect(s.context.sdownSince).toBe(0);
  });
});
