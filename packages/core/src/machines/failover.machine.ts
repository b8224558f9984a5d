import { assign, setup } from "xstate";

/** Sentinel's failover states, with the names shown in the `failover-state` field (§11). */
export type FailoverStateName =
  | "none"
  | "wait_start"
  | "select_slave"
  | "send_slaveof_noone"
  | "wait_promotion"
  | "reconf_slaves"
  | "update_config";

/** Facts the engine computes for the current state before each STEP. */
export interface FailoverFacts {
  readonly now: number;
  readonly failoverTimeoutMs: number;
  readonly electionTimeoutMs: number;
  /** WAIT_START: we won the election for `failoverEpoch` (§10.3). */
  readonly isLeader: boolean;
  /**
   * WAIT_START: every vote of `failoverEpoch` is known and nobody can win it (a split vote,
   * election/split-vote.ts): the time from which a new attempt may start, else null.
   */
  readonly splitVoteRetryAt?: number | null;
  /** SELECT_SLAVE: the best replica by §12, or null. */
  readonly selected: string | null;
  /**
   * SELECT_SLAVE (eager mode only): no candidate *yet* because replicas' INFO is too old and fresh
   * INFO has been requested; wait briefly instead of aborting for 2 × failover-timeout.
   */
  readonly awaitingFreshInfo?: boolean;
  /** SEND_SLAVEOF_NOONE: the promoted replica's link is connected. */
  readonly promotedConnected: boolean;
  /** RECONF_SLAVES: the promoted replica exists and is not SDOWN (end detection precondition, §11.7). */
  readonly promotedUsable: boolean;
  /** RECONF_SLAVES: every other non-SDOWN replica is `reconf_done`. */
  readonly allReconfigured: boolean;
}

/** Inputs to the failover machine. */
export type FailoverEvent =
  | { readonly type: "START"; readonly now: number; readonly epoch: number; readonly forced: boolean; readonly desync: number; readonly coordinated?: boolean }
  /** A coordinated hand-over failed (refused, timed out, a link lost): give up, nothing was changed. */
  | { readonly type: "ABANDON"; readonly now: number }
  | { readonly type: "STEP"; readonly facts: FailoverFacts }
  | { readonly type: "PROMOTED"; readonly now: number }
  | { readonly type: "SWITCHED"; readonly now: number }
  | { readonly type: "RESET"; readonly now: number }
  /** We voted for another sentinel: no attempt of ours before `startTime` + 2 × failover-timeout. */
  | { readonly type: "DEFER"; readonly startTime: number };

/** Who an announced event is about: the master or the replica being promoted. */
export type Subject = "master" | "promoted";

/** Failover bookkeeping (§1.2: failover_epoch, failover_start_time, failover_state_change_time ...). */
export interface FailoverContext {
  failoverEpoch: number;
  /** failover_start_time: start (plus desync) of the last attempt, or of the last vote for another. */
  startTime: number;
  stateChangeTime: number;
  forced: boolean;
  /** Key (`ip:port`) of the replica selected for promotion. */
  promoted: string | null;
  /**
   * A coordinated switchover (`SENTINEL FAILOVER <m> COORDINATED`): elected like an automatic
   * failover, promoted through the master's `FAILOVER TO` (the `sendPromotion` effect).
   */
  coordinated: boolean;
}

const eventNow = (e: FailoverEvent): number => (e.type === "STEP" ? e.facts.now : e.type === "DEFER" ? e.startTime : e.now);
const stepFacts = (e: FailoverEvent): FailoverFacts | undefined => (e.type === "STEP" ? e.facts : undefined);

/**
 * The failover state machine of §11, one per master. It decides *when* to move; the engine supplies
 * facts (election result, replica ranking, link state) and carries out the named effects.
 * Once the promotion is observed (RECONF_SLAVES) the failover can no longer be aborted.
 */
