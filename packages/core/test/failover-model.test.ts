// Model-based paths through the failover machine (xstate/graph). The event alphabet uses two clock
// values only (T0, and T1 where every timeout has expired), so the context takes finitely many values
// and the traversal is exhaustive: every reachable (state, context) and every edge out of it.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { type AnyStateMachine, createMachine, initialTransition, type SnapshotFrom, transition } from "xstate";
import { createTestModel, getAdjacencyMap, getShortestPaths, getSimplePaths } from "xstate/graph";
import { type FailoverEvent, type FailoverFacts, type FailoverStateName, failoverMachine } from "../src/machines/failover.machine.js";
import { actionNames } from "./support/machine-helpers.js";

// Exhaustive traversal and a 1000-run property: seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const T0 = 1_000;
const T1 = 1_000_000_000;
const ALL_STATES: FailoverStateName[] = ["none", "wait_start", "select_slave", "send_slaveof_noone", "wait_promotion", "reconf_slaves", "update_config"];
const ABORTABLE: FailoverStateName[] = ["wait_start", "select_slave", "send_slaveof_noone", "wait_promotion"];
const AFTER_PROMOTION: FailoverStateName[] = ["reconf_slaves", "update_config"];

const facts = (now: number, bits: number): FailoverFacts => ({
  now,
  failoverTimeoutMs: 180_000,
  electionTimeoutMs: 10_000,
  isLeader: (bits & 1) !== 0,
  selected: (bits & 2) !== 0 ? "10.0.0.2:6380" : null,
  promotedConnected: (bits & 4) !== 0,
  promotedUsable: (bits & 8) !== 0,
  allReconfigured: (bits & 16) !== 0,
  awaitingFreshInfo: (bits & 32) !== 0,
});

/** The full alphabet: every fact combination at both clock values, and every other event. */
const FULL_EVENTS: FailoverEvent[] = [
  { type: "START", now: T0, epoch: 1, forced: false, desync: 0 },
  { type: "START", now: T0, epoch: 1, forced: true, desync: 0 },
  ...[T0, T1].flatMap((now) => Array.from({ length: 64 }, (_, bits) => ({ type: "STEP", facts: facts(now, bits) }) as const)),
  { type: "PROMOTED", now: T0 },
  { type: "PROMOTED", now: T1 },
  { type: "SWITCHED", now: T0 },
  { type: "RESET", now: T0 },
  { type: "ABANDON", now: T0 },
  { type: "DEFER", startTime: T0 },
  { type: "DEFER", startTime: T1 },
];

/** A small alphabet for simple-path enumeration (one "everything good" step, one idle, one late). */
const SMALL_EVENTS: FailoverEvent[] = [
  { type: "START", now: T0, epoch: 1, forced: false, desync: 0 },
  { type: "STEP", facts: facts(T0, 0b11111) },
  { type: "STEP", facts: facts(T0, 0) },
  { type: "STEP", facts: facts(T1, 0) },
  { type: "STEP", facts: facts(T1, 0b01000) },
  { type: "PROMOTED", now: T0 },
  { type: "SWITCHED", now: T0 },
  { type: "RESET", now: T0 },
  { type: "ABANDON", now: T0 },
  { type: "DEFER", startTime: T0 },
];

type Snap = SnapshotFrom<typeof failoverMachine>;
type Step = { state: Snap; event: FailoverEvent };

