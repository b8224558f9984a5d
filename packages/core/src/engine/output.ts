import type { EngineCommand } from "./commands.js";
import type { SentinelEvent } from "./events.js";

/** What one step of the engine produced: commands to execute in order, and events to publish/log. */
export interface EngineOutput {
  readonly commands: readonly EngineCommand[];
  readonly events: readonly SentinelEvent[];
}

/**
 * Shared and never modified, but not frozen: frozen arrays have an elements kind of their own, and
 * loops that meet both kinds (every consumer of outputs) lose V8's fast paths.
 */
const NONE: readonly never[] = [];

/**
 * The output of a step that produced nothing — most of them (a PONG, a hello, a quiet tick): shared,
 * so such a step allocates nothing for it. Never modify its arrays.
 */
export const EMPTY_OUTPUT: EngineOutput = Object.freeze({ commands: NONE, events: NONE });

/**
 * What a step accumulates into. Its arrays are made at the first command or event, and handed over
 * (never reused) when the step closes.
 */
export class OutputBuilder {
  private commands: EngineCommand[] | null = null;
  private events: SentinelEvent[] | null = null;

  /** Commands so far (the persist command's position is counted in it). */
  get commandCount(): number {
    return this.commands === null ? 0 : this.commands.length;
  }

  command(c: EngineCommand): void {
    (this.commands ??= []).push(c);
  }

  /** Insert `c` at `index` (the persist command, placed before the commands that followed a change). */
  insertCommand(index: number, c: EngineCommand): void {
    (this.commands ??= []).splice(index, 0, c);
  }

  event(e: SentinelEvent): void {
    (this.events ??= []).push(e);
  }

  /** Forget what a step that did not close (it threw) left behind. */
  reset(): void {
    this.commands = null;
    this.events = null;
  }

  /** The output so far, and a fresh start for the next step. */
  take(): EngineOutput {
    const { commands, events } = this;
    if (commands === null && events === null) return EMPTY_OUTPUT;
    this.commands = null;
    this.events = null;
    return { commands: commands ?? NONE, events: events ?? NONE };
  }
}
