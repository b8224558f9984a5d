import type { MinReplicasConfig, Prng } from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import type { Connection, ServerHandlers } from "../network/connection.js";
import type { Listener, Network } from "../network/network.js";
import type { ClientSide } from "./client-side.js";
import { renderInfo } from "./info-text.js";
import { ERRORS, HELLO_CHANNEL, type ReconfigureOrigin, type Request, type Response, type WireMessage } from "./protocol.js";
import { CRON_MS, ReplicationNode } from "./replication-node.js";
import type { SimRedisHooks, SimRedisOptions } from "./sim-redis-options.js";

export type { SimRedisHooks, SimRedisOptions } from "./sim-redis-options.js";

/** Bytes a `RPUSH key id` adds to the replication stream (roughly its RESP size). */
const WRITE_OVERHEAD = 30;

/**
 * A simulated Redis 7.0 server: the replication of {@link ReplicationNode}, and what its clients see:
 * the commands Sentinel and the workload send, the INFO text in Redis's exact format, pub/sub for the
 * hello channel, `min-replicas-to-write`, and `FAILOVER TO` / `FAILOVER ABORT`.
 */
export class SimRedis extends ReplicationNode implements Listener<WireMessage> {
  constructor(
    scheduler: Scheduler,
    net: Network,
    prng: Prng,
    options: SimRedisOptions,
    private readonly hooks: SimRedisHooks = {},
  ) {
    super(scheduler, net, prng, options);
    net.listen(this.addr, this);
    this.scheduleCron(prng.int(CRON_MS));
    if (this.role === "slave") this.connectUpstream();
  }

  protected promoted(origin: ReconfigureOrigin | undefined, changedRole: boolean): void {
    this.hooks.onPromoted?.(this, origin, changedRole);
  }

  protected trace(line: string): void {
    this.hooks.trace?.(`redis ${this.key} ${line}`);
  }


  /** The full INFO reply, as Redis 7.0 renders it. */
  infoText(): string {
    const now = this.scheduler.now;
    const replicas = this.replicas.infoEntries(now);
    return renderInfo({
      runId: this.runId,
      port: this.addr.port,
      processId: this.processId,
      nowMs: now,
      uptimeS: Math.floor((now - this.bootAt) / 1000),
      loading: this.loading,
      connectedClients: this.clients.size - replicas.length,
      totalConnections: this.stats.totalConnections,
      totalCommands: this.stats.totalCommands,
      keys: this.data.size,
      changesSinceSave: this.stats.changesSinceSave,
      syncFull: this.stats.syncFull,
      pubsubChannels: this.subscribers.size > 0 ? 1 : 0,
      role: this.role,
      failoverState: this.handover.state,
      replicas,
      replId: this.replId,
      replId2: this.replId2,
      offset: this.offset,
      secondReplOffset: this.secondReplOffset,
      masterHost: this.masterAddr?.host ?? "",
      masterPort: this.masterAddr?.port ?? 0,
      masterLinkUp: this.masterLinkUp,
      masterLastIoS: Math.floor((now - this.upstream.lastIo) / 1000),
      syncInProgress: this.upstream.state === "sync",
      masterLinkDownSinceS: this.upstream.downSince === 0 ? -1 : Math.floor(now / 1000) - Math.floor(this.upstream.downSince / 1000),
      slavePriority: this.replicaPriority,
      replicaAnnounced: this.replicaAnnounced,
    });
  }

  /** Network callback: a handshake arrived. A dead process refuses (RST). */
  accept(conn: Connection<WireMessage>): ServerHandlers<WireMessage> | null {
    if (!this.alive) return null;
    const side: ClientSide = { conn, kind: "normal", authed: this.options.requirePass === undefined };
    this.clients.set(conn, side);
    this.stats.totalConnections++;
    return {
      onMessage: (m) => this.whenRunning(() => this.onRequest(side, m as Request)),
      onClose: () => this.whenRunning(() => this.forgetClient(side)),
    };
  }

  private reply(side: ClientSide, r: Response): void {
    side.conn.sendToClient(r);
  }

  private status(side: ClientSide, cmd: Request["t"], ok: boolean, text: string): void {
    this.reply(side, { t: "status", cmd, ok, text });
  }

