import {
  type Address,
  addressKey,
  type EngineCommand,
  type EngineInput,
  type EngineOutput,
  type LinkFailure,
  type LinkKind,
  type MasterSeed,
  type PersistedState,
  type Prng,
  type Timing,
  type TimingProfile,
} from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import type { OutputOrigin, SentinelObservation, SentinelRef } from "../cluster/observer.js";
import type { Connection, ServerHandlers } from "../network/connection.js";
import type { Listener, Network } from "../network/network.js";
import { HELLO_CHANNEL, type Request, type Response, type WireMessage } from "../redis/protocol.js";
import type { EngineFactory, EngineLike } from "./engine-like.js";

/** Configuration of one simulated sentinel process. */
export interface SentinelHostOptions {
  /** Short name for traces (`s1`). */
  readonly name: string;
  /** The host (machine) it runs on. */
  readonly host: string;
  /** Listening port. Default 26379. */
  readonly port?: number;
  /** 40 hex characters, kept across restarts (it is on the disk). */
  readonly myId: string;
  readonly createEngine: EngineFactory;
  /** Seeded randomness for the engine (failover desync). */
  readonly prng: Prng;
  readonly timing?: Timing | TimingProfile;
  /** Masters to monitor on first start (later starts read the disk). */
  readonly masters: readonly MasterSeed[];
  /** Timer period (ms). Default 100. */
  readonly tickMs?: number;
  /** Test-only engine faults (`voteTwicePerEpoch`). */
  readonly engineFaults?: { readonly voteTwicePerEpoch?: boolean; readonly walkEveryTick?: boolean };
}

/** Where a sentinel reports what happens in it. */
export interface SentinelHostHooks {
  onOutput?(o: SentinelObservation): void;
  onPersist?(s: SentinelRef, state: PersistedState, time: number): void;
  onRestart?(s: SentinelRef, time: number): void;
  trace?(line: string): void;
}

/**
 * A sentinel process: one engine fed from the simulated network and the virtual clock, and a
 * transport that honours every obligation of the engine's commands — links reported up or down,
 * replies fed back as inputs, `persist` written to the simulated disk before anything that follows
 * it (a vote is on disk before its reply leaves), peers' vote requests served by calling
 * `isMasterDownByAddr` on this engine and executing its output before replying.
 *
 * Its clock can be skewed (`clockOffset`) to drive TILT; it can crash and restart from its disk.
 */
