import type { ConnectionOptions } from "node:tls";
import type { Address, EngineInput } from "@vigil/core";
import type { FenceLiftResult } from "./fence-lifter.js";

/** Options for {@link LinkPool}. */
export interface LinkPoolOptions {
  /** Where replies and connection changes go, stamped with the current time. */
  readonly deliver: (input: EngineInput) => void;
  /** Wall clock (ms). */
  readonly now: () => number;
  /** Connect timeout for each link (ms). */
  readonly connectTimeoutMs?: number;
  /** `tls-replication yes`: every link speaks TLS with these options. */
  readonly tls?: ConnectionOptions;
  /**
   * Local address every outgoing connection is bound to (`bind-source-addr`): peers and Redis then
   * see this address, and the hello announces it (it is the link's local address).
   */
  readonly sourceAddress?: string;
  /** A `lift-fences` command finished (for the log). */
  readonly onFenceLift?: (addr: Address, result: FenceLiftResult) => void;
}
