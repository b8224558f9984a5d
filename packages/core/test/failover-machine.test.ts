import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { type FailoverContext, type FailoverEvent, type FailoverFacts, type FailoverStateName, failoverMachine } from "../src/machines/failover.machine.js";
import { actionNames, withVisibleActions } from "./support/machine-helpers.js";

const T = 10_000_000;
const FT = 180_000;
const facts = (over: Partial<FailoverFacts> = {}): FailoverFacts => ({
  now: T,
  failoverTimeoutMs: FT,
  electionTimeoutMs: 10_000,
  isLeader: false,
  selected: null,
  promotedConnected: false,
  promotedUsable: false,
  allReconfigured: false,
  ...over,
});
const step = (over: Partial<FailoverFacts> = {}): FailoverEvent => ({ type: "STEP", facts: facts(over) });
const ctx = (over: Partial<FailoverContext> = {}): FailoverContext => ({
  failoverEpoch: 7,
  startTime: T,
  stateChangeTime: T,
  forced: false,
  promoted: null,
  ...over,
});
const at = (value: FailoverStateName, over: Partial<FailoverContext> = {}) => failoverMachine.resolveState({ value, context: ctx(over) });

/** Every assign action, made visible so the full named sequence of a transition can be asserted. */
const ASSIGNS = ["begin", "markStateChange", "choosePromoted", "forget", "defer", "forgetAll"];
const visible = withVisibleActions(failoverMachine, ASSIGNS);
const namedAt = (value: FailoverStateName, event: FailoverEvent, over: Partial<FailoverContext> = {}) => {
  const [s, actions] = transition(visible, visible.resolveState({ value, context: ctx(over) }), event);
  return { value: s.value, names: actionNames(actions) };
};
const ABORT = (reason: string) => [`announce(${reason}/master)`, "abort", "forget"];

describe("failoverMachine: none", () => {
  it("starts in none with empty bookkeeping", () => {
    const [s, actions] = initialTransition(failoverMachine);
    expect(s.value).toBe("none");
    expect(s.context).toEqual({ failoverEpoch: 0, startTime: 0, stateChangeTime: 0, forced: false, coordinated: false, promoted: null });
    expect(actions).toEqual([]);
  });

  it("START → wait_start: begin (epoch, forced, start time + desync, state change), +try-failover", () => {
    const [s0] = initialTransition(failoverMachine);
    const [s, actions] = transition(failoverMachine, s0, { type: "START", now: T, epoch: 4, forced: true, desync: 321 });
    expect(s.value).toBe("wait_start");
    expect(s.context).toEqual({ failoverEpoch: 4, startTime: T + 321, stateChangeTime: T, forced: true, coordinated: false, promoted: null });
    expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([{ type: "announce", params: { type: "+try-failover", subject: "master" } }]);
    expect(namedAt("none", { type: "START", now: T, epoch: 4, forced: false, desync: 0 })).toEqual({
      value: "wait_start",
      names: ["begin", "announce(+try-failover/master)"],
    });
  });

  it("ignores STEP, PROMOTED and SWITCHED", () => {
    const s0 = at("none");
    for (const e of [step({ isLeader: true, selected: "r" }), { type: "PROMOTED", now: T } as const, { type: "SWITCHED", now: T } as const]) {
      const [s, actions] = transition(failoverMachine, s0, e);
      expect(s.value).toBe("none");
      expect(s.context).toEqual(s0.context);
      expect(actions).toEqual([]);
    }
  });
});

