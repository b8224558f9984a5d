/** Receives trace lines (already time-stamped). */
export type TraceSink = (line: string) => void;

/** `  12.345` — seconds since the start of the run, fixed width so timelines line up. */
export function formatElapsed(ms: number): string {
  return (ms / 1000).toFixed(3).padStart(8, " ");
}
