import {
  type Address,
  addressKey,
  type CommandOf,
  composeTransport,
  type EngineInput,
  type EngineOutput,
  executeCommands,
  type HostTransport,
  type MasterSeed,
  type PersistedState,
  type Prng,
  type SwitchoverOptions,
  type Timing,
  type TimingProfile,
  type Transport,
} from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import type { OutputOrigin, SentinelObservation, SentinelRef } from "../cluster/observer.js";
import type { Connection, ServerHandlers } from "../network/connection.js";
import type { Listener, Network } from "../network/network.js";
import type { Request, Response, WireMessage } from "../redis/protocol.js";
import { CpuStarvation, type StarvationProfile } from "./cpu-starvation.js";
import type { EngineFactory, EngineLike } from "./engine-like.js";
import { SimLinks, type SimLinksOwner } from "./sim-links.js";

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
  /** Run as on a CPU-starved host (random stalls, timers before I/O after each); default: never starved. */
  readonly starvation?: { readonly profile: StarvationProfile; readonly prng: Prng };
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
 * {@link Transport} (core's `executeCommands`, the daemon's command path) that honours every obligation
 * of the engine's commands — links reported up or down,
 * replies fed back as inputs, `persist` written to the simulated disk before anything that follows
 * it (a vote is on disk before its reply leaves), peers' vote requests served by calling
 * `isMasterDownByAddr` on this engine and executing its output before replying.
 *
 * Its clock can be skewed (`clockOffset`) to drive TILT; it can crash and restart from its disk.
 */
export class SentinelHost implements Listener<WireMessage>, SentinelRef, HostTransport, SimLinksOwner {
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
  private readonly links: SimLinks;
  /** The daemon's command path: simulated links for the network, this process for the rest. */
  private readonly transport: Transport;
  private readonly served = new Set<Connection<WireMessage>>();
  private incarnation = 0;
  private readonly tickMs: number;
  private readonly cpu: CpuStarvation | null;

  constructor(
    private readonly scheduler: Scheduler,
    net: Network,
    private readonly options: SentinelHostOptions,
    private readonly hooks: SentinelHostHooks = {},
  ) {
    this.name = options.name;
    this.host = options.host;
    this.addr = { host: options.host, port: options.port ?? 26379 };
    this.myId = options.myId;
    this.tickMs = options.tickMs ?? 100;
    this.cpu = options.starvation ? new CpuStarvation(scheduler, options.starvation.prng, options.starvation.profile) : null;
    this.links = new SimLinks(net, this);
    this.transport = composeTransport(this.links, this);
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
    this.links.closeAll();
    for (const c of this.served) c.closeByServer();
    this.served.clear();
    this.trace(reason);
  }

  /** Move this sentinel's clock by `deltaMs` (negative = backwards). */
  jumpClock(deltaMs: number): void {
    this.clockOffset += deltaMs;
    this.trace(`clock jumps ${deltaMs > 0 ? "+" : ""}${deltaMs} ms`);
  }

  /** `SENTINEL FAILOVER <name> [COORDINATED]` through the API (`coordinated`: a switchover). */
  failover(name: string, coordinated?: SwitchoverOptions): string {
    if (!this.alive) return "down";
    const engine = this.engine;
    const { result, output } = engine.failover(this.localNow, name, coordinated);
    this.execute("failover-api", output, undefined, result);
    return result;
  }

  private scheduleTick(delay: number): void {
    const inc = this.incarnation;
    this.scheduler.after(delay, () => {
      if (inc !== this.incarnation) return;
      this.scheduleTick(this.tickMs);
      this.onCpu("timer", inc, () => this.step({ kind: "tick", now: this.localNow }));
    });
  }

  // ------------------------------------------------------------------ engine plumbing

  /** Run `work` when this process has the CPU (at once unless starved), in the incarnation it was meant for. */
  private onCpu(kind: "timer" | "input", inc: number, work: () => void): void {
    const guarded = (): void => {
      if (inc === this.incarnation) work();
    };
    if (this.cpu === null) guarded();
    else if (kind === "timer") this.cpu.timer(guarded);
    else this.cpu.input(guarded);
  }

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
    // Stops when the process crashed half-way (simulate-failure), as the daemon's exit does.
    executeCommands(this.transport, output, () => inc === this.incarnation);
    this.hooks.onOutput?.({ time: this.scheduler.now, localTime: this.localNow, sentinel: this, origin, input, output, engine, result });
  }

  // ------------------------------------------------------------------ HostTransport (the network half is the SimLinks)


  /** Synchronous and durable before the next command runs: the obligation holds trivially. */
  persist(c: CommandOf<"persist">): void {
    const state = c.deferrable === true ? this.engine.persistedState() : c.state;
    this.disk = state;
    this.hooks.onPersist?.(this, state, this.scheduler.now);
  }

  /** A tick at `at` on this sentinel's clock, as the daemon's timer delivers it. */
  wake(c: CommandOf<"wake">): void {
    const inc = this.incarnation;
    this.scheduler.after(Math.max(0, c.at - this.localNow), () => {
      this.onCpu("timer", inc, () => this.step({ kind: "tick", now: this.localNow }));
    });
  }

  exitProcess(c: CommandOf<"crash">): void {
    this.crash(`exits (${c.reason})`);
  }

  /** The simulator only records script runs. */
  runScript(c: CommandOf<"run-script">): void {
    this.scripts.push({ time: this.scheduler.now, script: c.script, path: c.path, args: c.args });
    this.trace(`script ${c.script} ${c.path} ${c.args.join(" ")}`);
  }

  /** The failover epoch a `SLAVEOF NO ONE` belongs to, for the checkers. */
  promotionOrigin(addr: Address): { sentinel: string; epoch: number } {
    const key = addressKey(addr);
    const m = this.engine.view().masters.find((x) => x.failover.state !== "none" && x.failover.promoted === key);
    return { sentinel: this.myId, epoch: m?.failover.epoch ?? -1 };
  }

  /** {@link SimLinks} feeds replies here, stamped with this sentinel's clock. */
  deliver(input: DistributiveOmit<EngineInput, "now">): void {
    this.onCpu("input", this.incarnation, () => this.step({ ...input, now: this.localNow } as EngineInput));
  }

  // ------------------------------------------------------------------ serving peers and clients

  /** Network callback: a peer sentinel or an application client connects to our port. */
  accept(conn: Connection<WireMessage>): ServerHandlers<WireMessage> | null {
    if (!this.alive) return null;
    const inc = this.incarnation;
    this.served.add(conn);
    return {
      onMessage: (m) => {
        this.onCpu("input", inc, () => this.serve(conn, m as Request));
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

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
