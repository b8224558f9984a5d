import { type Address, addressKey, type CommandOf, type EngineInput, isStaleFence, type LinkFailure, type LinkKind, type MinReplicasConfig, type NetworkTransport, operatorValuesOf, staleFenceFor } from "@vigil/core";
import type { Connection } from "../network/connection.js";
import type { Network } from "../network/network.js";
import { HELLO_CHANNEL, type ReconfigureOrigin, type Request, type Response, type WireMessage } from "../redis/protocol.js";

type Input = EngineInput extends infer T ? (T extends unknown ? Omit<T, "now"> : never) : never;

/** What {@link SimLinks} needs from the sentinel process it belongs to. */
export interface SimLinksOwner {
  /** The machine the connections leave from. */
  readonly host: string;
  /** Feed a reply or connection change to the engine (stamped with the process's clock). */
  deliver(input: Input): void;
  /** The failover a `SLAVEOF NO ONE` to `addr` belongs to (for the checkers, never seen by Redis). */
  promotionOrigin(addr: Address): ReconfigureOrigin;
}

/**
 * The simulator's counterpart of transport-redis's `LinkPool`: carries out the engine's network
 * commands over simulated connections, one cmd and one pub/sub link per instance, one cmd link per
 * peer, with the same fence bookkeeping (the operator's `min-replicas-*` values read before the
 * first fence, a stale-master fence lifted inside the reconfiguration transaction).
 */
export class SimLinks implements NetworkTransport {
  private readonly links = new Map<string, Connection<WireMessage>>();
  /** Continuations of `CONFIG GET min-replicas-*` per cmd link, in request order (replies are FIFO). */
  private readonly configReads = new Map<Connection<WireMessage>, ((config: MinReplicasConfig | null) => void)[]>();
  /** Operator's `min-replicas-*` values per address, read before the first write fence. */
  private readonly unfenced = new Map<string, MinReplicasConfig>();

  constructor(
    private readonly net: Network,
    private readonly owner: SimLinksOwner,
  ) {}

  connect(c: CommandOf<"connect">): void {
    const { addr, link } = c;
    const key = linkKey(addr, link);
    this.links.get(key)?.closeByClient();
    const current = (): boolean => this.links.get(key) === conn;
    const down = (error: string, failure: LinkFailure): void => {
      if (!current()) return;
      this.forget(key, conn);
      this.owner.deliver({ kind: "link-down", addr, link, error, failure });
    };
    const conn: Connection<WireMessage> = this.net.connect<WireMessage>(this.owner.host, addr, {
      onOpen: () => {
        if (!current()) return;
        if (c.auth !== undefined) conn.sendToServer({ t: "auth", pass: c.auth.pass, ...(c.auth.user !== undefined ? { user: c.auth.user } : {}) });
        if (link === "pubsub") conn.sendToServer({ t: "subscribe", channel: HELLO_CHANNEL });
        this.owner.deliver({ kind: "link-up", addr, link, localHost: this.owner.host });
      },
      onFail: (reason, failure) => down(reason, failure),
      onClose: (reason, failure) => down(reason, failure),
      onMessage: (m) => {
        if (current()) this.onReply(addr, link, conn, m as Response);
      },
    });
    this.links.set(key, conn);
  }

  disconnect(c: CommandOf<"disconnect">): void {
    const key = linkKey(c.addr, c.link);
    const conn = this.links.get(key);
    conn?.closeByClient();
    if (conn) this.forget(key, conn);
  }

  ping(c: CommandOf<"ping">): void {
    this.send(c.addr, { t: "ping" });
  }

  info(c: CommandOf<"info">): void {
    this.send(c.addr, { t: "info" });
  }

  publishHello(c: CommandOf<"publish-hello">): void {
    this.send(c.addr, { t: "publish", channel: HELLO_CHANNEL, payload: c.payload });
  }

  askMasterDown(c: CommandOf<"ask-master-down">): void {
    this.send(c.addr, { t: "is-master-down-by-addr", master: c.master, args: c.args });
  }

  scriptKill(c: CommandOf<"script-kill">): void {
    this.send(c.addr, { t: "script-kill" });
  }

  /** `FAILOVER TO` on the master; the promotion it leads to carries the leader's epoch for the checkers. */
  handover(c: CommandOf<"handover">): void {
    this.send(c.addr, { t: "failover-to", target: c.target, timeoutMs: c.timeoutMs, origin: this.owner.promotionOrigin(c.target) });
  }

  abortHandover(c: CommandOf<"abort-handover">): void {
    this.send(c.addr, { t: "failover-abort" });
  }

  /** The transaction, preceded by the fence read the daemon does, so a stale fence is lifted inside it. */
  reconfigure(c: CommandOf<"reconfigure">): void {
    const origin = c.target === null ? this.owner.promotionOrigin(c.addr) : undefined;
    this.readMinReplicas(c.addr, (config) => {
      const operator = config && operatorValuesOf(config);
      this.send(c.addr, { t: "reconfigure", target: c.target, ...(origin ? { origin } : {}), ...(operator ? { minReplicas: operator } : {}) });
    });
  }