/** Replays a path with transition() and returns every violated rule (empty = fine). */
function pathViolations(machine: AnyStateMachine, steps: readonly Step[]): string[] {
  const problems: string[] = [];
  let snap = initialTransition(machine)[0] as Snap;
  let promotedSeen = false;
  for (const { event, state: expected } of steps) {
    if ((event as { type: string }).type === "xstate.init") continue;
    const from = snap.value as FailoverStateName;
    const [next, actions] = transition(machine, snap, event as never) as [Snap, { type: string; params?: unknown }[]];
    const to = next.value as FailoverStateName;
    const names = actionNames(actions);
    if (to !== expected.value) problems.push(`replay diverged: ${from} --${event.type}--> ${to}, graph says ${expected.value}`);
    if (to === "reconf_slaves" && from !== "reconf_slaves" && !(event.type === "PROMOTED" && from === "wait_promotion")) {
      problems.push(`reached reconf_slaves from ${from} by ${event.type}, not by PROMOTED`);
    }
    if (to === "reconf_slaves" && from === "wait_promotion") promotedSeen = true;
    if (event.type === "RESET" || (event.type === "SWITCHED" && from === "update_config")) promotedSeen = false;
    if (promotedSeen && names.includes("abort")) problems.push(`abort after promotion (${from} --${event.type}-->)`);
    if (promotedSeen && !AFTER_PROMOTION.includes(to)) problems.push(`left the promoted phase to ${to} by ${event.type}`);
    if (names.includes("abort") && !(ABORTABLE.includes(from) && to === "none")) problems.push(`abort from ${from} to ${to}`);
    if (names.some((n) => n.startsWith("announce(-failover-abort")) !== names.includes("abort")) problems.push(`abort without its event (${names.join(",")})`);
    if (to === "send_slaveof_noone" && from !== to && !names.includes("announce(+selected-slave/promoted)")) problems.push("no +selected-slave");
    if (to === "update_config" && from !== to && !names.includes("announce(+failover-end/master)")) problems.push("no +failover-end");
    if (names.includes("switchToPromoted") && from !== "update_config") problems.push(`switch from ${from}`);
    snap = next;
  }
  return problems;
}

/** Exhaustive edge checks over the adjacency map. */
function edgeViolations(machine: AnyStateMachine, events: readonly FailoverEvent[]): string[] {
  const adj = getAdjacencyMap(machine, { events: events as never });
  const problems: string[] = [];
  for (const { state, transitions } of Object.values(adj)) {
    const from = (state as Snap).value as FailoverStateName;
    for (const { event, state: nextState } of Object.values(transitions) as { event: unknown; state: unknown }[]) {
      const e = event as FailoverEvent;
      const to = (nextState as Snap).value as FailoverStateName;
      if (to === "reconf_slaves" && from !== "reconf_slaves" && !(from === "wait_promotion" && e.type === "PROMOTED")) {
        problems.push(`${from} --${e.type}--> reconf_slaves`);
      }
      if (AFTER_PROMOTION.includes(from) && !AFTER_PROMOTION.includes(to)) {
        const allowed = e.type === "RESET" || (e.type === "SWITCHED" && from === "update_config");
        if (!allowed) problems.push(`${from} --${e.type}--> ${to} after promotion`);
      }
      if (AFTER_PROMOTION.includes(from)) {
        const [, actions] = transition(machine, state as never, e as never);
        if (actionNames(actions as never).includes("abort")) problems.push(`abort action from ${from}`);
      }
    }
  }
  return problems;
}

/** A copy of the machine with one extra transition, to show the checks catch a broken machine. */
function mutant(stateName: FailoverStateName, extra: Record<string, unknown>): AnyStateMachine {
  const config = failoverMachine.config as { states: Record<string, { on?: Record<string, unknown> }> };
  const st = config.states[stateName]!;
  const existing = st.on?.STEP;
  const step = [extra, ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing])];
  return createMachine(
    { ...(failoverMachine.config as object), states: { ...config.states, [stateName]: { ...st, on: { ...st.on, STEP: step } } } } as never,
    failoverMachine.implementations as never,
  );
}

