import { assign, not, setup } from "xstate";
import { crashRuleHolds } from "../health/crash-detection.js";

/** Facts about one instance at `now`, enough to decide SDOWN (§8). */
export interface HealthFacts {
  readonly now: number;
  /** `now - act_ping_time` if a PING is outstanding, else `now - last_avail_time` if disconnected, else 0. */
  readonly elapsed: number;
  readonly downAfterMs: number;
  /** Only for a master entry: it reports `role:slave`, and since when. */
  readonly reportsReplicaSince: number | null;
  readonly infoPeriod: number;
  /** Only for a master entry with master-reboot-down-after-period set: since when it rebooted. */
  readonly rebootSince: number | null;
  readonly rebootDownAfterMs: number;
  /** For how long every connection attempt has been actively refused (0 = not in a refusal run). */
  readonly refusedForMs: number;
  /** `vigil-crash-down-after` (0 = the crash rule is off). */
  readonly crashDownAfterMs: number;
}

/**
 * Which rule makes an instance subjectively down: §8's three, and Vigil's `crash` (every connection
 * refused for `vigil-crash-down-after`, see crash-detection.ts).
 */
export type SdownCause = "no-reply" | "crash" | "master-reports-replica" | "reboot";

/**
 * The no-reply rule holds once `now` is past this (`elapsed > down-after`, with `since` the start of
 * the silence that `elapsed` measures).
 */
export function noReplyDeadline(since: number, downAfterMs: number): number {
  return since + downAfterMs;
}

/** §8 (plus the crash rule): the first rule that holds, or null when the instance is up. */
export function sdownCause(f: HealthFacts): SdownCause | null {
  if (f.elapsed > f.downAfterMs) return "no-reply";
  if (crashRuleHolds(f.refusedForMs, f.crashDownAfterMs)) return "crash";
  if (f.reportsReplicaSince !== null && f.now - f.reportsReplicaSince > f.downAfterMs + 2 * f.infoPeriod) {
    return "master-reports-replica";
  }
  if (f.rebootSince !== null && f.rebootDownAfterMs > 0 && f.now - f.rebootSince > f.rebootDownAfterMs) return "reboot";
  return null;
}

/** Event for the health machine: re-evaluate with fresh facts. */
export type HealthEvent = { readonly type: "EVALUATE"; readonly facts: HealthFacts } | { readonly type: "RESET" };

/**
 * Instance health (SDOWN) for masters, replicas and peer sentinels. `sdownSince` is kept after
 * recovery: the "no down for N ms" checks read it as "last time it went down" (§8).
 */
export const instanceHealthMachine = setup({
  types: {
    context: {} as { sdownSince: number; cause: SdownCause | null },
    events: {} as HealthEvent,
  },
  guards: {
    isSubjectivelyDown: ({ event }) => event.type === "EVALUATE" && sdownCause(event.facts) !== null,
  },
  actions: {
    recordDown: assign(({ event }) =>
      event.type === "EVALUATE" ? { sdownSince: event.facts.now, cause: sdownCause(event.facts) } : {},
    ),
    recordUp: assign({ cause: null }),
    clearHistory: assign({ sdownSince: 0, cause: null }),
    /** Effect: publish `+sdown` / `-sdown` for this instance; the engine renders the payload. */
    announce: (_, _params: { type: "+sdown" | "-sdown" }) => {},
  },
}).createMachine({
  id: "instanceHealth",
  context: { sdownSince: 0, cause: null },
  initial: "up",
  states: {
    up: {
      on: {
        EVALUATE: {
          guard: "isSubjectivelyDown",
          target: "sdown",
          actions: ["recordDown", { type: "announce", params: { type: "+sdown" } }],
        },
        RESET: { actions: "clearHistory" },
      },
    },
    sdown: {
      on: {
        EVALUATE: {
          guard: not("isSubjectivelyDown"),
          target: "up",
          actions: ["recordUp", { type: "announce", params: { type: "-sdown" } }],
        },
        RESET: { target: "up", actions: "clearHistory" },
      },
    },
  },
});
