import type { LoadedConfig } from "../config/load-config.js";
import { createLogger, type Logger } from "../log/logger.js";

/** The daemon's log and its level, which `SENTINEL CONFIG SET loglevel` changes at run time. */
export interface DaemonLog {
  readonly logger: Logger;
  setLevel(level: LoadedConfig["generic"]["loglevel"]): void;
}

/** Open the `logfile` (stdout without one) in the format asked for (`--log-format` over `vigil-log-format`). */
export function openLog(config: LoadedConfig, format: "text" | "json" | undefined): DaemonLog {
  let level = config.generic.loglevel;
  const logFormat = format ?? (config.vigil["log-format"] as "text" | "json" | undefined) ?? "text";
  const logger = createLogger({ format: logFormat, file: config.generic.logfile, level: () => level, pid: process.pid });
  return {
    logger,
    setLevel: (l) => {
      level = l;
    },
  };
}
