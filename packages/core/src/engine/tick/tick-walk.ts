import { transition } from "xstate";
import { clockJumped, tiltExpired, tiltMachine } from "../../machines/tilt.machine.js";
import { FAST_TIMING, type Timing } from "../../settings/timing.js";
import type { EngineContext } from "../context/engine-context.js";
import { checkOdown, checkSdown } from "../detection/down-detection.js";
import { driveFailover, finishSwitch } from "../failover/failover-driver.js";
import { maybeStartFailover } from "../failover/failover-start.js";
import { superviseHandover } from "../failover/switchover-driver.js";
import { applyFence } from "../fencing/fence-upkeep.js";
import { touchAll } from "../links/link-registry.js";
import { monitor1 } from "../links/periodic-traffic.js";
import type { MasterRecord } from "../records.js";
import { askPeers } from "../votes/peer-votes.js";
import { subtreeDueAt } from "./tick-due.js";

/** §3: TILT check, then every master's subtree, then the pending switch. */
export function tick(c: EngineContext): void {
  const tiltBefore = c.inTilt();
  tickTilt(c);
  const tilt = c.inTilt();
  if (tilt !== tiltBefore || timingChanged(c)) touchAll(c);
  // No copies of the maps: neither the monitoring nor the acting half adds or removes records (that
  // happens on replies, hellos, API calls and in finishSwitch, which runs after the walk).
  let switching: MasterRecord[] | null = null;
  for (const m of c.masters.values()) {
    // Skip subtrees with nothing due (tick-due.ts): most of them, on most ticks.
    if (m.dueAt > c.now && c.faults.walkEveryTick !== true) continue;
    c.walks++;
    monitor1(c, m, m);
    for (const r of m.replicas.values()) monitor1(c, r, m);
    for (const s of m.sentinels.values()) monitor1(c, s, m);
    if (!tilt) {
      act(c, m);
      if (m.failover.value === "update_config") (switching ??= []).push(m);
    }
    m.dueAt = subtreeDueAt(m, c.timing, c.now);
  }
  if (switching !== null) for (const m of switching) finishSwitch(c, m);
}

/**
 * §14. `transition()` is costly and, on nearly every tick, would only remember the time: the machine
 * changes state only when one of its guards holds, the clock jumped (`clockJumped`) or, in TILT, the
 * TILT period expired (`tiltExpired`). Only then is it transitioned, from its snapshot with
 * `previousTime` set to the last tick, exactly as if it had seen every tick.
 */
export function tickTilt(c: EngineContext): void {
  const previous = c.lastTickTime;
  c.lastTickTime = c.now;
  const jumped = clockJumped(previous, c.now, c.timing.tiltTrigger);
  const expired = c.inTilt() && tiltExpired(c.tilt.context.tiltSince, c.now, c.timing.tiltPeriod);
  if (!jumped && !expired) return;
  const from = tiltMachine.resolveState({ value: c.tilt.value, context: { ...c.tilt.context, previousTime: previous } });
  const [tilt, actions] = transition(tiltMachine, from, {
    type: "TICK",
    now: c.now,
    tiltTrigger: c.timing.tiltTrigger,
    tiltPeriod: c.timing.tiltPeriod,
  });
  c.tilt = tilt;
  for (const a of actions) {
    if (a.type === "announce") {
      const type = (a.params as { type: string }).type;
      c.emit(type, "warning", type === "+tilt" ? "#tilt mode entered" : "#tilt mode exited");
    }
  }
}

/** Emit one `wake` for the earliest wanted tick unless an earlier one is already pending. */
export function requestWake(c: EngineContext): void {
  const at = c.wantTickAt;
  if (at === Number.POSITIVE_INFINITY) return;
  c.wantTickAt = Number.POSITIVE_INFINITY;
  // Reached (timers may fire a millisecond early against the wall clock): no longer pending.
  if (c.wakePending <= c.now + WAKE_SLACK_MS) c.wakePending = Number.POSITIVE_INFINITY;
  if (at >= c.wakePending) return;
  c.wakePending = at;
  c.cmd({ kind: "wake", at });
}

/** Acting half for one master subtree (§3): SDOWN everywhere, ODOWN, failover, asking peers. */
export function act(c: EngineContext, m: MasterRecord): void {
  for (const r of m.replicas.values()) checkSdown(c, r, m);
  for (const s of m.sentinels.values()) checkSdown(c, s, m);
  checkSdown(c, m, m);
  checkOdown(c, m);
  if (maybeStartFailover(c, m)) askPeers(c, m, true);
  driveFailover(c, m);
  superviseHandover(c, m);
  askPeers(c, m, false);
  applyFence(c, m);
  // Fast profile: while a master is in trouble, step every EAGER_STEP_MS as the daemon's old 20 ms
  // tick did (asking peers, fast INFO, the election and failover progress all ride on ticks too).
  if (c.timing.eager && (m.health.value === "sdown" || m.odown.value === "odown" || m.failover.value !== "none" || m.startAt !== null)) {
    c.wakeBy(c.now + EAGER_STEP_MS);
  }
}

/** Eager mode: react to an input at once instead of at the next tick. */
export function actNow(c: EngineContext, m: MasterRecord): void {
  m.dueAt = 0;
  if (!c.timing.eager || c.inTilt()) return;
  act(c, m);
  if (m.failover.value === "update_config") finishSwitch(c, m);
}

/** SENTINEL DEBUG assigns periods directly: due times computed with the old ones may be late. */
export function timingChanged(c: EngineContext): boolean {
  const t = c.timing;
  const seen = c.timingSeen;
  let changed = false;
  for (const key of TIMING_KEYS) {
    if (seen[key] !== t[key]) {
      seen[key] = t[key];
      changed = true;
    }
  }
  return changed;
}
type TimingKey = keyof Timing;
/** Tick spacing the fast profile asks for (`wake`) while a master is in trouble (ms). */
const EAGER_STEP_MS = 20;
/** A pending `wake` within this many ms of `now` counts as reached (ms). */
const WAKE_SLACK_MS = 2;
/** Every period and switch of the timing, compared on each tick (17 reads). */
const TIMING_KEYS = Object.keys(FAST_TIMING) as TimingKey[];
