import { assign, setup } from "xstate";

/** Event for the TILT machine: one per engine tick. */
export interface TiltTick {
  readonly type: "TICK";
  readonly now: number;
  readonly tiltTrigger: number;
  readonly tiltPeriod: number;
}

/** The clock jumped between two ticks: backwards, or forwards by more than `tiltTrigger` (§14). */
export function clockJumped(previousTime: number, now: number, tiltTrigger: number): boolean {
  const delta = now - previousTime;
  return delta < 0 || delta > tiltTrigger;
}

/** The TILT period since the last trigger is over. */
export function tiltExpired(tiltSince: number, now: number, tiltPeriod: number): boolean {
  return now - tiltSince > tiltPeriod;
}

/**
 * TILT (§14): a timer gap larger than `tiltTrigger` (or a clock going backwards) means our view of
 * time cannot be trusted, so the acting half stops for `tiltPeriod` after the last trigger.
 */
export const tiltMachine = setup({
  types: {
    context: {} as { previousTime: number; tiltSince: number },
    events: {} as TiltTick,
    input: {} as { now: number },
  },
  guards: {
    clockJumped: ({ context, event }) => clockJumped(context.previousTime, event.now, event.tiltTrigger),
    tiltExpired: ({ context, event }) => tiltExpired(context.tiltSince, event.now, event.tiltPeriod),
  },
  actions: {
    rememberTime: assign(({ event }) => ({ previousTime: event.now })),
    startTilt: assign(({ event }) => ({ tiltSince: event.now })),
    /** Effect: `+tilt #tilt mode entered` / `-tilt #tilt mode exited`. */
    announce: (_, _params: { type: "+tilt" | "-tilt" }) => {},
  },
}).createMachine({
  id: "tilt",
  context: ({ input }) => ({ previousTime: input.now, tiltSince: 0 }),
  initial: "normal",
  states: {
    normal: {
      on: {
        TICK: [
          {
            guard: "clockJumped",
            target: "tilt",
            actions: ["startTilt", { type: "announce", params: { type: "+tilt" } }, "rememberTime"],
          },
          { actions: "rememberTime" },
        ],
      },
    },
    tilt: {
      on: {
        TICK: [
          {
            guard: "clockJumped",
            target: "tilt",
            reenter: true,
            actions: ["startTilt", { type: "announce", params: { type: "+tilt" } }, "rememberTime"],
          },
          {
            guard: "tiltExpired",
            target: "normal",
            actions: [{ type: "announce", params: { type: "-tilt" } }, "rememberTime"],
          },
          { actions: "rememberTime" },
        ],
      },
    },
  },
});
