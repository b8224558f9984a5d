import type { EngineInput, InstanceView, MachineStateView, SentinelEngine } from "@vigil/core";

/** Which of the core's machines a change is about. */
export type MachineKind = "tilt" | "health" | "odown" | "failover";

/** One machine instance that moved (or appeared) during a step. */
export interface MachineChange {
  /** Stable id: `tilt`, `<master>/failover`, `<master>/odown`, `<master>/health`, `<master>/replica/<ip:port>/health`, `<master>/sentinel/<runid>/health`. */
  readonly id: string;
  readonly machine: MachineKind;
  /** The master group, absent for the global TILT machine. */
  readonly master?: string;
  /** What the machine watches. */
  readonly subject: "sentinel-process" | "master" | "replica" | "sentinel";
  /** `ip:port` or run id of the subject (absent for TILT). */
  readonly instance?: string;
  /** Previous state value; `null` the first time the machine is seen. */
  readonly from: string | null;
  readonly to: string;
  /** The machine's context after the step (a copy; safe to keep). */
  readonly context: Readonly<Record<string, unknown>>;
  /** Wall-clock ms of the observation. */
  readonly at: number;
  /** Kind of engine input that caused the step; absent for API-driven outputs (SENTINEL FAILOVER, votes, ...). */
  readonly cause?: EngineInput["kind"];
}

/** A machine instance that went away (master removed, replica or sentinel forgotten by a reset). */
export interface MachineRemoval {
  readonly id: string;
  readonly at: number;
}

interface Seen {
  ref: unknown;
  value: string;
  contextJson: string;
}

/**
 * The engine advances its machines with pure `transition()` and keeps the snapshots in its records,
 * so there is no actor to subscribe to. This observer diffs them (the view's `*Machine` fields) after each runtime step
 * (identity first, which is all most ticks cost) and reports what moved, for metrics, the topology
 * page and the XState inspector alike.
 */
export class EngineObserver {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly engine: SentinelEngine) {}

  /** Compare every machine with the last observation; returns changes (first sightings included) and removals. */
  observe(at: number, cause?: EngineInput["kind"]): { changes: MachineChange[]; removals: MachineRemoval[] } {
    const changes: MachineChange[] = [];
    const alive = new Set<string>();
    const visit = (
      id: string,
      machine: MachineKind,
      subject: MachineChange["subject"],
      ref: unknown,
      value: string,
      context: () => Record<string, unknown>,
      master?: string,
      instance?: string,
    ) => {
      alive.add(id);
      const prev = this.seen.get(id);
      // Same snapshot object: the engine did not transition this machine, nothing to compare.
      if (prev !== undefined && prev.ref === ref) return;
      const ctx = context();
      const contextJson = JSON.stringify(ctx);
      if (prev !== undefined && prev.value === value && prev.contextJson === contextJson) {
        prev.ref = ref;
        return;
      }
      this.seen.set(id, { ref, value, contextJson });
      const change: MachineChange = { id, machine, subject, from: prev?.value ?? null, to: value, context: ctx, at };
      changes.push({ ...change, ...(master === undefined ? {} : { master }), ...(instance === undefined ? {} : { instance }), ...(cause === undefined ? {} : { cause }) });
    };
    // TILT's snapshot changes every tick (it remembers the tick time): compare the meaningful part only.
    const tilt = this.engine.inTilt();
    const tiltSince = this.engine.tiltSince();
    visit("tilt", "tilt", "sentinel-process", `${tilt}:${tiltSince}`, tilt ? "tilt" : "normal", () => ({ tiltSince }));
    const machine = (id: string, kind: MachineKind, subject: MachineChange["subject"], state: MachineStateView, master: string, instance: string) =>
      visit(id, kind, subject, state.ref, state.value, () => ({ ...state.context }), master, instance);
    for (const m of this.engine.view().masters) {
      const name = m.name;
      machine(`${name}/failover`, "failover", "master", m.failoverMachine, name, addr(m));
      machine(`${name}/odown`, "odown", "master", m.odownMachine, name, addr(m));
      machine(`${name}/health`, "health", "master", m.healthMachine, name, addr(m));
      for (const r of m.replicas.values()) machine(`${name}/replica/${r.name}/health`, "health", "replica", r.healthMachine, name, r.name);
      for (const s of m.sentinels.values()) machine(`${name}/sentinel/${s.runId}/health`, "health", "sentinel", s.healthMachine, name, s.runId);
    }
    const removals: MachineRemoval[] = [];
    for (const id of this.seen.keys()) {
      if (!alive.has(id)) {
        this.seen.delete(id);
        removals.push({ id, at });
      }
    }
    return { changes, removals };
  }
}

function addr(inst: InstanceView): string {
  return `${inst.addr.host}:${inst.addr.port}`;
}
