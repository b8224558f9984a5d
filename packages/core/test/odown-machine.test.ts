import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { isObjectivelyDown, type OdownFacts, odownMachine } from "../src/machines/odown.machine.js";
import { actionNames, withVisibleActions } from "./support/machine-helpers.js";

const NOW = 2_000_000;
const facts = (over: Partial<OdownFacts> = {}): OdownFacts => ({ now: NOW, sdown: true, agreeing: 2, quorum: 2, ...over });
const evaluate = (f: OdownFacts) => ({ type: "EVALUATE", facts: f }) as const;
const initial = () => initialTransition(odownMachine)[0];

describe("isObjectivelyDown (§9.1)", () => {
  it("needs our own SDOWN and at least quorum agreeing sentinels (self included)", () => {
    expect(isObjectivelyDown(facts())).toBe(true);
    expect(isObjectivelyDown(facts({ agreeing: 3 }))).toBe(true);
    expect(isObjectivelyDown(facts({ agreeing: 1 }))).toBe(false);
    expect(isObjectivelyDown(facts({ sdown: false, agreeing: 5 }))).toBe(false);
    expect(isObjectivelyDown(facts({ agreeing: 1, quorum: 1 }))).toBe(true);
  });
});

describe("odownMachine transitions", () => {
  it("starts clear", () => {
    expect(initial().value).toBe("clear");
    expect(initial().context.odownSince).toBe(0);
  });

  it("clear → odown (guard quorumAgrees): recordDown, announce +odown", () => {
    const [s, actions] = transition(odownMachine, initial(), evaluate(facts()));
    expect(s.value).toBe("odown");
    expect(s.context.odownSince).toBe(NOW);
    expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([{ type: "announce", params: { type: "+odown" } }]);
    const visible = withVisibleActions(odownMachine, ["recordDown", "clearSince"]);
    const [, named] = transition(visible, initialTransition(visible)[0], evaluate(facts()));
    expect(actionNames(named)).toEqual(["recordDown", "announce(+odown)"]);
  });

  it("clear stays clear below quorum or without SDOWN", () => {
    for (const f of [facts({ agreeing: 1 }), facts({ sdown: false })]) {
      const [s, actions] = transition(odownMachine, initial(), evaluate(f));
      expect(s.value).toBe("clear");
      expect(actions).toEqual([]);
    }
  });

  it("odown stays odown while the quorum holds (since unchanged, no repeat)", () => {
    const [down] = transition(odownMachine, initial(), evaluate(facts()));
    const [s, actions] = transition(odownMachine, down, evaluate(facts({ now: NOW + 100, agreeing: 3 })));
    expect(s.value).toBe("odown");
    expect(s.context.odownSince).toBe(NOW);
    expect(actions).toEqual([]);
  });

  it("odown → clear (guard not(quorumAgrees)): announce -odown", () => {
    const [down] = transition(odownMachine, initial(), evaluate(facts()));
    for (const f of [facts({ agreeing: 1 }), facts({ sdown: false })]) {
      const [s, actions] = transition(odownMachine, down, evaluate(f));
      expect(s.value).toBe("clear");
      expect(actionNames(actions)).toEqual(["announce(-odown)"]);
    }
  });

  it("RESET from odown: clear, since cleared, no event", () => {
    const [down] = transition(odownMachine, initial(), evaluate(facts()));
    const [s, actions] = transition(odownMachine, down, { type: "RESET" });
    expect(s.value).toBe("clear");
    expect(s.context.odownSince).toBe(0);
    expect(actions).toEqual([]);
  });
});
