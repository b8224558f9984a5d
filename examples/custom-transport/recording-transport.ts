/**
 * A third transport, small enough to read in one go: it records every command the engine asks for and
 * plays a tiny fake network in which every Redis instance is a healthy master with no replicas. It is
 * what a test of an embedder's own wiring, or a replay tool, would start from.
 *
 * A transport implements `Transport` from `@vigil/core` (one method per engine command), feeds replies
 * back to the engine as `EngineInput`s, and hands each engine output to `executeCommands`, the one
 * executor the daemon and the simulator use too. When the engine gains a command, this class stops
 * compiling until it handles it.
 */
import {
  type CommandOf,
  type EngineCommand,
  type EngineInput,
  type EngineOutput,
  executeCommands,
  type PersistedState,
  type SentinelEngine,
  type SentinelEvent,
  type Transport,
} from "@vigil/core";

/** The INFO a lone master answers (only the fields the engine reads). */
const MASTER_INFO = "# Server\r\nrun_id:0123456789abcdef0123456789abcdef01234567\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";

export class RecordingTransport implements Transport {
  /** Every command, in the order the engine issued them. */
  readonly commands: EngineCommand[] = [];
  /** Every event of every output carried out. */
  readonly events: SentinelEvent[] = [];
  /** The last durable state (the engine's obligation: written before what follows it). */
  disk: PersistedState | null = null;
  /** Ticks the engine asked for (`wake`), due at these times. */
  readonly wakes: number[] = [];
  /** Replies, delivered on the next {@link drain} (a network answers later, never inside the call). */
  private readonly pending: EngineInput[] = [];
  private time: number;

  constructor(
    private readonly engine: SentinelEngine,
    now: number,
  ) {
    this.time = now;
  }

  /** Start the engine and carry out its first output. */
  start(): void {
    this.run(this.engine.start(this.time));
  }

  /** Advance the clock, tick, and deliver replies until the network is quiet. */
  advance(ms: number): void {
    this.time += ms;
    this.run(this.engine.step({ kind: "tick", now: this.time }));
    this.drain();
  }

  /** Deliver every pending reply (and the replies those outputs cause). */
  drain(): void {
    for (let input = this.pending.shift(); input !== undefined; input = this.pending.shift()) this.run(this.engine.step(input));
  }

  private run(output: EngineOutput): void {
    this.commands.push(...output.commands);
    executeCommands(this, output);
    this.events.push(...output.events);
  }

  private reply(input: DistributiveOmit<EngineInput, "now">): void {
    this.pending.push({ ...input, now: this.time } as EngineInput);
  }

  // One method per engine command: the fake network's answers.
  connect(c: CommandOf<"connect">): void {
    this.reply({ kind: "link-up", addr: c.addr, link: c.link, localHost: "127.0.0.1" });
  }
  disconnect(_c: CommandOf<"disconnect">): void {}
  ping(c: CommandOf<"ping">): void {
    this.reply({ kind: "ping-reply", addr: c.addr, reply: "PONG" });
  }
  info(c: CommandOf<"info">): void {
    this.reply({ kind: "info-reply", addr: c.addr, text: MASTER_INFO });
  }
  publishHello(c: CommandOf<"publish-hello">): void {
    this.reply({ kind: "publish-reply", addr: c.addr, ok: true });
  }
  askMasterDown(c: CommandOf<"ask-master-down">): void {
    this.reply({ kind: "ask-reply", addr: c.addr, master: c.master, reply: null });
  }
  reconfigure(c: CommandOf<"reconfigure">): void {
    this.reply({ kind: "reconfigure-reply", addr: c.addr, ok: true });
  }
  fenceWrites(_c: CommandOf<"fence-writes">): void {}
  fenceStaleMaster(_c: CommandOf<"fence-stale-master">): void {}
  unfenceStaleMaster(_c: CommandOf<"unfence-stale-master">): void {}
  liftFences(_c: CommandOf<"lift-fences">): void {}
  scriptKill(_c: CommandOf<"script-kill">): void {}
  handover(_c: CommandOf<"handover">): void {}
  abortHandover(_c: CommandOf<"abort-handover">): void {}
  persist(c: CommandOf<"persist">): void {
    if (c.deferrable !== true) this.disk = c.state; // a deferrable one would be read from the engine when written
  }
  wake(c: CommandOf<"wake">): void {
    this.wakes.push(c.at);
  }
  exitProcess(c: CommandOf<"crash">): void {
    throw new Error(`SENTINEL SIMULATE-FAILURE: ${c.reason}`);
  }
  runScript(_c: CommandOf<"run-script">): void {}
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