describe("failoverMachine: wait_start (§11.2)", () => {
  it("elected (isLeader) → select_slave: markStateChange, +elected-leader, +failover-state-select-slave", () => {
    const [s, actions] = transition(failoverMachine, at("wait_start", { stateChangeTime: T - 500 }), step({ isLeader: true }));
    expect(s.value).toBe("select_slave");
    expect(s.context.stateChangeTime).toBe(T);
    expect(actionNames(actions)).toEqual(["announce(+elected-leader/master)", "announce(+failover-state-select-slave/master)"]);
    expect(namedAt("wait_start", step({ isLeader: true })).names).toEqual([
      "markStateChange",
      "announce(+elected-leader/master)",
      "announce(+failover-state-select-slave/master)",
    ]);
  });

  it("elected (forced) proceeds without being the leader", () => {
    const [s] = transition(failoverMachine, at("wait_start", { forced: true }), step({ isLeader: false }));
    expect(s.value).toBe("select_slave");
  });

  it("waits while not elected and the election time has not passed", () => {
    const s0 = at("wait_start", { startTime: T - 10_000 });
    const [s, actions] = transition(failoverMachine, s0, step());
    expect(s.value).toBe("wait_start");
    expect(actions).toEqual([]);
  });

  it("electionTimedOut → none after min(election-timeout, failover-timeout) from start: -failover-abort-not-elected, abort, forget", () => {
    const [s, actions] = transition(failoverMachine, at("wait_start", { startTime: T - 10_001, promoted: null }), step());
    expect(s.value).toBe("none");
    expect(actionNames(actions)).toEqual(["announce(-failover-abort-not-elected/master)", "abort"]);
    // forget: forced and promoted cleared, state change = now, start time kept for the retry gate.
    expect(s.context).toEqual({ failoverEpoch: 7, startTime: T - 10_001, stateChangeTime: T, forced: false, coordinated: false, promoted: null });
    expect(namedAt("wait_start", step(), { startTime: T - 10_001 }).names).toEqual(ABORT("-failover-abort-not-elected"));
  });

  it("the election timeout is the smaller of election-timeout and failover-timeout", () => {
    const short = { failoverTimeoutMs: 3000 };
    expect(transition(failoverMachine, at("wait_start", { startTime: T - 3000 }), step(short))[0].value).toBe("wait_start");
    expect(transition(failoverMachine, at("wait_start", { startTime: T - 3001 }), step(short))[0].value).toBe("none");
  });

  it("being elected wins over a timed-out election", () => {
    const [s] = transition(failoverMachine, at("wait_start", { startTime: T - 1e9 }), step({ isLeader: true }));
    expect(s.value).toBe("select_slave");
  });

  it("a start time in the future (desync) delays the timeout", () => {
    const [s] = transition(failoverMachine, at("wait_start", { startTime: T + 999 }), step({ now: T + 10_999 }));
    expect(s.value).toBe("wait_start");
  });
});

describe("failoverMachine: select_slave (§11.3)", () => {
  it("hasCandidate → send_slaveof_noone: choosePromoted, markStateChange, +selected-slave, +failover-state-send-slaveof-noone", () => {
    const [s, actions] = transition(failoverMachine, at("select_slave", { stateChangeTime: T - 1 }), step({ selected: "10.0.0.2:6380" }));
    expect(s.value).toBe("send_slaveof_noone");
    expect(s.context.promoted).toBe("10.0.0.2:6380");
    expect(s.context.stateChangeTime).toBe(T);
    expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([
      { type: "announce", params: { type: "+selected-slave", subject: "promoted" } },
      { type: "announce", params: { type: "+failover-state-send-slaveof-noone", subject: "promoted" } },
    ]);
    expect(namedAt("select_slave", step({ selected: "x:1" })).names).toEqual([
      "choosePromoted",
      "markStateChange",
      "announce(+selected-slave/promoted)",
      "announce(+failover-state-send-slaveof-noone/promoted)",
    ]);
  });

  it("awaitingFreshInfo (eager): no candidate yet but fresh INFO requested → stay, no actions", () => {
    const s0 = at("select_slave", { forced: true });
    const [s, actions] = transition(failoverMachine, s0, step({ selected: null, awaitingFreshInfo: true }));
    expect(s.value).toBe("select_slave");
    expect(s.context).toEqual(s0.context);
    expect(actions).toEqual([]);
    // A candidate still wins over waiting.
    expect(transition(failoverMachine, s0, step({ selected: "x:1", awaitingFreshInfo: true }))[0].value).toBe("send_slaveof_noone");
  });

  it("no candidate → none: -failover-abort-no-good-slave, abort, forget", () => {
    const [s, actions] = transition(failoverMachine, at("select_slave", { forced: true }), step({ selected: null }));
    expect(s.value).toBe("none");
    expect(s.context.forced).toBe(false);
    expect(actionNames(actions)).toEqual(["announce(-failover-abort-no-good-slave/master)", "abort"]);
    expect(namedAt("select_slave", step()).names).toEqual(ABORT("-failover-abort-no-good-slave"));
  });
});

