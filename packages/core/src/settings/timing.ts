import { z } from "./zod-mini.js";

/**
 * Every period the engine uses. The first thirteen are Sentinel's `SENTINEL DEBUG` keys (§2);
 * the rest are Vigil's event-driven accelerations, which the `sentinel` profile turns off.
 */
export const TimingSchema = z.object({
  infoPeriod: z.int().check(z.positive()),
  pingPeriod: z.int().check(z.positive()),
  askPeriod: z.int().check(z.positive()),
  publishPeriod: z.int().check(z.positive()),
  defaultDownAfter: z.int().check(z.positive()),
  defaultFailoverTimeout: z.int().check(z.positive()),
  tiltTrigger: z.int().check(z.positive()),
  tiltPeriod: z.int().check(z.positive()),
  slaveReconfTimeout: z.int().check(z.positive()),
  minLinkReconnectPeriod: z.int().check(z.positive()),
  electionTimeout: z.int().check(z.positive()),
  scriptMaxRuntime: z.int().check(z.positive()),
  scriptRetryDelay: z.int().check(z.positive()),
  /** Upper bound (exclusive) of the random desync added to failover_start_time (Sentinel: 1000). */
  maxDesync: z.int().check(z.positive()),
  /**
   * Above 0, the campaign order after ODOWN (election/campaign-stagger.ts): the first-ranked sentinel
   * by run id campaigns at once, later ranks wait for better-ranked peers, and this many ms more when
   * none of those agrees the master is down. 0 = no order (Sentinel: it relies on its randomised
   * 10–19 Hz timer instead).
   */
  startJitter: z.int().check(z.gte(0)),
  /**
   * After answering a peer's `is-master-down-by-addr ... *` probe with "down", wait 200 ms plus a
   * random 0..peerProbeYield ms before starting our own failover, so the asking sentinel (often a
   * real Sentinel in a mixed fleet) gets our vote instead of a split. 0 = off (the fast profile,
   * where the start jitter already separates Vigil peers).
   */
  peerProbeYield: z.int().check(z.gte(0)),
  /** INFO period for replicas of a master that is ODOWN or failing over (Sentinel: 1000). */
  fastInfoPeriod: z.int().check(z.positive()),
  /**
   * Event-driven mode: re-evaluate ODOWN and the election as soon as a peer replies, ask INFO of the
   * promoted replica right after its SLAVEOF NO ONE reply, and reconfigure replicas at once.
   * Safety rules are unchanged; only latency.
   */
  eager: z.boolean(),
  /**
   * Adaptive PING cadence (see {@link pingInterval}): ping each master's instances every
   * `clamp(down-after / 5, pingPeriod, 1000)` ms instead of `min(down-after, pingPeriod)`. Assigning
   * `pingPeriod` on an engine's timing (`SENTINEL DEBUG PING-PERIOD`) turns it off: an explicit
   * period wins.
   */
  adaptivePing: z.boolean(),
  /**
   * Coalesced periodic traffic (see {@link coalesceWindow}): when INFO, PING or a hello falls due on
   * a link, the others due within half a PING interval go out with it, in the same write.
   */
  coalesceTraffic: z.boolean(),
});

/** Validated timing profile. */
export type Timing = z.infer<typeof TimingSchema>;

/** Sentinel's exact periods (§2): use for mixed fleets and side-by-side comparisons. */
export const SENTINEL_TIMING: Timing = Object.freeze({
  infoPeriod: 10000,
  pingPeriod: 1000,
  askPeriod: 1000,
  publishPeriod: 2000,
  defaultDownAfter: 30000,
  defaultFailoverTimeout: 180000,
  tiltTrigger: 2000,
  tiltPeriod: 30000,
  slaveReconfTimeout: 10000,
  minLinkReconnectPeriod: 15000,
  electionTimeout: 10000,
  scriptMaxRuntime: 60000,
  scriptRetryDelay: 30000,
  maxDesync: 1000,
  startJitter: 0,
  peerProbeYield: 800,
  fastInfoPeriod: 1000,
  eager: false,
  adaptivePing: false,
  coalesceTraffic: false,
});

/**
 * Vigil's default: Sentinel's rules with event-driven reactions and short PING/INFO cadences so the
 * time between `down-after-milliseconds` and a usable new master is a few ticks, not seconds.
 */
export const FAST_TIMING: Timing = Object.freeze({
  ...SENTINEL_TIMING,
  pingPeriod: 100,
  askPeriod: 100,
  maxDesync: 100,
  startJitter: 50,
  peerProbeYield: 0,
  fastInfoPeriod: 100,
  eager: true,
  adaptivePing: true,
  coalesceTraffic: true,
});

