import { type Address, addressKey, type MinReplicasConfig, type Prng, sameAddress } from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import type { Connection, ServerHandlers } from "../network/connection.js";
import type { Listener, Network } from "../network/network.js";
import { randomRunId } from "../util/seeded.js";
import { FailoverHandover } from "./failover-handover.js";
import { type InfoReplicaEntry, renderInfo } from "./info-text.js";
import { Keyspace } from "./keyspace.js";
import { ERRORS, HELLO_CHANNEL, type ReconfigureOrigin, type Request, type Response, type WireMessage } from "./protocol.js";

/** Configuration of one simulated Redis server. */
export interface SimRedisOptions {
  /** The host (machine) it runs on; partitions act on hosts. */
  readonly host: string;
  /** Listening port. Default 6379. */
  readonly port?: number;
  /** `replicaof` in its config file; `null`/absent = starts as a master. */
  readonly replicaOf?: Address | null;
  /** `replica-priority` (INFO `slave_priority`). Default 100; 0 = never promote. */
  readonly replicaPriority?: number;
  /** `replica-announced`. Default true. */
  readonly replicaAnnounced?: boolean;
  /** `min-replicas-to-write`. Default 0 (off). */
  readonly minReplicasToWrite?: number;
  /** `min-replicas-max-lag` in seconds. Default 10. */
  readonly minReplicasMaxLagS?: number;
  /** `requirepass`. Default none. */
  readonly requirePass?: string;
  /**
   * `repl-timeout` (ms). Default 5000: shorter than Redis's 60 s so that a replica notices a silent
   * master within a simulated run; both sides use it, as in Redis.
   */
  readonly replTimeoutMs?: number;
  /** `repl-ping-replica-period` (ms). Default 1000 (Redis: 10 s). */
  readonly replPingPeriodMs?: number;
  /** How long a restart with data answers `-LOADING` (ms). Default 200. */
  readonly loadingMs?: number;
}

/** Callbacks the cluster uses to observe a server (checkers, traces). */
export interface SimRedisHooks {
  /** `SLAVEOF NO ONE` was applied by a reconfiguration transaction. */
  onPromoted?(node: SimRedis, origin: ReconfigureOrigin | undefined, changedRole: boolean): void;
  /** A line for the trace. */
  trace?(line: string): void;
}

/** How a connection to this server is being used. */
type ClientKind = "normal" | "pubsub" | "replica";

/** Per-connection state on the server side. */
interface ClientSide {
  readonly conn: Connection<WireMessage>;
  kind: ClientKind;
  authed: boolean;
  /** Set when the connection is a replica's replication link. */
  replica?: { readonly host: string; port: number; ackOffset: number; lastAck: number };
}

/** Replication cron period (Redis runs `replicationCron` once a second). */
const CRON_MS = 1000;
/** Bytes a `RPUSH key id` adds to the replication stream (roughly its RESP size). */
const WRITE_OVERHEAD = 30;
const ZERO_REPLID = "0000000000000000000000000000000000000000";

/**
 * A simulated Redis 7.0 server: role and `replicaof`, asynchronous replication over the simulated
 * network (full resync, then a stream of writes and keep-alives, acknowledgements once a second,
 * `repl-timeout` on both sides), the INFO text in Redis's exact format, pub/sub for the hello
 * channel, Sentinel's reconfiguration transaction, `min-replicas-to-write`, crash and restart with or
 * without its data, and pause (SIGSTOP: the kernel still accepts connections and buffers requests,
 * the process answers nothing until resumed).
 *
 * Every resynchronisation is a full one: partial resync only saves bandwidth, and the dataset a
 * replica ends up with is the same, which is what the lost-write accounting needs.
 */