export const failoverMachine = setup({
  types: { context: {} as FailoverContext, events: {} as FailoverEvent },
  guards: {
    elected: ({ context, event }) => context.forced || stepFacts(event)?.isLeader === true,
    electionTimedOut: ({ context, event }) => {
      const f = stepFacts(event);
      return f !== undefined && f.now - context.startTime > Math.min(f.electionTimeoutMs, f.failoverTimeoutMs);
    },
    splitVote: ({ context, event }) => !context.forced && stepFacts(event)?.splitVoteRetryAt != null,
    hasCandidate: ({ event }) => stepFacts(event)?.selected != null,
    awaitingFreshInfo: ({ event }) => stepFacts(event)?.awaitingFreshInfo === true,
    promotedConnected: ({ event }) => stepFacts(event)?.promotedConnected === true,
    stateTimedOut: ({ context, event }) => {
      const f = stepFacts(event);
      return f !== undefined && f.now - context.stateChangeTime > f.failoverTimeoutMs;
    },
    reconfigurationDone: ({ event }) => {
      const f = stepFacts(event);
      return f !== undefined && f.promotedUsable && f.allReconfigured;
    },
    reconfigurationTimedOut: ({ context, event }) => {
      const f = stepFacts(event);
      return f !== undefined && f.promotedUsable && f.now - context.stateChangeTime > f.failoverTimeoutMs;
    },
  },
  actions: {
    begin: assign(({ event }) =>
      event.type === "START"
        ? { failoverEpoch: event.epoch, forced: event.forced, coordinated: event.coordinated === true, startTime: event.now + event.desync, stateChangeTime: event.now, promoted: null }
        : {},
    ),
    markStateChange: assign(({ event }) => ({ stateChangeTime: eventNow(event) })),
    choosePromoted: assign(({ event }) => ({ promoted: stepFacts(event)?.selected ?? null })),
    forget: assign(({ event }) => ({ forced: false, coordinated: false, promoted: null, stateChangeTime: eventNow(event) })),
    defer: assign(({ event }) => (event.type === "DEFER" ? { startTime: event.startTime } : {})),
    /**
     * After a split vote: place failover_start_time so that the 2 × failover-timeout wait before the
     * next attempt ends at `splitVoteRetryAt` instead of 2 × failover-timeout from now.
     */
    retryAfterSplit: assign(({ event }) => {
      const f = stepFacts(event);
      return f?.splitVoteRetryAt != null ? { startTime: f.splitVoteRetryAt - 2 * f.failoverTimeoutMs } : {};
    }),
    forgetAll: assign({ forced: false, coordinated: false, promoted: null, stateChangeTime: 0, startTime: 0 }),
    /** Effect: emit a Sentinel event about the master or the promoted replica. */
    announce: (_, _params: { type: string; subject: Subject }) => {},
    /** Effect: clear failover flags on the master and the `promoted` flag on the replica (§11.9). */
    abort: () => {},
    /** Effect: send `SLAVEOF NO ONE` (the transaction) to the promoted replica. */
    sendPromotion: () => {},
    /** Effect: config_epoch = failover_epoch, persist, `+promoted-slave`, client-reconfig script, hellos (§11.5). */
    confirmPromotion: () => {},
    /** Effect: best-effort SLAVEOF to replicas not yet reconfigured after the failover timeout (§11.7). */
    bestEffortReconfigure: () => {},
    /** Effect: `+switch-master` and reset-and-change-address to the promoted replica (§11.8). */
    switchToPromoted: () => {},
  },
}).createMachine({
  id: "failover",
  context: { failoverEpoch: 0, startTime: 0, stateChangeTime: 0, forced: false, coordinated: false, promoted: null },
  initial: "none",
  on: {
    RESET: { target: ".none", actions: "forgetAll" },
    DEFER: { actions: "defer" },
  },
  states: {
    none: {
      on: {
        START: { target: "wait_start", actions: ["begin", { type: "announce", params: { type: "+try-failover", subject: "master" } }] },
      },
    },
    wait_start: {
      on: {
        STEP: [
          {
            guard: "elected",
            target: "select_slave",
            actions: [
              "markStateChange",
              { type: "announce", params: { type: "+elected-leader", subject: "master" } },
              { type: "announce", params: { type: "+failover-state-select-slave", subject: "master" } },
            ],
          },
          {
            guard: "splitVote",
            target: "none",
            actions: [{ type: "announce", params: { type: "-failover-abort-not-elected", subject: "master" } }, "abort", "forget", "retryAfterSplit"],
          },
          {
            guard: "electionTimedOut",
            target: "none",
            actions: [{ type: "announce", params: { type: "-failover-abort-not-elected", subject: "master" } }, "abort", "forget"],
          },
        ],
      },
    },
    select_slave: {
      on: {
        STEP: [
          {
            guard: "hasCandidate",
            target: "send_slaveof_noone",
            actions: [
              "choosePromoted",
              "markStateChange",
              { type: "announce", params: { type: "+selected-slave", subject: "promoted" } },
              { type: "announce", params: { type: "+failover-state-send-slaveof-noone", subject: "promoted" } },
            ],
          },
          // Stay: fresh INFO was requested and is a round trip away.
          { guard: "awaitingFreshInfo" },
          {
            target: "none",
            actions: [{ type: "announce", params: { type: "-failover-abort-no-good-slave", subject: "master" } }, "abort", "forget"],
          },
        ],
      },
    },
    send_slaveof_noone: {
      on: {
        ABANDON: { target: "none", actions: [{ type: "announce", params: { type: "-failover-abort-switchover", subject: "master" } }, "abort", "forget"] },
        STEP: [
          {
            guard: "promotedConnected",
            target: "wait_promotion",
            actions: [
              "sendPromotion",
              "markStateChange",
              { type: "announce", params: { type: "+failover-state-wait-promotion", subject: "promoted" } },
            ],
          },
          {
            guard: "stateTimedOut",
            target: "none",
            actions: [{ type: "announce", params: { type: "-failover-abort-slave-timeout", subject: "master" } }, "abort", "forget"],
          },
        ],
      },
    },
    wait_promotion: {
      on: {
        STEP: {
          guard: "stateTimedOut",
          target: "none",
          actions: [{ type: "announce", params: { type: "-failover-abort-slave-timeout", subject: "master" } }, "abort", "forget"],
        },
        PROMOTED: { target: "reconf_slaves", actions: ["markStateChange", "confirmPromotion"] },
        ABANDON: { target: "none", actions: [{ type: "announce", params: { type: "-failover-abort-switchover", subject: "master" } }, "abort", "forget"] },
      },
    },
    reconf_slaves: {
      on: {
        STEP: [
          {
            guard: "reconfigurationTimedOut",
            target: "update_config",
            // Sentinel's order (sentinelFailoverDetectEnd): the timeout, the end, then the best-effort SLAVEOFs.
            actions: [
              { type: "announce", params: { type: "+failover-end-for-timeout", subject: "master" } },
              { type: "announce", params: { type: "+failover-end", subject: "master" } },
              "markStateChange",
              "bestEffortReconfigure",
            ],
          },
          {
            guard: "reconfigurationDone",
            target: "update_config",
            actions: [{ type: "announce", params: { type: "+failover-end", subject: "master" } }, "markStateChange"],
          },
        ],
      },
    },
    update_config: {
      on: { SWITCHED: { target: "none", actions: ["switchToPromoted", "forgetAll"] } },
    },
  },
});
