import type { EngineCommand, EngineOutput, PersistedState, SentinelEvent } from "@vigil/core";
import type { ApiRuntime } from "./context.js";

/**
 * Carry out the outputs of several engine calls made by one command as if they were one output:
 * one durable `persist` of the last durable state, placed where the first persist was (so it still
 * precedes every command that followed a state change), the other commands and the events in call
 * order. A deferrable persist (discoveries, written later from the engine's state) is kept only when
 * no durable one came after it. `SENTINEL SET a 1 b 2` therefore writes the config once, like
 * Sentinel's single flush. Returns false if the persist failed.
 */
export function applyOutputs(runtime: ApiRuntime, outputs: readonly EngineOutput[]): boolean {
  if (outputs.length === 0) return true;
  if (outputs.length === 1) return runtime.apply(outputs[0]!);
  const commands: EngineCommand[] = [];
  const events: SentinelEvent[] = [];
  let persistAt = -1;
  let state: PersistedState | undefined;
  let deferredAfter = false;
  for (const out of outputs) {
    for (const c of out.commands) {
      if (c.kind !== "persist") commands.push(c);
      else {
        if (persistAt === -1) persistAt = commands.length;
        if (c.deferrable === true) deferredAfter = true;
        else [state, deferredAfter] = [c.state, false];
      }
    }
    events.push(...out.events);
  }
  if (state !== undefined) commands.splice(persistAt, 0, { kind: "persist", state });
  if (deferredAfter) commands.push({ kind: "persist", deferrable: true });
  return runtime.apply({ commands, events });
}
