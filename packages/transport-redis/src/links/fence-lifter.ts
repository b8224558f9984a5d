/**
 * Reading and lifting Vigil's fences on one Redis instance over a short-lived connection of its own:
 * used when Vigil's watch over the instance ends (the `lift-fences` command, see
 * core `engine/fencing/fence-lifting.ts`) and by `vigil fences <host:port>`.
 *
 * How a Vigil fence is recognised on an instance: a stale-master fence is a `min-replicas-to-write`
 * of 1,000,000,000 or more (no deployment has that many replicas), and it encodes the operator's own
 * values, so anyone can lift it and restore them (`operatorValuesOf`). A write fence
 * (`vigil-fence-writes`) is an ordinary `min-replicas-to-write 0|1`; only the daemon that set it
 * knows it is a fence and what the operator's values were, so it is lifted by that daemon.
 */
import type { ConnectionOptions } from "node:tls";
import { type Address, isStaleFence, type LinkAuth, type MinReplicasConfig, operatorValuesOf } from "@vigil/core";
import type { PlainReply } from "../resp/reply-reader.js";
import { commandRenamer, renamedArgs } from "./command-renamer.js";
import { RespLink } from "./resp-link.js";

/** How to reach the instance. */
export interface FenceConnection {
  readonly addr: Address;
  readonly auth?: LinkAuth;
  /** rename-command map (lower-case name → name to send). */
  readonly renames?: Readonly<Record<string, string>>;
  readonly tls?: ConnectionOptions;
  readonly sourceAddress?: string;
  /** Connect and per-reply timeout (ms); default 2000. */
  readonly timeoutMs?: number;
}

/** What {@link readFence} found. */
export type FenceReading =
  | { readonly kind: "stale-master"; readonly current: MinReplicasConfig; readonly operator: MinReplicasConfig }
  | { readonly kind: "none"; readonly current: MinReplicasConfig }
  | { readonly kind: "error"; readonly message: string };

/** What to lift (see the `lift-fences` engine command). */
export interface FenceLiftRequest {
  /** Lift a stale-master fence if the instance carries one. */
  readonly staleMaster: boolean;
  /** Restore these values (recorded before the first write fence) unless a stale fence was found. */
  readonly restoreWrites?: MinReplicasConfig;
}

/** Outcome of {@link liftFence}: the values now in place, or why nothing could be done. */
export type FenceLiftResult =
  | { readonly kind: "lifted"; readonly fence: "stale-master" | "writes"; readonly restored: MinReplicasConfig; readonly rewriteError?: string }
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly message: string };

/** One connection, commands in sequence; every call resolves (never rejects). */
class OneShot {
  private readonly link: RespLink;
  private readonly rename: (cmd: string) => string;
  private readonly ready: Promise<string | undefined>;

  constructor(private readonly c: FenceConnection) {
    this.rename = commandRenamer(c.renames ?? {});
    let settle: (error: string | undefined) => void = () => {};
    this.ready = new Promise((r) => (settle = r));
    this.link = new RespLink(
      { host: c.addr.host, port: c.addr.port, connectTimeoutMs: c.timeoutMs ?? 2000, ...(c.tls ? { tls: c.tls } : {}), ...(c.sourceAddress ? { localAddress: c.sourceAddress } : {}) },
      () => settle(undefined),
      (reason) => settle(reason),
    );
  }

  /** Wait for the connection and authenticate; the error text when that fails. */
  async open(): Promise<string | undefined> {
    const error = await this.ready;
    if (error !== undefined) return error;
    if (this.c.auth === undefined) return undefined;
    const r = await this.call(["AUTH", ...(this.c.auth.user ? [this.c.auth.user, this.c.auth.pass] : [this.c.auth.pass])]);
    return "error" in r ? r.error : undefined;
  }

  call(args: readonly string[]): Promise<{ reply: PlainReply | undefined } | { error: string }> {
    const renamed = renamedArgs(args, this.rename);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ error: "timed out" }), this.c.timeoutMs ?? 2000);
      this.link.send(renamed, (reply, error) => {
        clearTimeout(timer);
        resolve(error === undefined ? { reply } : { error });
      });
    });
  }

  close(): void {
    this.link.close();
  }

  /** Connect, authenticate and read `min-replicas-*`: the values, or the error text. */
  async openAndRead(): Promise<MinReplicasConfig | string> {
    const error = await this.open();
    if (error !== undefined) return error;
    const r = await this.call(["CONFIG", "GET", "min-replicas-*"]);
    if ("error" in r) return r.error;
    return parseMinReplicas(r.reply) ?? "unexpected CONFIG GET reply";
  }
}

/** A `CONFIG GET min-replicas-*` reply as values (null when it is not a config list with both). */
export function parseMinReplicas(reply: PlainReply | undefined): MinReplicasConfig | null {
  if (!Array.isArray(reply)) return null;
  const get = (name: string) => {
    const i = reply.indexOf(name);
    const n = i >= 0 ? Number(String(reply[i + 1])) : Number.NaN;
    return Number.isSafeInteger(n) ? n : null;
  };
  const toWrite = get("min-replicas-to-write");
  const maxLag = get("min-replicas-max-lag");
  return toWrite === null || maxLag === null ? null : { toWrite, maxLag };
}

/** Whether the instance at `c.addr` carries a Vigil stale-master fence, and its current values. */
export async function readFence(c: FenceConnection): Promise<FenceReading> {
  const s = new OneShot(c);
  try {
    const current = await s.openAndRead();
    if (typeof current === "string") return { kind: "error", message: current };
    const operator = operatorValuesOf(current);
    return operator ? { kind: "stale-master", current, operator } : { kind: "none", current };
  } finally {
    s.close();
  }
}

/**
 * Lift what `request` names at `c.addr`: `CONFIG SET` the operator's values, then `CONFIG REWRITE`
 * so a fence persisted by an earlier rewrite does not come back with a restart (an instance without
 * a config file refuses the rewrite; the live values are restored all the same).
 */
export async function liftFence(c: FenceConnection, request: FenceLiftRequest): Promise<FenceLiftResult> {
  const s = new OneShot(c);
  try {
    const current = await s.openAndRead();
    if (typeof current === "string") return { kind: "error", message: current };
    const stale = request.staleMaster ? operatorValuesOf(current) : null;
    // A stale fence we were not asked to lift is another sentinel's: a write restore must not undo it.
    const restored = stale ?? (isStaleFence(current) ? undefined : request.restoreWrites);
    if (restored === undefined) return { kind: "none" };
    const set = await s.call(["CONFIG", "SET", "min-replicas-to-write", String(restored.toWrite), "min-replicas-max-lag", String(restored.maxLag)]);
    if ("error" in set) return { kind: "error", message: set.error };
    const rewrite = await s.call(["CONFIG", "REWRITE"]);
    const fence = stale ? "stale-master" : "writes";
    return "error" in rewrite ? { kind: "lifted", fence, restored, rewriteError: rewrite.error } : { kind: "lifted", fence, restored };
  } finally {
    s.close();
  }
}
