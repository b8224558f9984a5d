import type { EngineCommand, EngineOutput, PersistedState, SentinelEvent } from "@vigil/core";
import type { ApiRuntime } from "./context.js";

/**
 * Carry out the outputs of several engine calls made by one command as if they were one output:
 * one `persist` of the final state (deferrable only if all were), placed where the first one was (so it still precedes every
 * command that followed a state change), the other commands and the events in call order.
 * `SENTINEL SET a 1 b 2` therefore writes the config once, like Sentinel's single flush.
 * Returns false if the persist failed.
 */
export function applyOutputs(runtime: ApiRuntime, outputs: readonly EngineOutput[]): boolean {
  if (outputs.length === 0) return true;
  if (outputs.length === 1) return runtime.apply(outputs[0]!);
  const commands: EngineCommand[] = [];
  const events: SentinelEvent[] = [];
  let persistAt = -1;
  let state: PersistedState | undefined;
  let deferrable = true;
  for (const out of outputs) {
    for (const c of out.commands) {
      if (c.kind === "persist") {
        if (persistAt === -1) persistAt = commands.length;
        state = c.state;
        deferrable &&= c.deferrable === true;
      } else commands.push(c);
    }
    events.push(...out.events);
  }
  // Deferrable only if every part was: one durable change makes the merged write durable.
  if (state !== undefined) commands.splice(persistAt, 0, deferrable ? { kind: "persist", state, deferrable } : { kind: "persist", state });
  return runtime.apply({ commands, events });
}