describe("failoverMachine: send_slaveof_noone (§11.4)", () => {
  const promoted = "10.0.0.2:6380";

  it("promotedConnected → wait_promotion: sendPromotion, markStateChange, +failover-state-wait-promotion", () => {
    const [s, actions] = transition(failoverMachine, at("send_slaveof_noone", { promoted, stateChangeTime: T - 5 }), step({ promotedConnected: true }));
    expect(s.value).toBe("wait_promotion");
    expect(s.context.stateChangeTime).toBe(T);
    expect(s.context.promoted).toBe(promoted);
    expect(actionNames(actions)).toEqual(["sendPromotion", "announce(+failover-state-wait-promotion/promoted)"]);
    expect(namedAt("send_slaveof_noone", step({ promotedConnected: true }), { promoted }).names).toEqual([
      "sendPromotion",
      "markStateChange",
      "announce(+failover-state-wait-promotion/promoted)",
    ]);
  });

  it("retries while disconnected, until failover-timeout since the state change", () => {
    const [s, actions] = transition(failoverMachine, at("send_slaveof_noone", { promoted, stateChangeTime: T - FT }), step());
    expect(s.value).toBe("send_slaveof_noone");
    expect(actions).toEqual([]);
  });

  it("stateTimedOut → none: -failover-abort-slave-timeout, abort, forget", () => {
    const [s, actions] = transition(failoverMachine, at("send_slaveof_noone", { promoted, stateChangeTime: T - FT - 1 }), step());
    expect(s.value).toBe("none");
    expect(s.context.promoted).toBeNull();
    expect(actionNames(actions)).toEqual(["announce(-failover-abort-slave-timeout/master)", "abort"]);
    expect(namedAt("send_slaveof_noone", step(), { promoted, stateChangeTime: T - FT - 1 }).names).toEqual(ABORT("-failover-abort-slave-timeout"));
  });

  it("a connected replica is promoted even after the timeout", () => {
    const [s] = transition(failoverMachine, at("send_slaveof_noone", { promoted, stateChangeTime: 0 }), step({ promotedConnected: true }));
    expect(s.value).toBe("wait_promotion");
  });
});

describe("failoverMachine: wait_promotion (§11.5)", () => {
  const promoted = "10.0.0.2:6380";

  it("PROMOTED → reconf_slaves: markStateChange, confirmPromotion", () => {
    const [s, actions] = transition(failoverMachine, at("wait_promotion", { promoted, stateChangeTime: T - 100 }), { type: "PROMOTED", now: T });
    expect(s.value).toBe("reconf_slaves");
    expect(s.context.stateChangeTime).toBe(T);
    expect(s.context.promoted).toBe(promoted);
    expect(actionNames(actions)).toEqual(["confirmPromotion"]);
    expect(namedAt("wait_promotion", { type: "PROMOTED", now: T }, { promoted }).names).toEqual(["markStateChange", "confirmPromotion"]);
  });

  it("a STEP only handles the timeout", () => {
    const [s, actions] = transition(failoverMachine, at("wait_promotion", { promoted, stateChangeTime: T - FT }), step({ promotedConnected: true, isLeader: true }));
    expect(s.value).toBe("wait_promotion");
    expect(actions).toEqual([]);
  });

  it("stateTimedOut → none: -failover-abort-slave-timeout, abort, forget", () => {
    const [s, actions] = transition(failoverMachine, at("wait_promotion", { promoted, stateChangeTime: T - FT - 1 }), step());
    expect(s.value).toBe("none");
    expect(actionNames(actions)).toEqual(["announce(-failover-abort-slave-timeout/master)", "abort"]);
    expect(namedAt("wait_promotion", step(), { promoted, stateChangeTime: T - FT - 1 }).names).toEqual(ABORT("-failover-abort-slave-timeout"));
  });

  it("PROMOTED is ignored in every other state", () => {
    for (const v of ["none", "wait_start", "select_slave", "send_slaveof_noone", "reconf_slaves", "update_config"] as const) {
      const [s, actions] = transition(failoverMachine, at(v, { promoted }), { type: "PROMOTED", now: T });
      expect(s.value).toBe(v);
      expect(actions).toEqual([]);
    }
  });
});

