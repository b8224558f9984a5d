import { assign, not, setup } from "xstate";

/** Facts for ODOWN (§9.1): our SDOWN view plus how many peers last said the master is down. */
export interface OdownFacts {
  readonly now: number;
  readonly sdown: boolean;
  /** 1 (self) + peers whose last fresh reply carried down_state = 1. */
  readonly agreeing: number;
  readonly quorum: number;
}

/** Event for the ODOWN machine. */
export type OdownEvent = { readonly type: "EVALUATE"; readonly facts: OdownFacts } | { readonly type: "RESET" };

/** §9.1: ODOWN iff we see SDOWN and at least `quorum` sentinels (us included) agree. */
export function isObjectivelyDown(f: OdownFacts): boolean {
  return f.sdown && f.agreeing >= f.quorum;
}

/** Objective-down agreement for a master. A weak, gossip-based state; it never elects anything. */
export const odownMachine = setup({
  types: {
    context: {} as { odownSince: number },
    events: {} as OdownEvent,
  },
  guards: {
    quorumAgrees: ({ event }) => event.type === "EVALUATE" && isObjectivelyDown(event.facts),
  },
  actions: {
    recordDown: assign(({ event }) => (event.type === "EVALUATE" ? { odownSince: event.facts.now } : {})),
    clearSince: assign({ odownSince: 0 }),
    /** Effect: `+odown %@ #quorum <n>/<q>` or `-odown %@`. */
    announce: (_, _params: { type: "+odown" | "-odown" }) => {},
  },
}).createMachine({
  id: "odown",
  context: { odownSince: 0 },
  initial: "clear",
  states: {
    clear: {
      on: {
        EVALUATE: {
          guard: "quorumAgrees",
          target: "odown",
          actions: ["recordDown", { type: "announce", params: { type: "+odown" } }],
        },
      },
    },
    odown: {
      on: {
        EVALUATE: { guard: not("quorumAgrees"), target: "clear", actions: [{ type: "announce", params: { type: "-odown" } }] },
        RESET: { target: "clear", actions: "clearSince" },
      },
    },
  },
});
