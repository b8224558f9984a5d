import { type Address, addressKey, type Prng, sameAddress } from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import type { Connection } from "../network/connection.js";
import type { Network } from "../network/network.js";
import { randomRunId } from "../util/seeded.js";
import { AttachedReplicas } from "./attached-replicas.js";
import type { ClientSide } from "./client-side.js";
import { FailoverHandover } from "./failover-handover.js";
import { Keyspace } from "./keyspace.js";
import type { ReconfigureOrigin, Response, WireMessage } from "./protocol.js";
import { RedisProcess } from "./redis-process.js";
import { type ResolvedSimRedisOptions, resolveSimRedisOptions, type SimRedisOptions } from "./sim-redis-options.js";
import { UpstreamLink } from "./upstream-link.js";

/** Replication cron period (Redis runs `replicationCron` once a second). */
export const CRON_MS = 1000;
const ZERO_REPLID = "0000000000000000000000000000000000000000";

/**
 * The replication half of a simulated Redis server (the base of {@link SimRedis}): role and
 * `replicaof`, asynchronous replication over the simulated network (full resync, then a stream of
 * writes and keep-alives, acknowledgements once a second, `repl-timeout` on both sides), Sentinel's
 * reconfiguration transaction, the `FAILOVER TO` hand-over, and the process's faults: crash and
 * restart with or without its data, and pause (SIGSTOP: the kernel still accepts connections and
 * buffers requests, the process answers nothing until resumed).
 *
 * Every resynchronisation is a full one: partial resync only saves bandwidth, and the dataset a
 * replica ends up with is the same, which is what the lost-write accounting needs.
 */
export abstract class ReplicationNode {
  readonly host: string;
  readonly addr: Address;
  /** `host:port`. */
  readonly key: string;
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
  /** Statistics shown in INFO. */
  protected readonly stats = { totalConnections: 0, totalCommands: 0, changesSinceSave: 0, syncFull: 0 };
  protected readonly processId: number;
  protected bootAt: number;
  private loadingUntil = 0;
  /** Replication link to our master, when we are a replica. */
  protected readonly upstream: UpstreamLink;
  /** `FAILOVER TO` in progress (failover-handover.ts). */
  protected readonly handover = new FailoverHandover();
  protected readonly clients = new Map<Connection<WireMessage>, ClientSide>();
  protected readonly replicas = new AttachedReplicas(this.clients, (side) => {
    side.conn.closeByServer();
    this.forgetClient(side);
  });
  protected readonly subscribers = new Set<ClientSide>();
  private readonly process = new RedisProcess();
  private lastReplPing = 0;
  protected readonly options: ResolvedSimRedisOptions;

  constructor(
    protected readonly scheduler: Scheduler,
    net: Network,
    private readonly prng: Prng,
    options: SimRedisOptions,
  ) {
    const o = resolveSimRedisOptions(options);
    this.options = o;
    this.host = o.host;
    this.addr = { host: o.host, port: o.port };
    this.key = addressKey(this.addr);
    this.configReplicaOf = o.replicaOf;
    this.masterAddr = this.configReplicaOf;
    this.role = this.masterAddr === null ? "master" : "slave";
    this.replicaPriority = o.replicaPriority;
    this.replicaAnnounced = o.replicaAnnounced;
    this.minReplicasToWrite = o.minReplicasToWrite;
    this.minReplicasMaxLagS = o.minReplicasMaxLagS;
    this.runId = randomRunId(prng);
    this.replId = randomRunId(prng);
    this.processId = 1000 + prng.int(30000);
    this.bootAt = scheduler.now;
    this.upstream = new UpstreamLink(scheduler, net, this.host, o.requirePass, {
      whenRunning: (fn) => this.whenRunning(fn),
      incarnation: () => this.process.incarnation,
      psync: () => {
        const failover = this.handover.state === "failover-in-progress" ? { origin: this.handover.origin } : undefined;
        return { t: "psync", listeningPort: this.addr.port, ...(failover ? { failover } : {}) };
      },
      received: (m) => this.onUpstream(m),
    });
  }

