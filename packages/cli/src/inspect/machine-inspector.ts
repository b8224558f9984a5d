import { createWebSocketInspector, type StatelyInspectionEvent } from "@statelyai/inspect";
import { failoverMachine, instanceHealthMachine, odownMachine, type SentinelEvent, tiltMachine } from "@vigil/core";
import type { MachineChange, MachineKind, MachineRemoval } from "../ops/engine-observer.js";
import { failoverStateAfter } from "../ops/failover-phases.js";

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
  /**
   * Forward the failover states a step went through: the engine can chain several transitions in
   * one step, which the after-step diff alone would show as one impossible jump.
   */
  onSentinelEvent(e: SentinelEvent): void;
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
  /** Last value and context sent per actor, so event-driven and diff-driven updates do not repeat. */
  const sent = new Map<string, { value: string; context: Record<string, unknown>; viaEvent: boolean }>();
  const step = (id: string, machine: MachineKind, to: string, context: Record<string, unknown>, event: { type: string; cause: string }, viaEvent: boolean) => {
    inspector.event(ref({ id, machine }), event);
    inspector.snapshot(ref({ id, machine }), { status: "active", value: to, context }, { event });
    sent.set(id, { value: to, context, viaEvent });
  };
  return {
    onSentinelEvent(e) {
      const to = failoverStateAfter(e.type);
      if (to === undefined || e.master === undefined) return;
      const id = `${e.master}/failover`;
      const last = sent.get(id);
      if (!last || last.value === to) return;
      step(id, "failover", to, last.context, { type: inferMachineEvent({ machine: "failover", from: last.value, to, context: {} }), cause: e.type }, true);
    },
    publish(changes, removals) {
      for (const c of changes) {
        const context = { ...c.context, ...(c.master ? { master: c.master } : {}), ...(c.instance ? { instance: c.instance } : {}) };
        if (c.from === null) {
          kinds.set(c.id, c.machine);
          inspector.actor(ref(c), { status: "active", value: c.to, context });
          sent.set(c.id, { value: c.to, context, viaEvent: false });
          continue;
        }
        const last = sent.get(c.id);
        if (last?.viaEvent && last.value === c.to) {
          // The events already walked the machine here; only the full context is new.
          inspector.snapshot(ref(c), { status: "active", value: c.to, context });
          sent.set(c.id, { value: c.to, context, viaEvent: false });
          continue;
        }
        const from = last?.value ?? c.from;
        step(c.id, c.machine, c.to, context, { type: inferMachineEvent({ ...c, from }), cause: c.cause ?? "api" }, false);
      }
      for (const r of removals) {
        const machine = kinds.get(r.id);
        if (!machine) continue;
        kinds.delete(r.id);
        sent.delete(r.id);
        inspector.snapshot(ref({ id: r.id, machine }), { status: "stopped" });
      }
    },
    stop: () => inspector.stop(),
  };
}