/** Upper bound of the adaptive PING interval: Sentinel's own ping period (ms). */
export const ADAPTIVE_PING_MAX = 1000;

/**
 * How often the instances of a master with `down-after-milliseconds = downAfterMs` are pinged.
 *
 * Sentinel's rule (the `sentinel` profile, and any profile once `SENTINEL DEBUG PING-PERIOD` was set):
 * `min(down-after, ping-period)`.
 *
 * Adaptive rule (the `fast` profile): `clamp(down-after / 5, ping-period (100), 1000)`, never above
 * down-after. Why a slower ping costs no failover speed where it matters: a crashed process (`kill -9`,
 * a host reboot with RST) is detected through the closed connection, and SDOWN then counts from the
 * drop (eager profile) or the first reconnection attempt, not from the next PING. The ping period only delays the detection of *silent* failures
 * (a hung process, a partition), by half a period on average, i.e. down-after / 10 with this rule —
 * while a fixed 100 ms period costs 10× Sentinel's PING traffic and CPU at any down-after of 5 s or more.
 */
export function pingInterval(t: Timing, downAfterMs: number): number {
  if (!t.adaptivePing) return Math.min(downAfterMs, t.pingPeriod);
  const adaptive = Math.min(ADAPTIVE_PING_MAX, Math.max(t.pingPeriod, Math.floor(downAfterMs / 5)));
  return Math.min(downAfterMs, adaptive);
}

/**
 * How early INFO, PING and hello may go out on a link when another of them is due there (0: never).
 *
 * Each has its own period (INFO 10 s, PING every {@link pingInterval}, hello 2 s), so sent strictly
 * on time they mostly fall on different ticks: three writes to the instance, three replies to read,
 * three wake-ups of the event loop on both sides, where one would do. Sending whatever is due within
 * half a PING interval together snaps their phases onto the PING's after one early send; from then
 * on every hello rides every other PING and INFO every tenth, at unchanged rates (at most one period
 * shortened by the window). Earlier only, never later: every check runs at least as often as its
 * period says, so detection and safety are unchanged.
 */
export function coalesceWindow(t: Timing, pingIntervalMs: number): number {
  return t.coalesceTraffic ? Math.floor(pingIntervalMs / 2) : 0;
}

/**
 * The engine's own, mutable copy of a profile. `pingPeriod` is an accessor: assigning it (the API's
 * `SENTINEL DEBUG PING-PERIOD`) also clears `adaptivePing`, so an explicitly set period is used as is.
 */
export function engineTiming(t: Timing): Timing {
  // The accessor is written in the literal: redefining an existing data property as an accessor
  // (`Object.defineProperty`) puts the object in dictionary mode, and the tick walk reads this
  // object's fields for every record on every tick (test/record-shapes.test.ts).
  const { pingPeriod, ...rest } = t;
  let ping = pingPeriod;
  const copy: Timing = {
    ...rest,
    get pingPeriod() {
      return ping;
    },
    set pingPeriod(v: number) {
      ping = v;
      copy.adaptivePing = false;
    },
  };
  return copy;
}

/** Named timing profiles. */
export type TimingProfile = "fast" | "sentinel";

/** Resolve a profile name to its periods. */
export function timingFor(profile: TimingProfile): Timing {
  return profile === "sentinel" ? SENTINEL_TIMING : FAST_TIMING;
}

/** `SENTINEL DEBUG` keys in the order Sentinel lists them (§17.1), mapped to timing fields. */
export const DEBUG_KEYS = [
  ["INFO-PERIOD", "infoPeriod"],
  ["PING-PERIOD", "pingPeriod"],
  ["ASK-PERIOD", "askPeriod"],
  ["PUBLISH-PERIOD", "publishPeriod"],
  ["DEFAULT-DOWN-AFTER", "defaultDownAfter"],
  ["DEFAULT-FAILOVER-TIMEOUT", "defaultFailoverTimeout"],
  ["TILT-TRIGGER", "tiltTrigger"],
  ["TILT-PERIOD", "tiltPeriod"],
  ["SLAVE-RECONF-TIMEOUT", "slaveReconfTimeout"],
  ["MIN-LINK-RECONNECT-PERIOD", "minLinkReconnectPeriod"],
  ["ELECTION-TIMEOUT", "electionTimeout"],
  ["SCRIPT-MAX-RUNTIME", "scriptMaxRuntime"],
  ["SCRIPT-RETRY-DELAY", "scriptRetryDelay"],
] as const satisfies ReadonlyArray<readonly [string, keyof Timing]>;
