import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { tiltMachine } from "../src/machines/tilt.machine.js";
import { actionNames, withVisibleActions } from "./support/machine-helpers.js";

const T0 = 5_000_000;
const tick = (now: number) => ({ type: "TICK", now, tiltTrigger: 2000, tiltPeriod: 30000 }) as const;
const initial = () => initialTransition(tiltMachine, { now: T0 })[0];
const VISIBLE = ["rememberTime", "startTilt"];

describe("tiltMachine transitions (§14)", () => {
  it("starts normal with previousTime = creation time", () => {
    const s = initial();
    expect(s.value).toBe("normal");
    expect(s.context).toEqual({ previousTime: T0, tiltSince: 0 });
  });

  it("a regular tick only remembers the time", () => {
    const [s, actions] = transition(tiltMachine, initial(), tick(T0 + 2000));
    expect(s.value).toBe("normal");
    expect(s.context.previousTime).toBe(T0 + 2000);
    expect(actions).toEqual([]);
    const visible = withVisibleActions(tiltMachine, VISIBLE);
    const [, named] = transition(visible, initialTransition(visible, { now: T0 })[0], tick(T0 + 100));
    expect(actionNames(named)).toEqual(["rememberTime"]);
  });

  it("a forward jump above tilt-trigger enters TILT: startTilt, announce +tilt, rememberTime", () => {
    const [s, actions] = transition(tiltMachine, initial(), tick(T0 + 2001));
    expect(s.value).toBe("tilt");
    expect(s.context).toEqual({ previousTime: T0 + 2001, tiltSince: T0 + 2001 });
    expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([{ type: "announce", params: { type: "+tilt" } }]);
    const visible = withVisibleActions(tiltMachine, VISIBLE);
    const [, named] = transition(visible, initialTransition(visible, { now: T0 })[0], tick(T0 + 2001));
    expect(actionNames(named)).toEqual(["startTilt", "announce(+tilt)", "rememberTime"]);
  });

  it("a clock going backwards enters TILT", () => {
    const [s, actions] = transition(tiltMachine, initial(), tick(T0 - 1));
    expect(s.value).toBe("tilt");
    expect(s.context.tiltSince).toBe(T0 - 1);
    expect(actionNames(actions)).toEqual(["announce(+tilt)"]);
  });

  it("a new trigger while in TILT re-enters it, restarting the period and re-announcing", () => {
    const [tilted] = transition(tiltMachine, initial(), tick(T0 + 5000));
    const [s, actions] = transition(tiltMachine, tilted, tick(T0 + 10000));
    expect(s.value).toBe("tilt");
    expect(s.context.tiltSince).toBe(T0 + 10000);
    expect(actionNames(actions)).toEqual(["announce(+tilt)"]);
  });

  it("stays in TILT until tilt-period has passed since the last trigger (strictly)", () => {
    let [s] = transition(tiltMachine, initial(), tick(T0 + 5000));
    for (let t = T0 + 6000; t <= T0 + 35000; t += 1000) {
      const [next, actions] = transition(tiltMachine, s, tick(t));
      expect(next.value).toBe("tilt");
      expect(actions).toEqual([]);
      s = next;
    }
    expect(s.context.previousTime).toBe(T0 + 35000);
    const [out, actions] = transition(tiltMachine, s, tick(T0 + 35001));
    expect(out.value).toBe("normal");
    expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([{ type: "announce", params: { type: "-tilt" } }]);
    expect(out.context.previousTime).toBe(T0 + 35001);
  });

  it("the exit transition runs announce(-tilt) then rememberTime", () => {
    const stubbed = withVisibleActions(tiltMachine, VISIBLE);
    const tilted = stubbed.resolveState({ value: "tilt", context: { previousTime: T0 + 30000, tiltSince: T0 } });
    const [, named] = transition(stubbed, tilted, tick(T0 + 30001));
    expect(actionNames(named)).toEqual(["announce(-tilt)", "rememberTime"]);
  });

  it("the trigger and period come from the event (SENTINEL DEBUG can change them)", () => {
    const [s] = transition(tiltMachine, initial(), { type: "TICK", now: T0 + 600, tiltTrigger: 500, tiltPeriod: 1000 });
    expect(s.value).toBe("tilt");
    const [still] = transition(tiltMachine, s, { type: "TICK", now: T0 + 1600, tiltTrigger: 5000, tiltPeriod: 1000 });
    expect(still.value).toBe("tilt");
    const [out] = transition(tiltMachine, still, { type: "TICK", now: T0 + 1601, tiltTrigger: 5000, tiltPeriod: 1000 });
    expect(out.value).toBe("normal");
  });
});