  fenceWrites(c: CommandOf<"fence-writes">): void {
    const key = addressKey(c.addr);
    const set = () => this.setMinReplicas(c.addr, { toWrite: c.minReplicas, maxLag: c.maxLagS });
    if (this.unfenced.has(key)) return set();
    this.readMinReplicas(c.addr, (config) => {
      if (config) this.unfenced.set(key, operatorValuesOf(config) ?? config);
      set();
    });
  }

  /**
   * Vigil's watch ended: the recorded write-fence values back, and a stale fence lifted. The daemon
   * uses a connection of its own; the simulator uses the instance's link while it is still open (a
   * lift in the output that closes it is sent before the close).
   */
  liftFences(c: CommandOf<"lift-fences">): void {
    const key = addressKey(c.addr);
    const recorded = c.writes ? this.unfenced.get(key) : undefined;
    if (c.writes) this.unfenced.delete(key);
    if (!c.staleMaster && recorded === undefined) return;
    this.readMinReplicas(c.addr, (config) => {
      const stale = c.staleMaster && config ? operatorValuesOf(config) : null;
      const restored = stale ?? (config && isStaleFence(config) ? undefined : recorded);
      if (!restored) return;
      this.setMinReplicas(c.addr, restored);
      this.send(c.addr, { t: "config-rewrite" });
    });
  }

  fenceStaleMaster(c: CommandOf<"fence-stale-master">): void {
    this.readMinReplicas(c.addr, (config) => {
      const fenced = config && staleFenceFor(config);
      if (fenced) this.setMinReplicas(c.addr, fenced);
    });
  }

  unfenceStaleMaster(c: CommandOf<"unfence-stale-master">): void {
    this.readMinReplicas(c.addr, (config) => {
      const operator = config && operatorValuesOf(config);
      if (!operator) return;
      this.setMinReplicas(c.addr, operator);
      this.send(c.addr, { t: "config-rewrite" });
    });
  }

  /** Close everything (the process died). */
  closeAll(): void {
    const all = [...this.links.values()];
    this.links.clear();
    this.configReads.clear();
    for (const conn of all) conn.closeByClient();
  }

  private forget(key: string, conn: Connection<WireMessage>): void {
    this.links.delete(key);
    this.configReads.delete(conn);
  }

  private cmdLink(addr: Address): Connection<WireMessage> | undefined {
    const conn = this.links.get(linkKey(addr, "cmd"));
    return conn?.clientOpen ? conn : undefined;
  }

  private send(addr: Address, req: Request): void {
    this.cmdLink(addr)?.sendToServer(req);
  }

  private setMinReplicas(addr: Address, config: MinReplicasConfig): void {
    this.send(addr, { t: "config-set-min-replicas", config });
  }

  /** `CONFIG GET min-replicas-*`; `done` runs with the values (null on an error reply), never if the link goes. */
  private readMinReplicas(addr: Address, done: (config: MinReplicasConfig | null) => void): void {
    const conn = this.cmdLink(addr);
    if (!conn) return;
    const queue = this.configReads.get(conn) ?? [];
    queue.push(done);
    this.configReads.set(conn, queue);
    conn.sendToServer({ t: "config-get-min-replicas" });
  }

  private onReply(addr: Address, link: LinkKind, conn: Connection<WireMessage>, r: Response): void {
    switch (r.t) {
      case "status":
        return this.onStatus(addr, link, conn, r);
      case "min-replicas":
        return this.configReads.get(conn)?.shift()?.(r.config);
      case "info":
        return this.owner.deliver({ kind: "info-reply", addr, text: r.text });
      case "message":
        return this.owner.deliver({ kind: "hello", via: addr, payload: r.payload });
      case "ask-reply":
        return this.owner.deliver({ kind: "ask-reply", addr, master: r.master, reply: r.reply });
      default:
        return;
    }
  }

  private onStatus(addr: Address, link: LinkKind, conn: Connection<WireMessage>, r: Extract<Response, { t: "status" }>): void {
    switch (r.cmd) {
      case "ping":
        return this.owner.deliver({ kind: "ping-reply", addr, reply: r.text });
      case "publish":
        return this.owner.deliver({ kind: "publish-reply", addr, ok: r.ok });
      case "reconfigure":
        return this.owner.deliver({ kind: "reconfigure-reply", addr, ok: r.ok });
      case "failover-to":
        return this.owner.deliver({ kind: "handover-reply", addr, error: r.ok ? null : r.text });
      case "config-get-min-replicas":
        return this.configReads.get(conn)?.shift()?.(null);
      case "auth":
      case "subscribe":
        // An error here closes the link (what hiredis does), and the engine hears link-down.
        if (!r.ok) {
          conn.closeByClient();
          this.forget(linkKey(addr, link), conn);
          this.owner.deliver({ kind: "link-down", addr, link, error: r.text, failure: "other" });
        }
        return;
      default:
        return;
    }
  }
}

function linkKey(addr: Address, link: LinkKind): string {
  return `${addressKey(addr)}|${link}`;
}