  /** SLAVEOF NO ONE was applied (`changedRole`: we were a replica). */
  protected abstract promoted(origin: ReconfigureOrigin | undefined, changedRole: boolean): void;

  // ------------------------------------------------------------------ lifecycle (faults)

  /** The process dies: every connection is closed (FIN), memory is gone until {@link restart}. */
  crash(): void {
    if (!this.process.kill()) return;
    for (const side of this.clients.values()) side.conn.closeByServer();
    this.clients.clear();
    this.subscribers.clear();
    this.upstream.drop(false);
    this.trace(`crashed`);
  }

  /**
   * Start again with the role from the config file and a new run id. `keepData` restores the
   * dataset and offset (RDB/AOF) after a short `-LOADING` phase; without it the server starts empty,
   * which is how a restarted master can wipe its replicas if nobody fails it over first.
   */
  restart(keepData: boolean): void {
    if (this.alive) this.crash();
    this.process.start();
    this.runId = randomRunId(this.prng);
    this.bootAt = this.scheduler.now;
    this.loadingUntil = this.scheduler.now + (keepData ? this.options.loadingMs : 0);
    this.masterAddr = this.configReplicaOf;
    this.role = this.masterAddr === null ? "master" : "slave";
    this.replId = randomRunId(this.prng);
    this.replId2 = ZERO_REPLID;
    this.secondReplOffset = -1;
    if (!keepData) {
      this.data.clear();
      this.offset = 0;
    }
    this.upstream.reset();
    this.scheduleCron(CRON_MS);
    this.trace(`restarted ${keepData ? "with" : "without"} data as ${this.role}`);
    if (this.role === "slave") this.scheduler.at(this.loadingUntil, () => this.alive && this.connectUpstream());
  }

  /** SIGSTOP: stop processing; requests and closes queue up in the kernel. */
  pause(): void {
    if (this.process.stop()) this.trace("paused");
  }

  /** SIGCONT: process everything that queued up, in arrival order. */
  resume(): void {
    if (!this.process.cont()) return;
    this.trace("resumed");
    this.process.drain();
  }

  /** The process runs (not crashed). */
  get alive(): boolean {
    return this.process.alive;
  }

  /** The process is stopped (SIGSTOP). */
  get paused(): boolean {
    return this.process.paused;
  }

  /** True while answering `-LOADING`. */
  get loading(): boolean {
    return this.scheduler.now < this.loadingUntil;
  }

  /** The replication link to our master is up (INFO `master_link_status:up`). */
  get masterLinkUp(): boolean {
    return this.role === "slave" && this.upstream.state === "connected";
  }

  /** Number of attached replicas whose last ACK is within `min-replicas-max-lag`. */
  goodReplicas(): number {
    return this.replicas.countWithin(this.scheduler.now, this.minReplicasMaxLagS * 1000);
  }

  /** Addresses of the replicas attached right now. */
  attachedReplicas(): Address[] {
    return this.replicas.addresses();
  }

  // ------------------------------------------------------------------ clients

  protected whenRunning(fn: () => void): void {
    this.process.whenRunning(fn);
  }

  protected forgetClient(side: ClientSide): void {
    this.clients.delete(side.conn);
    this.subscribers.delete(side);
  }

  // ------------------------------------------------------------------ writes and Sentinel's transaction

  /** Apply a write at `offset` and feed it to our own replicas (masters and chained replicas alike). */
  protected apply(key: string, id: number, offset: number): void {
    this.data.append(key, id);
    this.offset = offset;
    this.stats.changesSinceSave++;
    this.replicas.feed({ t: "repl-write", key, id, offset });
  }

