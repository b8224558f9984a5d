import { type Address, addressKey, type CommandOf, type MinReplicasConfig, operatorValuesOf, staleFenceFor } from "@vigil/core";
import type { PlainReply } from "../resp/reply-reader.js";
import { liftFence, parseMinReplicas } from "./fence-lifter.js";
import type { LinkPoolOptions } from "./link-pool-options.js";

/** One command on the cmd link to `addr` (rename-command applied); `err` is the error text. */
export type CmdSend = (addr: Address, args: readonly string[], done: (reply: PlainReply | undefined, err?: string) => void) => void;

/**
 * The write fences Vigil sets on instances — the failover's `min-replicas-*` write fence and the
 * stale-master fence — and their lifting when its watch ends, with the operator's own values
 * recorded before the first fence and restored after the last (architecture rule 5).
 */
export class WriteFences {
  constructor(
    private readonly send: CmdSend,
    private readonly options: Pick<LinkPoolOptions, "tls" | "sourceAddress" | "onFenceLift">,
  ) {}

  /** Operator's `min-replicas-*` values per address, read before the first write fence (for lifting). */
  private readonly unfenced = new Map<string, MinReplicasConfig>();

  /** `CONFIG GET min-replicas-*` on `addr`, parsed (null when the reply is not a config list). */
  readMinReplicas(addr: Address, done: (config: MinReplicasConfig | null) => void): void {
    this.send(addr, ["CONFIG", "GET", "min-replicas-*"], (reply) => done(parseMinReplicas(reply)));
  }

  /** Write fencing: remember the operator's values once (never a stale-master fence's), then set ours. */
  fence(addr: Address, minReplicas: number, maxLagS: number): void {
    const key = addressKey(addr);
    const set = () => this.send(addr, ["CONFIG", "SET", "min-replicas-to-write", String(minReplicas), "min-replicas-max-lag", String(maxLagS)], () => {});
    if (this.unfenced.has(key)) return set();
    this.readMinReplicas(addr, (config) => {
      if (config) {
        const operator = operatorValuesOf(config) ?? config;
        this.unfenced.set(key, operator);
      }
      set();
    });
  }

  /** Stale-master fence: encode the operator's values into a `min-replicas-to-write` no master meets. */
  fenceStale(addr: Address, disconnectClients: boolean): void {
    // `CLIENT KILL TYPE normal` skips the connection it is sent on (SKIPME yes): ours survives.
    const kill = () => disconnectClients && this.send(addr, ["CLIENT", "KILL", "TYPE", "normal"], () => {});
    this.readMinReplicas(addr, (config) => {
      const fenced = config && staleFenceFor(config);
      if (fenced) this.send(addr, ["CONFIG", "SET", "min-replicas-to-write", String(fenced.toWrite), "min-replicas-max-lag", String(fenced.maxLag)], () => {});
      kill();
    });
  }

  /** Lift a stale-master fence if `addr` carries one, and persist the operator's values again. */
  unfenceStale(addr: Address): void {
    this.readMinReplicas(addr, (config) => {
      const operator = config && operatorValuesOf(config);
      if (!operator) return;
      this.send(addr, ["CONFIG", "SET", "min-replicas-to-write", String(operator.toWrite), "min-replicas-max-lag", String(operator.maxLag)], (_r, err) => {
        if (err === undefined) this.send(addr, ["CONFIG", "REWRITE"], () => {});
      });
    });
  }

  /**
   * Vigil's watch over an address ended: lift its fences over a connection of its own (the link may
   * be closing in the same output), restoring the values recorded before the first write fence.
   */
  lift(c: CommandOf<"lift-fences">): void {
    const key = addressKey(c.addr);
    const recorded = c.writes ? this.unfenced.get(key) : undefined;
    if (c.writes) this.unfenced.delete(key);
    if (!c.staleMaster && recorded === undefined) return;
    const done = liftFence(
      { addr: c.addr, auth: c.auth, renames: c.renames, tls: this.options.tls, sourceAddress: this.options.sourceAddress },
      { staleMaster: c.staleMaster, ...(recorded ? { restoreWrites: recorded } : {}) },
    ).then((result) => {
      this.lifts.delete(done);
      this.options.onFenceLift?.(c.addr, result);
    });
    this.lifts.add(done);
  }

  /** Fence lifts still in flight. */
  private readonly lifts = new Set<Promise<void>>();

  /** Resolves once every fence lift started so far is done, or after `timeoutMs` (shutdown). */
  async liftsSettled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([Promise.all([...this.lifts]), timeout]);
    clearTimeout(timer);
  }
}
