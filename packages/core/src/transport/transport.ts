import type { EngineCommand } from "../engine/commands.js";
import type { EngineOutput } from "../engine/output.js";

/** The command of kind `K` (`CommandOf<"ping">` is `{ kind: "ping"; addr }`). */
export type CommandOf<K extends EngineCommand["kind"]> = Extract<EngineCommand, { kind: K }>;

/**
 * The network half of a transport: connections to Redis instances and peer sentinels, and the commands
 * sent on them. Replies and connection changes go back to the engine as `EngineInput`s through whatever
 * channel the transport was built with (never inside the call).
 */
export interface NetworkTransport {
  connect(c: CommandOf<"connect">): void;
  disconnect(c: CommandOf<"disconnect">): void;
  ping(c: CommandOf<"ping">): void;
  info(c: CommandOf<"info">): void;
  publishHello(c: CommandOf<"publish-hello">): void;
  askMasterDown(c: CommandOf<"ask-master-down">): void;
  reconfigure(c: CommandOf<"reconfigure">): void;
  fenceWrites(c: CommandOf<"fence-writes">): void;
  fenceStaleMaster(c: CommandOf<"fence-stale-master">): void;
  unfenceStaleMaster(c: CommandOf<"unfence-stale-master">): void;
  liftFences(c: CommandOf<"lift-fences">): void;
  scriptKill(c: CommandOf<"script-kill">): void;
  /** Switchover: `FAILOVER TO … TIMEOUT …` on the master; reports `handover-reply`. */
  handover(c: CommandOf<"handover">): void;
  /** `FAILOVER ABORT`, on a connection of its own (the cmd link may sit behind a paused PUBLISH). */
  abortHandover(c: CommandOf<"abort-handover">): void;
}

/** The process half of a transport: the disk, the clock, scripts and the process itself. */
export interface HostTransport {
  /** Durable before the next command runs (see the `persist` command). */
  persist(c: CommandOf<"persist">): void;
  /** A `tick` at (or soon after) `c.at`, besides the periodic ticks. */
  wake(c: CommandOf<"wake">): void;
  /** `SENTINEL SIMULATE-FAILURE`: the process exits (status 99) once the earlier commands are out. */
  exitProcess(c: CommandOf<"crash">): void;
  runScript(c: CommandOf<"run-script">): void;
}

/**
 * What carries out the engine's commands: real sockets, a simulated network, a recorder in a test.
 * One method per {@link EngineCommand} kind, each bound by that command's obligation (see
 * `EngineCommand`).
 *
 * Adding a command kind to `EngineCommand` breaks {@link executeCommand}'s exhaustiveness check until it
 * gets a case, which calls a new method here, which every transport must then provide (the compiler
 * lists each one): a transport cannot silently drop a command.
 */
export interface Transport extends NetworkTransport, HostTransport {}

/** One {@link Transport} from its two halves (how the daemon and the simulator assemble theirs). */
export function composeTransport(network: NetworkTransport, host: HostTransport): Transport {
  return {
    connect: (c) => network.connect(c),
    disconnect: (c) => network.disconnect(c),
    ping: (c) => network.ping(c),
    info: (c) => network.info(c),
    publishHello: (c) => network.publishHello(c),
    askMasterDown: (c) => network.askMasterDown(c),
    reconfigure: (c) => network.reconfigure(c),
    fenceWrites: (c) => network.fenceWrites(c),
    fenceStaleMaster: (c) => network.fenceStaleMaster(c),
    unfenceStaleMaster: (c) => network.unfenceStaleMaster(c),
    liftFences: (c) => network.liftFences(c),
    scriptKill: (c) => network.scriptKill(c),
    handover: (c) => network.handover(c),
    abortHandover: (c) => network.abortHandover(c),
    persist: (c) => host.persist(c),
    wake: (c) => host.wake(c),
    exitProcess: (c) => host.exitProcess(c),
    runScript: (c) => host.runScript(c),
  };
}

/** The one executor of engine commands: every transport's command path goes through here. */
export function executeCommand(transport: Transport, c: EngineCommand): void {
  switch (c.kind) {
    case "connect":
      return transport.connect(c);
    case "disconnect":
      return transport.disconnect(c);
    case "ping":
      return transport.ping(c);
    case "info":
      return transport.info(c);
    case "publish-hello":
      return transport.publishHello(c);
    case "ask-master-down":
      return transport.askMasterDown(c);
    case "reconfigure":
      return transport.reconfigure(c);
    case "fence-writes":
      return transport.fenceWrites(c);
    case "fence-stale-master":
      return transport.fenceStaleMaster(c);
    case "unfence-stale-master":
      return transport.unfenceStaleMaster(c);
    case "lift-fences":
      return transport.liftFences(c);
    case "script-kill":
      return transport.scriptKill(c);
    case "handover":
      return transport.handover(c);
    case "abort-handover":
      return transport.abortHandover(c);
    case "persist":
      return transport.persist(c);
    case "wake":
      return transport.wake(c);
    case "crash":
      return transport.exitProcess(c);
    case "run-script":
      return transport.runScript(c);
    default:
      return unhandledCommand(c);
  }
}

/**
 * Carry out an output's commands in order. `proceed` is asked before each command and stops the
 * walk when it says no (a transport whose process crashed half-way through an output).
 */
export function executeCommands(transport: Transport, output: EngineOutput, proceed?: () => boolean): void {
  const commands = output.commands;
  for (let i = 0; i < commands.length; i++) {
    if (proceed !== undefined && !proceed()) return;
    executeCommand(transport, commands[i]!);
  }
}

/** Compile-time exhaustiveness: `c` is `never` once every kind has a case. */
function unhandledCommand(c: never): never {
  throw new Error(`unhandled engine command ${JSON.stringify(c)}`);
}
