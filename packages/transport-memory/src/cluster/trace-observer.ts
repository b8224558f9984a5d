import type { SimObserver } from "./observer.js";

/**
 * Trace lines for engine events (all but DEBUG) and for changes in each writer's fortune: the
 * first failure of a streak and the first success after one (not every write).
 */
export function traceObserver(trace: (line: string) => void): SimObserver {
  const last = new Map<string, string>();
  return {
    onSentinelOutput: (o) => {
      for (const e of o.output.events) if (e.level !== "debug") trace(`${o.sentinel.name} ${e.type} ${e.payload}`);
    },
    onWrite: (w) => {
      const state = `${w.node} ${w.outcome === "ok" ? "ok" : w.outcome}`;
      if (last.get(w.writer) === state) return;
      const first = !last.has(w.writer);
      last.set(w.writer, state);
      if (first && w.outcome === "ok") return;
      trace(`client ${w.writer} ${w.outcome === "ok" ? "writes acknowledged again" : "write failed"} on ${w.node}${w.outcome === "ok" ? "" : `: ${w.outcome}`} (id ${w.id})`);
    },
  };
}