describe("failoverMachine: reconf_slaves (§11.6–11.7)", () => {
  const promoted = "10.0.0.2:6380";

  it("reconfigurationDone → update_config: +failover-end, markStateChange", () => {
    const [s, actions] = transition(failoverMachine, at("reconf_slaves", { promoted, stateChangeTime: T - 10 }), step({ promotedUsable: true, allReconfigured: true }));
    expect(s.value).toBe("update_config");
    expect(s.context.stateChangeTime).toBe(T);
    expect(actionNames(actions)).toEqual(["announce(+failover-end/master)"]);
    expect(namedAt("reconf_slaves", step({ promotedUsable: true, allReconfigured: true }), { promoted }).names).toEqual([
      "announce(+failover-end/master)",
      "markStateChange",
    ]);
  });

  it("waits while replicas are still being reconfigured", () => {
    const [s, actions] = transition(failoverMachine, at("reconf_slaves", { promoted, stateChangeTime: T - FT }), step({ promotedUsable: true }));
    expect(s.value).toBe("reconf_slaves");
    expect(actions).toEqual([]);
  });

  it("reconfigurationTimedOut → update_config: +failover-end-for-timeout, +failover-end, then best effort (Sentinel's order)", () => {
    const [s, actions] = transition(failoverMachine, at("reconf_slaves", { promoted, stateChangeTime: T - FT - 1 }), step({ promotedUsable: true }));
    expect(s.value).toBe("update_config");
    expect(actionNames(actions)).toEqual(["announce(+failover-end-for-timeout/master)", "announce(+failover-end/master)", "bestEffortReconfigure"]);
    expect(namedAt("reconf_slaves", step({ promotedUsable: true }), { promoted, stateChangeTime: T - FT - 1 }).names).toEqual([
      "announce(+failover-end-for-timeout/master)",
      "announce(+failover-end/master)",
      "markStateChange",
      "bestEffortReconfigure",
    ]);
  });

  it("cannot finish (even on timeout) while the promoted replica is unusable", () => {
    for (const f of [{ allReconfigured: true }, { allReconfigured: false }]) {
      const [s, actions] = transition(failoverMachine, at("reconf_slaves", { promoted, stateChangeTime: 0 }), step({ ...f, promotedUsable: false }));
      expect(s.value).toBe("reconf_slaves");
      expect(actions).toEqual([]);
    }
  });

  it("can never abort: no STEP leads back to none", () => {
    for (const promotedUsable of [true, false]) {
      for (const allReconfigured of [true, false]) {
        for (const stateChangeTime of [0, T]) {
          const [s, actions] = transition(failoverMachine, at("reconf_slaves", { promoted, stateChangeTime }), step({ promotedUsable, allReconfigured }));
          expect(s.value).not.toBe("none");
          expect(actionNames(actions)).not.toContain("abort");
        }
      }
    }
  });
});

describe("failoverMachine: update_config (§11.8)", () => {
  it("SWITCHED → none: switchToPromoted, forgetAll (start time 0: a new failover may start at once)", () => {
    const [s, actions] = transition(failoverMachine, at("update_config", { promoted: "x:1", forced: true }), { type: "SWITCHED", now: T });
    expect(s.value).toBe("none");
    expect(s.context).toEqual({ failoverEpoch: 7, startTime: 0, stateChangeTime: 0, forced: false, coordinated: false, promoted: null });
    expect(actionNames(actions)).toEqual(["switchToPromoted"]);
    expect(namedAt("update_config", { type: "SWITCHED", now: T }).names).toEqual(["switchToPromoted", "forgetAll"]);
  });

  it("a STEP does nothing (the switch happens after the subtree, §3)", () => {
    const [s, actions] = transition(failoverMachine, at("update_config", { promoted: "x:1" }), step({ promotedUsable: true, allReconfigured: true }));
    expect(s.value).toBe("update_config");
    expect(actions).toEqual([]);
  });

  it("SWITCHED is ignored outside update_config", () => {
    for (const v of ["none", "wait_start", "select_slave", "send_slaveof_noone", "wait_promotion", "reconf_slaves"] as const) {
      expect(transition(failoverMachine, at(v), { type: "SWITCHED", now: T })[0].value).toBe(v);
    }
  });
});

describe("failoverMachine: root events", () => {
  const all = ["none", "wait_start", "select_slave", "send_slaveof_noone", "wait_promotion", "reconf_slaves", "update_config"] as const;

  it("RESET from any state → none with forgetAll, epoch kept, no announcements", () => {
    for (const v of all) {
      const [s, actions] = transition(failoverMachine, at(v, { promoted: "x:1", forced: true, startTime: T + 5 }), { type: "RESET", now: T });
      expect(s.value).toBe("none");
      expect(s.context).toEqual({ failoverEpoch: 7, startTime: 0, stateChangeTime: 0, forced: false, coordinated: false, promoted: null });
      expect(actions).toEqual([]);
      expect(namedAt(v, { type: "RESET", now: T }).names).toEqual(["forgetAll"]);
    }
  });

  it("DEFER in any state only moves the start time (vote for another sentinel, §10.2)", () => {
    for (const v of all) {
      const [s, actions] = transition(failoverMachine, at(v, { promoted: "x:1" }), { type: "DEFER", startTime: T + 777 });
      expect(s.value).toBe(v);
      expect(s.context).toEqual(ctx({ promoted: "x:1", startTime: T + 777 }));
      expect(actions).toEqual([]);
      expect(namedAt(v, { type: "DEFER", startTime: T + 777 }).names).toEqual(["defer"]);
    }
  });

  it("START is ignored while a failover is in progress", () => {
    for (const v of all.slice(1)) {
      const [s, actions] = transition(failoverMachine, at(v), { type: "START", now: T, epoch: 99, forced: true, desync: 0 });
      expect(s.value).toBe(v);
      expect(s.context.failoverEpoch).toBe(7);
      expect(actions).toEqual([]);
    }
  });
});
