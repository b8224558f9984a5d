import { appendFileSync } from "node:fs";
import { type EventLevel, LEVEL_ORDER } from "@vigil/core";

/** Log levels as Sentinel names them (`loglevel`). */
export type LogLevelName = EventLevel | "nothing";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly format: "text" | "json";
  /** Empty = stdout (Redis's `logfile ""`). */
  readonly file: string;
  readonly level: () => LogLevelName;
  readonly pid: number;
}

/** One logger: Sentinel's text lines by default, JSON lines with `--log-format json`. */
export interface Logger {
  log(level: EventLevel, message: string, fields?: Record<string, unknown>): void;
  /**
   * A warning noted from a signal handler, in Redis's `serverLogFromHandler` shape
   * (`<pid>:signal-handler (<unix seconds>) <msg>`): to the log file, or stdout without one, never
   * stderr (tools watching a sentinel's stderr treat any output there as a failure).
   */
  signal(message: string): void;
}

const MARK: Record<EventLevel, string> = { debug: ".", verbose: "-", notice: "*", warning: "#" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Redis's timestamp: `24 Nov 2026 20:25:53.123`. */
function redisTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Create a logger writing Redis-format (`<pid>:X <time> <mark> <msg>`) or JSON lines. */
export function createLogger(options: LoggerOptions): Logger {
  const write = (line: string) => {
    if (options.file === "") process.stdout.write(`${line}\n`);
    else {
      try {
        appendFileSync(options.file, `${line}\n`);
      } catch {
        // A log file we cannot write must not take the sentinel down.
      }
    }
  };
  return {
    log(level, message, fields) {
      const min = options.level();
      if (min === "nothing" || LEVEL_ORDER[level] < LEVEL_ORDER[min]) return;
      const now = new Date();
      if (options.format === "json") write(JSON.stringify({ time: now.toISOString(), level, pid: options.pid, msg: message, ...fields }));
      else write(`${options.pid}:X ${redisTime(now)} ${MARK[level]} ${message}`);
    },
    signal(message) {
      if (options.level() === "nothing") return;
      const now = new Date();
      if (options.format === "json") write(JSON.stringify({ time: now.toISOString(), level: "warning", pid: options.pid, msg: message, source: "signal-handler" }));
      else write(`${options.pid}:signal-handler (${Math.floor(now.getTime() / 1000)}) ${message}`);
    },
  };
}