export class SimRedis implements Listener<WireMessage> {
  readonly host: string;
  readonly addr: Address;
  /** `host:port`. */
  readonly key: string;
  alive = true;
  paused = false;
  runId: string;
  role: "master" | "slave";
  /** Current `replicaof` (null for a master). */
  masterAddr: Address | null;
  /** `replicaof` as persisted in the config file (CONFIG REWRITE updates it; a restart reads it). */
  configReplicaOf: Address | null;
  readonly replicaPriority: number;
  readonly replicaAnnounced: boolean;
  minReplicasToWrite: number;
  minReplicasMaxLagS: number;
  readonly data = new Keyspace();
  replId: string;
  replId2 = ZERO_REPLID;
  /** `master_repl_offset` / `slave_repl_offset`. */
  offset = 0;
  secondReplOffset = -1;
  /** Replication link to our master, when we are a replica. */
  upstreamState: "none" | "connecting" | "sync" | "connected" = "none";
  /** Times (virtual ms): last byte from our master, when the link went down (0 = never up since boot). */
  lastIo = 0;
  downSince = 0;
  /** Statistics shown in INFO. */
  private totalConnections = 0;
  private totalCommands = 0;
  private changesSinceSave = 0;
  private syncFull = 0;
  private readonly processId: number;
  private bootAt: number;
  private loadingUntil = 0;
  private upstream: Connection<WireMessage> | null = null;
  /** `FAILOVER TO` in progress (failover-handover.ts). */
  private readonly handover = new FailoverHandover();
  private readonly clients = new Map<Connection<WireMessage>, ClientSide>();
  private readonly subscribers = new Set<ClientSide>();
  private backlog: Array<() => void> = [];
  private incarnation = 0;
  private lastReplPing = 0;
  private readonly requirePass: string | undefined;
  private readonly replTimeoutMs: number;
  private readonly replPingPeriodMs: number;
  private readonly loadingMs: number;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly net: Network,
    private readonly prng: Prng,
    options: SimRedisOptions,
    private readonly hooks: SimRedisHooks = {},
  ) {
    this.host = options.host;
    this.addr = { host: options.host, port: options.port ?? 6379 };
    this.key = addressKey(this.addr);
    this.configReplicaOf = options.replicaOf ?? null;
    this.masterAddr = this.configReplicaOf;
    this.role = this.masterAddr === null ? "master" : "slave";
    this.replicaPriority = options.replicaPriority ?? 100;
    this.replicaAnnounced = options.replicaAnnounced ?? true;
    this.minReplicasToWrite = options.minReplicasToWrite ?? 0;
    this.minReplicasMaxLagS = options.minReplicasMaxLagS ?? 10;
    this.requirePass = options.requirePass;
    this.replTimeoutMs = options.replTimeoutMs ?? 5000;
    this.replPingPeriodMs = options.replPingPeriodMs ?? 1000;
    this.loadingMs = options.loadingMs ?? 200;
    this.runId = randomRunId(prng);
    this.replId = randomRunId(prng);
    this.processId = 1000 + prng.int(30000);
    this.bootAt = scheduler.now;
    net.listen(this.addr, this);
    this.scheduleCron(prng.int(CRON_MS));
    if (this.role === "slave") this.connectUpstream();
  }

  // ------------------------------------------------------------------ lifecycle (faults)

  /** The process dies: every connection is closed (FIN), memory is gone until {@link restart}. */
  crash(): void {
    if (!this.alive) return;
    this.alive = false;
    this.paused = false;
    this.backlog = [];
    this.incarnation++;
    for (const side of this.clients.values()) side.conn.closeByServer();
    this.clients.clear();
    this.subscribers.clear();
    this.dropUpstream(false);
    this.trace(`crashed`);
  }

  /**
   * Start again with the role from the config file and a new run id. `keepData` restores the
   * dataset and offset (RDB/AOF) after a short `-LOADING` phase; without it the server starts empty,
   * which is how a restarted master can wipe its replicas if nobody fails it over first.
   */
  restart(keepData: boolean): void {
    if (this.alive) this.crash();
    this.alive = true;
    this.incarnation++;
    this.runId = randomRunId(this.prng);
    this.bootAt = this.scheduler.now;
    this.loadingUntil = this.scheduler.now + (keepData ? this.loadingMs : 0);
    this.masterAddr = this.configReplicaOf;
    this.role = this.masterAddr === null ? "master" : "slave";
    this.replId = randomRunId(this.prng);
    this.replId2 = ZERO_REPLID;
    this.secondReplOffset = -1;
    if (!keepData) {
      this.data.clear();
      this.offset = 0;
    }
    this.upstreamState = "none";
    this.downSince = 0;
    this.lastIo = 0;
    this.scheduleCron(CRON_MS);
    this.trace(`restarted ${keepData ? "with" : "without"} data as ${this.role}`);
    if (this.role === "slave") this.scheduler.at(this.loadingUntil, () => this.alive && this.connectUpstream());
  }

  /** SIGSTOP: stop processing; requests and closes queue up in the kernel. */
  pause(): void {
    if (!this.alive || this.paused) return;
    this.paused = true;
    this.trace("paused");
  }

  /** SIGCONT: process everything that queued up, in arrival order. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.trace("resumed");
    const queued = this.backlog;
    this.backlog = [];
    for (const fn of queued) {
      if (!this.alive) return;
      fn();
    }
  }

  /** True while answering `-LOADING`. */
  get loading(): boolean {
    return this.scheduler.now < this.loadingUntil;
  }

  /** The replication link to our master is up (INFO `master_link_status:up`). */
  get masterLinkUp(): boolean {
    return this.role === "slave" && this.upstreamState === "connected";
  }

  /** Number of attached replicas whose last ACK is within `min-replicas-max-lag`. */
  goodReplicas(): number {
    let n = 0;
    const now = this.scheduler.now;
    for (const side of this.clients.values()) {
      if (side.replica && now - side.replica.lastAck <= this.minReplicasMaxLagS * 1000) n++;
    }
    return n;
  }

  /** Addresses of the replicas attached right now. */
  attachedReplicas(): Address[] {
    const out: Address[] = [];
    for (const side of this.clients.values()) if (side.replica) out.push({ host: side.replica.host, port: side.replica.port });
    return out;
  }

  /** The full INFO reply, as Redis 7.0 renders it. */
  infoText(): string {
    const now = this.scheduler.now;
    const replicas: InfoReplicaEntry[] = [];
    let connected = 0;
    for (const side of this.clients.values()) {
      if (side.replica) {
        replicas.push({
          host: side.replica.host,
          port: side.replica.port,
          state: "online",
          offset: side.replica.ackOffset,
          lagS: Math.floor((now - side.replica.lastAck) / 1000),
        });
      } else connected++;
    }
    return renderInfo({
      runId: this.runId,
      port: this.addr.port,
      processId: this.processId,
      nowMs: now,
      uptimeS: Math.floor((now - this.bootAt) / 1000),
      loading: this.loading,
      connectedClients: connected,
      totalConnections: this.totalConnections,
      totalCommands: this.totalCommands,
      keys: this.data.size,
      changesSinceSave: this.changesSinceSave,
      syncFull: this.syncFull,
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
      masterLastIoS: Math.floor((now - this.lastIo) / 1000),
      syncInProgress: this.upstreamState === "sync",
      masterLinkDownSinceS: this.downSince === 0 ? -1 : Math.floor(now / 1000) - Math.floor(this.downSince / 1000),
      slavePriority: this.replicaPriority,
      replicaAnnounced: this.replicaAnnounced,
    });
  }

  // ------------------------------------------------------------------ accepting clients

  /** Network callback: a handshake arrived. A dead process refuses (RST). */
  accept(conn: Connection<WireMessage>): ServerHandlers<WireMessage> | null {
    if (!this.alive) return null;
    const side: ClientSide = { conn, kind: "normal", authed: this.requirePass === undefined };
    this.clients.set(conn, side);
    this.totalConnections++;
    return {
      onMessage: (m) => this.whenRunning(() => this.onRequest(side, m as Request)),
      onClose: () => this.whenRunning(() => this.forgetClient(side)),
    };
  }

  /** Run now, or after SIGCONT; never for a previous incarnation of the process. */
  private whenRunning(fn: () => void): void {
    if (!this.alive) return;
    if (this.paused) {
      const inc = this.incarnation;
      this.backlog.push(() => inc === this.incarnation && fn());
      return;
    }
    fn();
  }

  private forgetClient(side: ClientSide): void {
    this.clients.delete(side.conn);
    this.subscribers.delete(side);
  }

  private reply(side: ClientSide, r: Response): void {
    side.conn.sendToClient(r);
  }

  private status(side: ClientSide, cmd: Request["t"], ok: boolean, text: string): void {
    this.reply(side, { t: "status", cmd, ok, text });
  }

  private onRequest(side: ClientSide, req: Request): void {
    if (!this.clients.has(side.conn)) return;
    this.totalCommands++;
    if (!side.authed && req.t !== "auth") {
      if (req.t === "info") this.reply(side, { t: "info", text: null });
      else this.status(side, req.t, false, ERRORS.noauth);
      return;
    }
    switch (req.t) {
      case "auth":
        side.authed = this.requirePass === undefined || req.pass === this.requirePass;
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
        const isReplica = [...this.clients.values()].some((x) => x.replica && x.replica.host === req.target.host && x.replica.port === req.target.port);
        const err = this.handover.start(this.role, isReplica, req.target, req.timeoutMs, this.scheduler.now, req.origin);
        return this.status(side, "failover-to", err === null, err ?? "OK");
      }
      case "failover-abort":
        if (this.handover.state === "no-failover") return this.status(side, "failover-abort", false, "ERR No failover in progress.");
        if (this.handover.state === "failover-in-progress" && this.role === "slave") this.replicaofNoOne(undefined);
        this.handover.clear();
        return this.status(side, "failover-abort", true, "OK");
      case "replconf-ack":
        if (side.replica) {
          side.replica.ackOffset = req.offset;
          side.replica.lastAck = this.scheduler.now;
        }
        return;
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

  // ------------------------------------------------------------------ writes

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

  /** Apply a write at `offset` and feed it to our own replicas (masters and chained replicas alike). */
  private apply(key: string, id: number, offset: number): void {
    this.data.append(key, id);
    this.offset = offset;
    this.changesSinceSave++;
    for (const s of this.clients.values()) {
      if (s.replica) s.conn.sendToClient({ t: "repl-write", key, id, offset });
    }
  }

  // ------------------------------------------------------------------ Sentinel's transaction

  /** MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC (§21.2). */
  private reconfigure(issuer: ClientSide, target: Address | null, origin: ReconfigureOrigin | undefined): void {
    if (target === null) this.replicaofNoOne(origin);
    else this.replicaof(target);
    this.configReplicaOf = target;
    for (const side of [...this.clients.values()]) {
      const kill = (side.kind === "normal" && side !== issuer) || side.kind === "pubsub";
      if (!kill) continue;
      side.conn.closeByServer();
      this.forgetClient(side);
    }
  }

  private replicaofNoOne(origin: ReconfigureOrigin | undefined): void {
    const changedRole = this.role === "slave";
    if (changedRole) {
      this.dropUpstream(false);
      this.role = "master";
      this.masterAddr = null;
      // A new history starts here; replicas must resynchronise (Redis: shiftReplicationId + disconnect).
      this.replId2 = this.replId;
      this.secondReplOffset = this.offset + 1;
      this.replId = randomRunId(this.prng);
      this.disconnectReplicas();
      this.trace(`SLAVEOF NO ONE: now a master at offset ${this.offset}`);
    }
    this.hooks.onPromoted?.(this, origin, changedRole);
  }

  private replicaof(target: Address): void {
    if (this.role === "slave" && this.masterAddr !== null && sameAddress(this.masterAddr, target)) return; // already
    const wasMaster = this.role === "master";
    this.dropUpstream(!wasMaster);
    this.role = "slave";
    this.masterAddr = target;
    if (wasMaster) this.downSince = 0;
    this.disconnectReplicas();
    this.trace(`SLAVEOF ${addressKey(target)}`);
    this.connectUpstream();
  }

  private disconnectReplicas(): void {
    for (const side of [...this.clients.values()]) {
      if (!side.replica) continue;
      side.conn.closeByServer();
      this.forgetClient(side);
    }
  }

  // ------------------------------------------------------------------ replication, replica side

  private connectUpstream(): void {
    if (!this.alive || this.role !== "slave" || this.masterAddr === null || this.upstream !== null || this.loading) return;
    const inc = this.incarnation;
    const target = this.masterAddr;
    this.upstreamState = "connecting";
    const conn: Connection<WireMessage> = this.net.connect<WireMessage>(this.host, target, {
      onOpen: () =>
        this.whenRunning(() => {
          if (inc !== this.incarnation || this.upstream !== conn) return;
          this.upstreamState = "sync";
          this.lastIo = this.scheduler.now;
          if (this.requirePass !== undefined) conn.sendToServer({ t: "auth", pass: this.requirePass });
          const failover = this.handover.state === "failover-in-progress" ? { origin: this.handover.origin } : undefined;
          conn.sendToServer({ t: "psync", listeningPort: this.addr.port, ...(failover ? { failover } : {}) });
        }),
      onFail: () =>
        this.whenRunning(() => {
          if (inc !== this.incarnation || this.upstream !== conn) return;
          this.upstream = null;
          this.upstreamState = "none";
        }),
      onMessage: (m) => this.whenRunning(() => inc === this.incarnation && this.upstream === conn && this.onUpstream(m as Response)),
      onClose: () =>
        this.whenRunning(() => {
          if (inc !== this.incarnation || this.upstream !== conn) return;
          this.upstream = null;
          this.linkLost();
        }),
    });
    this.upstream = conn;
  }

  private onUpstream(m: Response): void {
    this.lastIo = this.scheduler.now;
    switch (m.t) {
      case "fullresync": {
        // Loading the master's RDB replaces our dataset; chained replicas must resync from us.
        const fresh = m.data;
        this.data.clear();
        for (const k of fresh.keys()) for (const id of fresh.get(k)) this.data.append(k, id);
        this.offset = m.offset;
        this.replId = m.replId;
        this.upstreamState = "connected";
        this.downSince = 0;
        if (this.handover.state === "failover-in-progress") this.handover.clear(); // the target took over
        this.disconnectReplicas();
        this.upstream?.sendToServer({ t: "replconf-ack", offset: this.offset });
        return;
      }
      case "repl-write":
        if (this.upstreamState === "connected") this.apply(m.key, m.id, m.offset);
        return;
      case "repl-ping":
        return;
      case "status":
        if (!m.ok) {
          // PSYNC refused (-LOADING, -NOMASTERLINK, -NOAUTH): drop the link, the cron retries.
          this.dropUpstream(false);
        }
        return;
      default:
        return;
    }
  }

  private linkLost(): void {
    if (this.upstreamState === "connected") this.downSince = this.scheduler.now;
    this.upstreamState = "none";
  }

  /** Close the replication link; `markDown` records when it went down (for INFO). */
  private dropUpstream(markDown: boolean): void {
    const up = this.upstream;
    this.upstream = null;
    if (up) up.closeByClient();
    if (markDown || this.upstreamState === "connected") this.linkLost();
    this.upstreamState = "none";
  }

  // ------------------------------------------------------------------ replication, master side

  private psync(side: ClientSide, listeningPort: number, failover?: { readonly origin?: ReconfigureOrigin }): void {
    if (this.loading) return this.status(side, "psync", false, ERRORS.loading);
    // PSYNC FAILOVER from our own master: it hands its role over to us.
    if (failover && this.role === "slave") this.replicaofNoOne(failover.origin);
    if (this.role === "slave" && this.upstreamState !== "connected") return this.status(side, "psync", false, ERRORS.nomasterlink);
    side.kind = "replica";
    side.replica = { host: side.conn.clientHost, port: listeningPort, ackOffset: 0, lastAck: this.scheduler.now };
    this.syncFull++;
    this.reply(side, { t: "fullresync", replId: this.replId, offset: this.offset, data: this.data.clone() });
  }

  /** `FAILOVER TO`: hand over once the target has caught up, give up past the timeout. */
  private pollHandover(now: number): void {
    const target = this.handover.target;
    if (target === null) return;
    const side = [...this.clients.values()].find((x) => x.replica && x.replica.host === target.host && x.replica.port === target.port);
    const step = this.handover.poll(now, side?.replica?.ackOffset ?? null, this.offset);
    if (step === "abort") this.handover.clear();
    else if (step === "hand-over") this.replicaof(target);
  }

  // ------------------------------------------------------------------ cron

  private scheduleCron(delay: number): void {
    const inc = this.incarnation;
    this.scheduler.after(delay, () => {
      if (inc !== this.incarnation || !this.alive) return;
      this.scheduleCron(CRON_MS);
      if (!this.paused) this.cron();
    });
  }

  /** `replicationCron`: reconnect, time out silent links, ACK, keep replicas alive. */
  private cron(): void {
    const now = this.scheduler.now;
    this.pollHandover(now);
    if (this.role === "slave") {
      if (this.upstream === null) this.connectUpstream();
      else if ((this.upstreamState === "sync" || this.upstreamState === "connected") && now - this.lastIo > this.replTimeoutMs) {
        this.trace(`MASTER timeout: no data nor PING received for ${now - this.lastIo} ms`);
        this.dropUpstream(true);
      } else if (this.upstreamState === "connected") this.upstream.sendToServer({ t: "replconf-ack", offset: this.offset });
    }
    const ping = now - this.lastReplPing >= this.replPingPeriodMs;
    if (ping) this.lastReplPing = now;
    for (const side of [...this.clients.values()]) {
      if (!side.replica) continue;
      if (now - side.replica.lastAck > this.replTimeoutMs) {
        side.conn.closeByServer();
        this.forgetClient(side);
      } else if (ping) side.conn.sendToClient({ t: "repl-ping" });
    }
  }

  private trace(line: string): void {
    this.hooks.trace?.(`redis ${this.key} ${line}`);
  }
}
