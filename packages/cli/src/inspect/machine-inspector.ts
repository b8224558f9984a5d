import { createWebSocketInspector, type StatelyInspectionEvent } from "@statelyai/inspect";
import { failoverMachine, instanceHealthMachine, odownMachine, tiltMachine } from "@vigil/core";
import type { MachineChange, MachineKind, MachineRemoval } from "../ops/engine-observer.js";

const MACHINES: Readonly<Record<MachineKind, { readonly config: unknown }>> = {
  tilt: tiltMachine,
  health: instanceHealthMachine,
  odown: odownMachine,
  failover: failoverMachine,
};

/** The machine event a state change most likely came from (the engine does not keep it). */
export function inferMachineEvent(c: Pick<MachineChange, "machine" | "from" | "to" | "context">): string {
  switch (c.machine) {
    case "tilt":
      return "TICK";
    case "health":
    case "odown":
      return c.from !== null && c.to === c.from ? "RESET" : "EVALUATE";
    case "failover":
      if (c.from === "none" && c.to === "wait_start") return "START";
      if (c.from === "wait_promotion" && c.to === "reconf_slaves") return "PROMOTED";
      if (c.from === "update_config" && c.to === "none") return "SWITCHED";
      if (c.from === c.to && c.to === "none") return "DEFER";
      return "STEP";
  }
}

/**
 * TICK noise: the TILT machine is stepped on every tick. Snapshots are only produced for real
 * changes already; this also drops any bare TICK event, so the inspector shows decisions only.
 */
export function isTickNoise(e: StatelyInspectionEvent): boolean {
  return e.type === "@xstate.event" && (e.event as { type?: string } | undefined)?.type === "TICK";
}

/** Streams the engine's machines to a WebSocket inspector relay. */
export interface MachineInspector {
  /** Forward what the engine observer saw after one step. */
  publish(changes: readonly MachineChange[], removals: readonly MachineRemoval[]): void;
  stop(): void;
}

/**
 * Feed `@statelyai/inspect`'s WebSocket inspector from observed machine changes: an actor
 * registration (with the machine definition, so the inspector draws it) on first sight, then an
 * event and a snapshot per change. `redact` runs on every context and event before they leave.
 */
export function createMachineInspector(url: string, redact: <T>(v: T) => T): MachineInspector {
  const inspector = createWebSocketInspector({
    url,
    filter: (e) => !isTickNoise(e),
    sanitizeContext: (ctx) => redact(ctx),
    sanitizeEvent: (ev) => redact(ev),
    maxDeferredEvents: 5000,
  });
  const ref = (c: { id: string; machine: MachineKind }) =>
    // The inspector reads `sessionId` and, for the drawing, `logic.config`; nothing else of an actor.
    ({ sessionId: `vigil:${c.id}`, id: c.id, logic: MACHINES[c.machine] }) as unknown as Parameters<typeof inspector.actor>[0];
  const kinds = new Map<string, MachineKind>();
  return {
    publish(changes, removals) {
      for (const c of changes) {
        const snapshot = { status: "active" as const, value: c.to, context: { ...c.context, ...(c.master ? { master: c.master } : {}), ...(c.instance ? { instance: c.instance } : {}) } };
        if (c.from === null) {
          kinds.set(c.id, c.machine);
          inspector.actor(ref(c), snapshot);
          continue;
        }
        const event = { type: inferMachineEvent(c), cause: c.cause ?? "api" };
        inspector.event(ref(c), event);
        inspector.snapshot(ref(c), snapshot, { event });
      }
      for (const r of removals) {
        const machine = kinds.get(r.id);
        if (!machine) continue;
        kinds.delete(r.id);
        inspector.snapshot(ref({ id: r.id, machine }), { status: "stopped" });
      }
    },
    stop: () => inspector.stop(),
  };
}