  /** MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC (§21.2). */
  protected reconfigure(issuer: ClientSide, target: Address | null, origin: ReconfigureOrigin | undefined): void {
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

  protected replicaofNoOne(origin: ReconfigureOrigin | undefined): void {
    const changedRole = this.role === "slave";
    if (changedRole) {
      this.upstream.drop(false);
      this.role = "master";
      this.masterAddr = null;
      // A new history starts here; replicas must resynchronise (Redis: shiftReplicationId + disconnect).
      this.replId2 = this.replId;
      this.secondReplOffset = this.offset + 1;
      this.replId = randomRunId(this.prng);
      this.replicas.disconnectAll();
      this.trace(`SLAVEOF NO ONE: now a master at offset ${this.offset}`);
    }
    this.promoted(origin, changedRole);
  }

  protected replicaof(target: Address): void {
    if (this.role === "slave" && this.masterAddr !== null && sameAddress(this.masterAddr, target)) return; // already
    const wasMaster = this.role === "master";
    this.upstream.drop(!wasMaster);
    this.role = "slave";
    this.masterAddr = target;
    if (wasMaster) this.upstream.downSince = 0;
    this.replicas.disconnectAll();
    this.trace(`SLAVEOF ${addressKey(target)}`);
    this.connectUpstream();
  }

  // ------------------------------------------------------------------ replication

  protected connectUpstream(): void {
    if (!this.alive || this.role !== "slave" || this.masterAddr === null || this.upstream.open || this.loading) return;
    this.upstream.connect(this.masterAddr);
  }

  protected onUpstream(m: Response): void {
    switch (m.t) {
      case "fullresync": {
        // Loading the master's RDB replaces our dataset; chained replicas must resync from us.
        const fresh = m.data;
        this.data.clear();
        for (const k of fresh.keys()) for (const id of fresh.get(k)) this.data.append(k, id);
        this.offset = m.offset;
        this.replId = m.replId;
        this.upstream.state = "connected";
        this.upstream.downSince = 0;
        if (this.handover.state === "failover-in-progress") this.handover.clear(); // the target took over
        this.replicas.disconnectAll();
        this.upstream.send({ t: "replconf-ack", offset: this.offset });
        return;
      }
      case "repl-write":
        if (this.upstream.state === "connected") this.apply(m.key, m.id, m.offset);
        return;
      case "repl-ping":
        return;
      case "status":
        if (!m.ok) {
          // PSYNC refused (-LOADING, -NOMASTERLINK, -NOAUTH): drop the link, the cron retries.
          this.upstream.drop(false);
        }
        return;
      default:
        return;
    }
  }

  /** `FAILOVER TO`: hand over once the target has caught up, give up past the timeout. */
  protected pollHandover(now: number): void {
    const target = this.handover.target;
    if (target === null) return;
    const side = this.replicas.find(target);
    const step = this.handover.poll(now, side?.replica?.ackOffset ?? null, this.offset);
    if (step === "abort") this.handover.clear();
    else if (step === "hand-over") this.replicaof(target);
  }

  protected scheduleCron(delay: number): void {
    const inc = this.process.incarnation;
    this.scheduler.after(delay, () => {
      if (inc !== this.process.incarnation || !this.alive) return;
      this.scheduleCron(CRON_MS);
      if (!this.paused) this.cron();
    });
  }

  /** `replicationCron`: reconnect, time out silent links, ACK, keep replicas alive. */
  protected cron(): void {
    const now = this.scheduler.now;
    this.pollHandover(now);
    if (this.role === "slave") {
      if (!this.upstream.open) this.connectUpstream();
      else if (this.upstream.silentFor(now, this.options.replTimeoutMs)) {
        this.trace(`MASTER timeout: no data nor PING received for ${now - this.upstream.lastIo} ms`);
        this.upstream.drop(true);
      } else if (this.upstream.state === "connected") this.upstream.send({ t: "replconf-ack", offset: this.offset });
    }
    const ping = now - this.lastReplPing >= this.options.replPingPeriodMs;
    if (ping) this.lastReplPing = now;
    this.replicas.cron(now, this.options.replTimeoutMs, ping);
  }

  /** A line for the trace. */
  protected abstract trace(line: string): void;
}