describe("failover machine, model-based (xstate/graph)", () => {
  const shortest = getShortestPaths(failoverMachine, { events: FULL_EVENTS });

  it("every state of §11 is reachable", () => {
    const reached = new Set(shortest.map((p) => p.state.value as string));
    expect([...reached].sort()).toEqual([...ALL_STATES].sort());
    // The shortest route to a completed promotion goes through every state once, in Sentinel's order.
    const toUpdate = shortest.filter((p) => p.state.value === "update_config").sort((a, b) => a.steps.length - b.steps.length)[0]!;
    expect(toUpdate.steps[0]!.event.type).toBe("xstate.init");
    expect(toUpdate.steps.map((s) => s.state.value)).toEqual(ALL_STATES);
  });

  it("the graph is finite and fully explored", () => {
    const adj = getAdjacencyMap(failoverMachine, { events: FULL_EVENTS });
    const n = Object.keys(adj).length;
    expect(n).toBeGreaterThan(ALL_STATES.length);
    expect(n).toBe(shortest.length);
  });

  it("every shortest path replays and respects the rules", () => {
    for (const p of shortest) expect(pathViolations(failoverMachine, p.steps as Step[])).toEqual([]);
  });

  it("every simple path (small alphabet) replays and respects the rules", () => {
    const simple = getSimplePaths(failoverMachine, { events: SMALL_EVENTS });
    expect(simple.length).toBeGreaterThan(50);
    for (const p of simple) expect(pathViolations(failoverMachine, p.steps as Step[])).toEqual([]);
    // Some simple path reaches each terminal phase.
    expect(simple.some((p) => p.state.value === "update_config")).toBe(true);
  });

  it("exhaustively: reconf_slaves is entered only by PROMOTED from wait_promotion; no abort after promotion", () => {
    expect(edgeViolations(failoverMachine, FULL_EVENTS)).toEqual([]);
  });

  it("the checks catch a machine that skips PROMOTED", () => {
    const broken = mutant("wait_promotion", { guard: "promotedConnected", target: "reconf_slaves" });
    expect(edgeViolations(broken, FULL_EVENTS).some((p) => p.includes("wait_promotion --STEP--> reconf_slaves"))).toBe(true);
    const paths = getShortestPaths(broken, { events: FULL_EVENTS });
    expect(paths.some((p) => pathViolations(broken, p.steps as Step[]).length > 0)).toBe(true);
  });

  it("the checks catch a machine that can abort after promotion", () => {
    const broken = mutant("reconf_slaves", { guard: "stateTimedOut", target: "none", actions: ["abort", "forget"] });
    const problems = edgeViolations(broken, FULL_EVENTS);
    expect(problems.some((p) => p.includes("reconf_slaves --STEP--> none"))).toBe(true);
    expect(problems.some((p) => p.includes("abort action from reconf_slaves"))).toBe(true);
  });

  it("createTestModel: every path drives a transition()-based SUT through the expected states", async () => {
    const model = createTestModel(failoverMachine, { events: SMALL_EVENTS });
    const paths = model.getShortestPaths();
    expect(paths.length).toBeGreaterThanOrEqual(ALL_STATES.length);
    const visited = new Set<string>();
    for (const path of paths) {
      // The system under test: the machine driven through the pure transition() API, as the engine does.
      let sut = initialTransition(failoverMachine)[0];
      const check = (name: FailoverStateName) => () => {
        expect(sut.value).toBe(name);
        visited.add(name);
      };
      const exec = ({ event }: { event: FailoverEvent }) => {
        [sut] = transition(failoverMachine, sut, event);
      };
      await path.test({
        states: Object.fromEntries(ALL_STATES.map((s) => [s, check(s)])),
        events: { START: exec as never, STEP: exec as never, PROMOTED: exec as never, SWITCHED: exec as never, RESET: exec as never, ABANDON: exec as never, DEFER: exec as never },
      });
    }
    expect([...visited].sort()).toEqual([...ALL_STATES].sort());
  });

  it("property: random event sequences with arbitrary clock values respect the same rules", () => {
    const now = fc.integer({ min: 0, max: 2_000_000 });
    const event: fc.Arbitrary<FailoverEvent> = fc.oneof(
      fc.record({ type: fc.constant("START" as const), now, epoch: fc.integer({ min: 1, max: 9 }), forced: fc.boolean(), desync: fc.integer({ min: 0, max: 999 }) }),
      fc.record({ type: fc.constant("STEP" as const), facts: fc.tuple(now, fc.integer({ min: 0, max: 63 })).map(([t, bits]) => facts(t, bits)) }),
      fc.record({ type: fc.constant("STEP" as const), facts: fc.tuple(now, fc.integer({ min: 0, max: 63 })).map(([t, bits]) => facts(t, bits)) }),
      fc.record({ type: fc.constant("PROMOTED" as const), now }),
      fc.record({ type: fc.constant("SWITCHED" as const), now }),
      fc.record({ type: fc.constant("RESET" as const), now }),
      fc.record({ type: fc.constant("ABANDON" as const), now }),
      fc.record({ type: fc.constant("DEFER" as const), startTime: now }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let snap = initialTransition(failoverMachine)[0];
        const steps: Step[] = [];
        for (const e of events) {
          [snap] = transition(failoverMachine, snap, e);
          steps.push({ event: e, state: snap });
        }
        return pathViolations(failoverMachine, steps).length === 0;
      }),
      { numRuns: 1000 },
    );
  });
});