export class SentinelHost implements Listener<WireMessage>, SentinelRef {
  readonly name: string;
  readonly host: string;
  readonly addr: Address;
  readonly myId: string;
  alive = false;
  /** Added to the virtual time to form this sentinel's wall clock (clock-jump faults). */
  clockOffset = 0;
  /** The simulated disk: the last persisted state (null before the first persist). */
  disk: PersistedState | null = null;
  /** Scripts the engine asked to run, in order (the simulator only records them). */
  readonly scripts: { time: number; script: string; path: string; args: readonly string[] }[] = [];
  private engineRef: EngineLike | null = null;
  private readonly links = new Map<string, Connection<WireMessage>>();
  private readonly served = new Set<Connection<WireMessage>>();
  private incarnation = 0;
  private readonly tickMs: number;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly net: Network,
    private readonly options: SentinelHostOptions,
    private readonly hooks: SentinelHostHooks = {},
  ) {
    this.name = options.name;
    this.host = options.host;
    this.addr = { host: options.host, port: options.port ?? 26379 };
    this.myId = options.myId;
    this.tickMs = options.tickMs ?? 100;
    net.listen(this.addr, this);
  }

  /** The running engine (throws when the process is down). */
  get engine(): EngineLike {
    if (this.engineRef === null) throw new Error(`sentinel ${this.name} is not running`);
    return this.engineRef;
  }

  /** The running engine, or null while crashed. */
  get engineOrNull(): EngineLike | null {
    return this.engineRef;
  }

  /** This sentinel's wall clock. */
  get localNow(): number {
    return this.scheduler.now + this.clockOffset;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Start the process: a new engine from the disk (or the initial config), then ticks. */
  start(): void {
    if (this.alive) return;
    this.alive = true;
    this.incarnation++;
    const now = this.localNow;
    const disk = this.disk;
    const first = disk === null;
    this.engineRef = this.options.createEngine({
      myId: this.myId,
      now,
      prng: this.options.prng,
      timing: this.options.timing ?? "fast",
      global: disk?.global ?? { port: this.addr.port },
      currentEpoch: disk?.currentEpoch ?? 0,
      masters: disk
        ? disk.masters.map((m) => ({
            settings: m.settings,
            configEpoch: m.configEpoch,
            leaderEpoch: m.leaderEpoch,
            knownReplicas: m.knownReplicas,
            knownSentinels: m.knownSentinels,
          }))
        : this.options.masters,
      faults: this.options.engineFaults,
    });
    this.trace(first ? "started" : `restarted from disk (epoch ${disk.currentEpoch})`);
    if (!first) this.hooks.onRestart?.(this, this.scheduler.now);
    this.execute("start", this.engineRef.start(now));
    this.scheduleTick(this.options.prng.int(this.tickMs) + 1);
  }

  /** The process dies: connections close, the engine's memory is lost, the disk stays. */
  crash(reason = "crashed"): void {
    if (!this.alive) return;
    this.alive = false;
    this.incarnation++;
    this.engineRef = null;
    for (const c of this.links.values()) c.closeByClient();
    this.links.clear();
    for (const c of this.served) c.closeByServer();
    this.served.clear();
    this.trace(reason);
  }

  /** Move this sentinel's clock by `deltaMs` (negative = backwards). */
  jumpClock(deltaMs: number): void {
    this.clockOffset += deltaMs;
    this.trace(`clock jumps ${deltaMs > 0 ? "+" : ""}${deltaMs} ms`);
  }

  /** `SENTINEL FAILOVER <name>` through the API. */
  failover(name: string): string {
    if (!this.alive) return "down";
    const engine = this.engine;
    const { result, output } = engine.failover(this.localNow, name);
    this.execute("failover-api", output, undefined, result);
    return result;
  }

  private scheduleTick(delay: number): void {
    const inc = this.incarnation;
    this.scheduler.after(delay, () => {
      if (inc !== this.incarnation) return;
      this.scheduleTick(this.tickMs);
      this.step({ kind: "tick", now: this.localNow });
    });
  }

  // ------------------------------------------------------------------ engine plumbing

  private step(input: EngineInput): void {
    const engine = this.engineRef;
    if (engine === null) return;
    this.execute("step", engine.step(input), input);
  }

  /** Carry out an output's commands in order and let observers see it. */
  private execute(origin: OutputOrigin, output: EngineOutput, input?: EngineInput, result?: string): void {
    const engine = this.engineRef;
    if (engine === null) return;
    const inc = this.incarnation;
    for (const c of output.commands) {
      if (inc !== this.incarnation) break; // crashed half-way (simulate-failure)
      this.command(c);
    }
    this.hooks.onOutput?.({ time: this.scheduler.now, localTime: this.localNow, sentinel: this, origin, input, output, engine, result });
  }

  private command(c: EngineCommand): void {
    switch (c.kind) {
      case "connect":
        return this.connect(c.addr, c.link, c.auth?.pass, c.auth?.user);
      case "disconnect": {
        const key = linkKey(c.addr, c.link);
        this.links.get(key)?.closeByClient();
        this.links.delete(key);
        return;
      }
      case "ping":
        return this.send(c.addr, { t: "ping" });
      case "info":
        return this.send(c.addr, { t: "info" });
      case "publish-hello":
        return this.send(c.addr, { t: "publish", channel: HELLO_CHANNEL, payload: c.payload });
      case "script-kill":
        return this.send(c.addr, { t: "script-kill" });
      case "ask-master-down":
        return this.send(c.addr, { t: "is-master-down-by-addr", master: c.master, args: c.args });
      case "reconfigure":
        return this.send(c.addr, { t: "reconfigure", target: c.target, origin: c.target === null ? this.promotionOrigin(c.addr) : undefined });
      case "persist":
        // Synchronous and durable before the next command runs: the obligation holds trivially.
        this.disk = c.state;
        this.hooks.onPersist?.(this, c.state, this.scheduler.now);
        return;
      case "run-script":
        this.scripts.push({ time: this.scheduler.now, script: c.script, path: c.path, args: c.args });
        this.trace(`script ${c.script} ${c.path} ${c.args.join(" ")}`);
        return;
      default: {
        const other = c as { kind: string; reason?: string };
        if (other.kind === "crash") this.crash(`exits (${other.reason ?? "simulated failure"})`);
        return;
      }
    }
  }

  /** The failover epoch a `SLAVEOF NO ONE` belongs to, for the checkers. */
  private promotionOrigin(addr: Address): { sentinel: string; epoch: number } {
    const key = addressKey(addr);
    const m = this.engine.view().masters.find((x) => x.promoted === key);
    return { sentinel: this.myId, epoch: m?.failoverEpoch ?? -1 };
  }

  private send(addr: Address, req: Request): void {
    const conn = this.links.get(linkKey(addr, "cmd"));
    if (conn?.clientOpen) conn.sendToServer(req);
  }

  private connect(addr: Address, link: LinkKind, pass: string | undefined, user: string | undefined): void {
    const key = linkKey(addr, link);
    this.links.get(key)?.closeByClient();
    const inc = this.incarnation;
    const current = (): boolean => inc === this.incarnation && this.links.get(key) === conn;
    const down = (error: string, failure: LinkFailure): void => {
      if (!current()) return;
      this.links.delete(key);
      this.step({ kind: "link-down", now: this.localNow, addr, link, error, failure });
    };
    const conn: Connection<WireMessage> = this.net.connect<WireMessage>(this.host, addr, {
      onOpen: () => {
        if (!current()) return;
        if (pass !== undefined) conn.sendToServer({ t: "auth", pass, ...(user !== undefined ? { user } : {}) });
        if (link === "pubsub") conn.sendToServer({ t: "subscribe", channel: HELLO_CHANNEL });
        this.step({ kind: "link-up", now: this.localNow, addr, link, localHost: this.host });
      },
      onFail: (reason, failure) => down(reason, failure),
      onClose: (reason, failure) => down(reason, failure),
      onMessage: (m) => {
        if (!current()) return;
        this.onReply(addr, link, conn, m as Response);
      },
    });
    this.links.set(key, conn);
  }

  private onReply(addr: Address, link: LinkKind, conn: Connection<WireMessage>, r: Response): void {
    const now = this.localNow;
    switch (r.t) {
      case "status":
        switch (r.cmd) {
          case "ping":
            return this.step({ kind: "ping-reply", now, addr, reply: r.text });
          case "publish":
            return this.step({ kind: "publish-reply", now, addr, ok: r.ok });
          case "reconfigure":
            return this.step({ kind: "reconfigure-reply", now, addr, ok: r.ok });
          case "auth":
          case "subscribe":
            // An error here closes the link (what hiredis does), and the engine hears link-down.
            if (!r.ok) {
              conn.closeByClient();
              this.links.delete(linkKey(addr, link));
              this.step({ kind: "link-down", now, addr, link, error: r.text, failure: "other" });
            }
            return;
          default:
            return;
        }
      case "info":
        return this.step({ kind: "info-reply", now, addr, text: r.text });
      case "message":
        return this.step({ kind: "hello", now, via: addr, payload: r.payload });
      case "ask-reply":
        return this.step({ kind: "ask-reply", now, addr, master: r.master, reply: r.reply });
      default:
        return;
    }
  }

  // ------------------------------------------------------------------ serving peers and clients

  /** Network callback: a peer sentinel or an application client connects to our port. */
  accept(conn: Connection<WireMessage>): ServerHandlers<WireMessage> | null {
    if (!this.alive) return null;
    const inc = this.incarnation;
    this.served.add(conn);
    return {
      onMessage: (m) => {
        if (inc === this.incarnation) this.serve(conn, m as Request);
      },
      onClose: () => {
        this.served.delete(conn);
      },
    };
  }

  private serve(conn: Connection<WireMessage>, req: Request): void {
    const engine = this.engineRef;
    if (engine === null) return;
    const reply = (r: Response): void => conn.sendToClient(r);
    switch (req.t) {
      case "ping":
      case "auth":
        return reply({ t: "status", cmd: req.t, ok: true, text: req.t === "ping" ? "PONG" : "OK" });
      case "publish":
        // A peer's PUBLISH __sentinel__:hello to our API (§17.3) is a hello with no pub/sub source.
        this.step({ kind: "hello", now: this.localNow, via: null, payload: req.payload });
        return reply({ t: "status", cmd: "publish", ok: true, text: "1" });
      case "is-master-down-by-addr": {
        const [ip, port, epoch, runId] = req.args;
        const { reply: answer, output } = engine.isMasterDownByAddr(this.localNow, ip, Number(port), Number(epoch), runId);
        // Persist (and everything else) first: the vote must be on disk before the reply leaves.
        this.execute("vote-request", output);
        return reply({ t: "ask-reply", master: req.master, reply: answer });
      }
      case "get-master-addr-by-name":
        return reply({ t: "master-addr", addr: engine.getMasterAddrByName(req.name) });
      case "info":
        return reply({ t: "info", text: null });
      default:
        return reply({ t: "status", cmd: req.t, ok: false, text: `ERR unknown command '${req.t}'` });
    }
  }

  private trace(line: string): void {
    this.hooks.trace?.(`sentinel ${this.name} ${line}`);
  }
}

function linkKey(addr: Address, link: LinkKind): string {
  return `${addressKey(addr)}|${link}`;
}
