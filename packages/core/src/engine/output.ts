import type { EngineCommand } from "./commands.js";
import type { SentinelEvent } from "./events.js";

/** What one step of the engine produced: commands to execute in order, and events to publish/log. */
export interface EngineOutput {
  readonly commands: EngineCommand[];
  readonly events: SentinelEvent[];
}

/** A fresh, empty output to accumulate into. */
export function emptyOutput(): EngineOutput {
  return { commands: [], events: [] };
}