  private onRequest(side: ClientSide, req: Request): void {
    if (!this.clients.has(side.conn)) return;
    this.stats.totalCommands++;
    if (!side.authed && req.t !== "auth") {
      if (req.t === "info") this.reply(side, { t: "info", text: null });
      else this.status(side, req.t, false, ERRORS.noauth);
      return;
    }
    switch (req.t) {
      case "auth":
        side.authed = this.options.requirePass === undefined || req.pass === this.options.requirePass;
        return this.status(side, "auth", side.authed, side.authed ? "OK" : ERRORS.wrongpass);
      case "ping":
        return this.status(side, "ping", true, this.loading ? ERRORS.loading : "PONG");
      case "info":
        return this.reply(side, { t: "info", text: this.infoText() });
      case "publish":
        return this.status(side, "publish", true, String(this.publish(req.channel, req.payload)));
      case "subscribe":
        side.kind = "pubsub";
        this.subscribers.add(side);
        return this.status(side, "subscribe", true, "subscribe");
      case "reconfigure":
        if (this.loading) return this.status(side, "reconfigure", false, ERRORS.loading);
        if (req.minReplicas) this.setMinReplicas(req.minReplicas);
        this.reconfigure(side, req.target, req.origin);
        return this.status(side, "reconfigure", true, "OK");
      case "config-get-min-replicas":
        return this.reply(side, { t: "min-replicas", config: { toWrite: this.minReplicasToWrite, maxLag: this.minReplicasMaxLagS } });
      case "config-set-min-replicas":
        this.setMinReplicas(req.config);
        return this.status(side, "config-set-min-replicas", true, "OK");
      case "config-rewrite":
        return this.status(side, "config-rewrite", true, "OK");
      case "script-kill":
        return this.status(side, "script-kill", false, ERRORS.notbusy);
      case "write":
        return this.write(side, req.key, req.id);
      case "psync":
        return this.psync(side, req.listeningPort, req.failover);
      case "failover-to": {
        const isReplica = this.replicas.find(req.target) !== undefined;
        const err = this.handover.start(this.role, isReplica, req.target, req.timeoutMs, this.scheduler.now, req.origin);
        return this.status(side, "failover-to", err === null, err ?? "OK");
      }
      case "failover-abort":
        if (this.handover.state === "no-failover") return this.status(side, "failover-abort", false, "ERR No failover in progress.");
        if (this.handover.state === "failover-in-progress" && this.role === "slave") this.replicaofNoOne(undefined);
        this.handover.clear();
        return this.status(side, "failover-abort", true, "OK");
      case "replconf-ack":
        return this.replicas.ack(side, req.offset, this.scheduler.now);
      default:
        return this.status(side, req.t, false, `ERR unknown command '${req.t}'`);
    }
  }

  /** `CONFIG SET min-replicas-*`: the running values (kept across restarts, as if rewritten). */
  private setMinReplicas(config: MinReplicasConfig): void {
    this.minReplicasToWrite = config.toWrite;
    this.minReplicasMaxLagS = config.maxLag;
  }

  private publish(channel: string, payload: string): number {
    if (channel !== HELLO_CHANNEL) return 0;
    for (const s of this.subscribers) this.reply(s, { t: "message", channel, payload });
    return this.subscribers.size;
  }

  private write(side: ClientSide, key: string, id: number): void {
    if (this.loading) return this.status(side, "write", false, ERRORS.loading);
    if (this.role !== "master") return this.status(side, "write", false, ERRORS.readonly);
    if (this.handover.pausesWrites()) return this.status(side, "write", false, "ERR write paused by FAILOVER");
    if (this.minReplicasToWrite > 0 && this.goodReplicas() < this.minReplicasToWrite) {
      return this.status(side, "write", false, ERRORS.noreplicas);
    }
    this.apply(key, id, this.offset + WRITE_OVERHEAD + key.length + String(id).length);
    this.status(side, "write", true, "OK");
  }

  private psync(side: ClientSide, listeningPort: number, failover?: { readonly origin?: ReconfigureOrigin }): void {
    if (this.loading) return this.status(side, "psync", false, ERRORS.loading);
    // PSYNC FAILOVER from our own master: it hands its role over to us.
    if (failover && this.role === "slave") this.replicaofNoOne(failover.origin);
    if (this.role === "slave" && this.upstream.state !== "connected") return this.status(side, "psync", false, ERRORS.nomasterlink);
    this.replicas.attach(side, listeningPort, this.scheduler.now);
    this.stats.syncFull++;
    this.reply(side, { t: "fullresync", replId: this.replId, offset: this.offset, data: this.data.clone() });
  }
}
