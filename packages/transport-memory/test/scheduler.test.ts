import { describe, expect, it } from "vitest";
import { Scheduler } from "../src/clock/scheduler.js";

describe("Scheduler", () => {
  it("runs events by time, and simultaneous ones in scheduling order", () => {
    const s = new Scheduler(1000);
    const seen: string[] = [];
    s.at(1010, () => seen.push("b"));
    s.at(1005, () => seen.push("a"));
    s.at(1010, () => seen.push("c"));
    s.after(10, () => seen.push("d"));
    s.runUntil(2000);
    expect(seen).toEqual(["a", "b", "c", "d"]);
    expect(s.now).toBe(2000);
  });

  it("lets events schedule more events and never goes back in time", () => {
    const s = new Scheduler(0);
    const times: number[] = [];
    s.at(5, () => {
      times.push(s.now);
      s.at(1, () => times.push(s.now)); // the past is clamped to now
      s.after(3, () => times.push(s.now));
    });
    s.runUntil(100);
    expect(times).toEqual([5, 5, 8]);
  });

  it("skips cancelled events and stops when asked", () => {
    const s = new Scheduler(0);
    const seen: number[] = [];
    const h = s.at(1, () => seen.push(1));
    s.at(2, () => seen.push(2));
    s.at(3, () => seen.push(3));
    h.cancel();
    s.runUntil(10, () => seen.includes(2));
    expect(seen).toEqual([2]);
    expect(s.now).toBe(2);
  });
});
