import { type Address, addressKey, type CommandOf, type EngineInput, type LinkAuth, type LinkFailure, type LinkKind, type MinReplicasConfig, type NetworkTransport, operatorValuesOf } from "@vigil/core";
import type { PlainReply } from "../resp/reply-reader.js";
import { type AsideConnection, openAsideConnection } from "./aside-connection.js";
import { commandRenamer, renamedArgs } from "./command-renamer.js";
import { handoverIoOver, runHandover } from "./handover.js";
import type { LinkPoolOptions } from "./link-pool-options.js";
import { type PeriodicCommands, periodicCommandsOf } from "./periodic-commands.js";
import { reconfigureCommands } from "./reconfigure-commands.js";
import { encodeCommand, RespLink } from "./resp-link.js";
import { WriteFences } from "./write-fences.js";

export type { LinkPoolOptions } from "./link-pool-options.js";

/** The hello channel every sentinel publishes and listens on (§7). */
export const HELLO_CHANNEL = "__sentinel__:hello";

interface OpenLink {
  readonly client: RespLink;
  readonly renames: Readonly<Record<string, string>>;
  /** The instance's name for a command (links/command-renamer.ts). */
  readonly rename: (cmd: string) => string;
  readonly auth: LinkAuth | undefined;
  /** Set when we closed it ourselves: the engine already knows, no `link-down`. */
  closing: boolean;
  /** A cmd link's PING / INFO / hello commands and reply handlers, built at its first one. */
  periodic: PeriodicCommands | undefined;
}

/**
 * Carries out the engine's network commands (its half of the daemon's `Transport`) over {@link RespLink}s: one command connection and one
 * pub/sub connection per Redis instance, one command connection per peer sentinel. A link never
 * reconnects on its own (the engine decides when, §2) and never queues offline, so a reply always
 * belongs to the connection the engine thinks is up.
 */
export class LinkPool implements NetworkTransport {
  private readonly links = new Map<string, OpenLink>();
  /** Inside {@link batch} … {@link flush}: connections written to are corked until the flush. */
  private batching = false;
  private readonly corked = new Set<RespLink>();
  /** `cmd/<ip:port>` per engine address object (the engine reuses one per link). */
  private readonly cmdKeys = new WeakMap<Address, string>();

  /** Write fences and their lifting, over this pool's cmd links. */
  private readonly fences: WriteFences;

  constructor(private readonly options: LinkPoolOptions) {
    this.fences = new WriteFences((addr, args, done) => this.send(addr, args, done), options);
  }

  /** `connect`: open a link, then report `link-up` (handshake answered) or `link-down`. */
  connect(c: CommandOf<"connect">): void {
    this.open(c);
  }

  /** `disconnect`: close a link without a `link-down`. */
  disconnect(c: CommandOf<"disconnect">): void {
    this.close(c.addr, c.link);
  }

  /** `ping` on the cmd link; reports `ping-reply`. */
  ping(c: CommandOf<"ping">): void {
    const l = this.periodicLink(c.addr);
    if (l) l.client.send(l.periodic.ping, l.periodic.onPing);
  }

  /** `info` on the cmd link; reports `info-reply`. */
  info(c: CommandOf<"info">): void {
    const l = this.periodicLink(c.addr);
    if (l) l.client.send(l.periodic.info, l.periodic.onInfo);
  }

  /** `PUBLISH __sentinel__:hello`; reports `publish-reply`. */
  publishHello(c: CommandOf<"publish-hello">): void {
    const l = this.periodicLink(c.addr);
    if (!l) return;
    const p = l.periodic;
    if (p.helloPayload !== c.payload || p.helloEncoded === "") {
      p.helloPayload = c.payload;
      p.helloEncoded = encodeCommand([p.publish, HELLO_CHANNEL, c.payload]);
    }
    l.client.sendEncoded(p.helloEncoded, p.onPublish);
  }

  /** The cmd link to `addr` (corked when batching) with its {@link PeriodicCommands}, built at its first use. */
  private periodicLink(addr: Address): (OpenLink & { periodic: PeriodicCommands }) | undefined {
    const key = this.cmdKey(addr);
    const l = this.links.get(key);
    if (!l) return undefined; // link gone: the engine already got (or will get) link-down
    // (`??=` builds the closures only when the link has none yet.)
    l.periodic ??= periodicCommandsOf(addr, l.rename, () => this.links.get(key) === l, (input) => this.deliver(input), () => this.now());
    this.cork(l.client);
    return l as OpenLink & { periodic: PeriodicCommands };
  }

  /** `SENTINEL is-master-down-by-addr` to a peer; reports `ask-reply`. */
  askMasterDown(c: CommandOf<"ask-master-down">): void {
    this.send(c.addr, ["SENTINEL", "is-master-down-by-addr", ...c.args], (reply, err) =>
      this.deliver({ kind: "ask-reply", now: this.now(), addr: c.addr, master: c.master, reply: err === undefined ? reply : null }),
    );
  }

  /** `SCRIPT KILL`, reply ignored. */
  scriptKill(c: CommandOf<"script-kill">): void {
    this.send(c.addr, ["SCRIPT", "KILL"], () => {});
  }

  /** The reconfiguration transaction (§21.2), lifting a stale-master fence inside it. */
  reconfigure(c: CommandOf<"reconfigure">): void {
    this.reconfigureTo(c.addr, c.target);
  }

  /** Write fencing on. */
  fenceWrites(c: CommandOf<"fence-writes">): void {
    this.fences.fence(c.addr, c.minReplicas, c.maxLagS);
  }

  /** Vigil's watch over an address ended: lift its fences (write-fences.ts). */
  liftFences(c: CommandOf<"lift-fences">): void {
    this.fences.lift(c);
  }

  /** Stale-master fence on. */
  fenceStaleMaster(c: CommandOf<"fence-stale-master">): void {
    this.fences.fenceStale(c.addr, c.disconnectClients === true);
  }

  /**
   * Switchover: pause the master's writes, wait until the target has every byte, `FAILOVER TO … FORCE`
   * (handover.ts), on connections of their own; reports `handover-reply`.
   */
  handover(c: CommandOf<"handover">): void {
    const report = (error: string | null) => this.deliver({ kind: "handover-reply", now: this.now(), addr: c.addr, error });
    const master = this.openAside(c.addr);
    const target = this.openAside(c.target);
    if (!master || !target) {
      master?.client.close();
      target?.client.close();
      report("ERR no connection to the master or the replica");
      return;
    }
    const io = handoverIoOver(master, target);
    runHandover(io, c.target, c.timeoutMs, this.options.now).then((error) => {
      io.close();
      report(error);
    });
  }

  /** `FAILOVER ABORT` on a connection of its own (see {@link sendAside}). */
  abortHandover(c: CommandOf<"abort-handover">): void {
    this.sendAside(c.addr, ["FAILOVER", "ABORT"]);
  }

  /** Stale-master fence lifted (when present). */
  unfenceStaleMaster(c: CommandOf<"unfence-stale-master">): void {
    this.fences.unfenceStale(c.addr);
  }

  /**
   * Start a batch (one engine output): every command sent on a connection until {@link flush} leaves
   * in a single write, as hiredis's output buffer does for Sentinel — a tick's hellos to one peer
   * sentinel, or a PING and a hello to one instance, cost one syscall instead of one each.
   */
  batch(): void {
    this.batching = true;
  }

  /** End the batch: write out what each corked connection holds. */
  flush(): void {
    this.batching = false;
    if (this.corked.size === 0) return;
    for (const client of this.corked) client.uncork();
    this.corked.clear();
  }

  /** Close everything (shutdown). */
  closeAll(): void {
    for (const [key, l] of this.links) {
      l.closing = true;
      this.links.delete(key);
      l.client.close();
    }
  }

  /** Number of open connections (metrics). */
  size(): number {
    return this.links.size;
  }

  /** Hand an input to the engine. Built in place with `now` (no spread copy: one object per reply). */
  private deliver(input: EngineInput): void {
    this.options.deliver(input);
  }

  private now(): number {
    return this.options.now();
  }

  private key(addr: Address, link: LinkKind): string {
    return `${link}/${addressKey(addr)}`;
  }

  private open(c: CommandOf<"connect">): void {
    const key = this.key(c.addr, c.link);
    const previous = this.links.get(key);
    if (previous) {
      previous.closing = true;
      this.links.delete(key);
      previous.client.close();
    }
    const down = (error: string, failure: LinkFailure) => {
      if (this.links.get(key) !== link) return;
      this.links.delete(key);
      if (!link.closing) this.deliver({ kind: "link-down", now: this.now(), addr: c.addr, link: c.link, error, failure });
    };
    const up = () => {
      if (this.links.get(key) !== link) return;
      this.deliver({ kind: "link-up", now: this.now(), addr: c.addr, link: c.link, localHost: client.localAddress });
    };
    // Sentinel speaks RESP2 to instances and peers and sends nothing but AUTH, CLIENT SETNAME and
    // PING on connect (§4). The handshake is pipelined; the link is up once it is answered.
    const handshake = () => {
      const name = link.rename;
      // AUTH and SETNAME replies are ignored like Sentinel's, but an AUTH error on the pub/sub link
      // makes SUBSCRIBE fail below, which drops the link (the observable `disconnected` cycling, §23).
      if (c.auth) client.send([name("AUTH"), ...(c.auth.user ? [c.auth.user, c.auth.pass] : [c.auth.pass])]);
      if (c.link !== "pubsub") {
        client.send([name("CLIENT"), "SETNAME", c.clientName], up);
        return;
      }
      client.send([name("CLIENT"), "SETNAME", c.clientName]);
      client.onMessage = (_channel, payload) => this.deliver({ kind: "hello", now: this.now(), via: c.addr, payload });
      client.subscribe([name("SUBSCRIBE"), HELLO_CHANNEL], (_reply, error) => {
        // A Redis still loading its dataset answers -LOADING. Sentinel keeps such a connection (its
        // hello callback ignores error replies); dropping it would leave the instance "disconnected",
        // unpinged and SDOWN after down-after during a long load. The idle pub/sub rule reconnects
        // (and subscribes) once the load is over and no hello arrives.
        if (error === undefined || error.startsWith("LOADING")) up();
        else client.close(error);
      });
    };
    const client = new RespLink(
      {
        host: c.addr.host,
        port: c.addr.port,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 1000,
        ...(this.options.tls ? { tls: this.options.tls } : {}),
        ...(this.options.sourceAddress ? { localAddress: this.options.sourceAddress } : {}),
      },
      handshake,
      down,
    );
    const link: OpenLink = {
      client,
      renames: c.renames,
      rename: commandRenamer(c.renames),
      auth: c.auth,
      closing: false,
      periodic: undefined,
    };
    this.links.set(key, link);
  }

  private close(addr: Address, kind: LinkKind): void {
    const key = this.key(addr, kind);
    const l = this.links.get(key);
    if (!l) return;
    l.closing = true;
    this.links.delete(key);
    l.client.close();
  }

  private cmdKey(addr: Address): string {
    let key = this.cmdKeys.get(addr);
    if (key === undefined) {
      key = this.key(addr, "cmd");
      this.cmdKeys.set(addr, key);
    }
    return key;
  }

  /** Send one command on the cmd link, applying rename-command; `err` is the error text. */
  private send(addr: Address, args: readonly string[], done: (reply: PlainReply | undefined, err?: string) => void): void {
    const key = this.cmdKey(addr);
    const l = this.links.get(key);
    if (!l) return; // link gone: the engine already got (or will get) link-down
    this.cork(l.client);
    l.client.send(renamedArgs(args, l.rename), (reply, err) => {
      if (err === undefined) done(reply);
      else if (this.links.get(key) === l) done(null, err);
    });
  }

  /**
   * Send one command on a connection of its own, then close it: our cmd link to an instance in a
   * FAILOVER hand-over may sit behind a hello `PUBLISH` that the hand-over's write pause holds, and a
   * `FAILOVER ABORT` queued behind it would never run.
   */
  private sendAside(addr: Address, args: readonly string[]): void {
    const aside = this.openAside(addr);
    if (!aside) return;
    aside.ready.then(() => aside.client.send(renamedArgs(args, aside.rename), () => aside.client.close()));
  }

  /** A connection of its own to `addr` with its cmd link's AUTH and renames (null without a cmd link). */
  private openAside(addr: Address): AsideConnection | null {
    const l = this.links.get(this.cmdKey(addr));
    if (!l) return null;
    return openAsideConnection(addr, l.auth, l.renames, {
      connectTimeoutMs: this.options.connectTimeoutMs ?? 1000,
      ...(this.options.tls ? { tls: this.options.tls } : {}),
      ...(this.options.sourceAddress ? { localAddress: this.options.sourceAddress } : {}),
    });
  }

  private cork(client: RespLink): void {
    if (!this.batching || this.corked.has(client)) return;
    client.cork();
    this.corked.add(client);
  }

  /** Resolves once every fence lift started so far is done, or after `timeoutMs` (shutdown). */
  liftsSettled(timeoutMs: number): Promise<void> {
    return this.fences.liftsSettled(timeoutMs);
  }

  /** §21.2: MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC. */
  private reconfigureTo(addr: Address, target: Address | null): void {
    const l = this.links.get(this.key(addr, "cmd"));
    if (!l) return;
    // A stale-master fence must never reach the instance's config file: lift it inside the
    // transaction, before its CONFIG REWRITE. The read rides the same connection just ahead of the
    // transaction (a promotion pays one extra loopback round trip only when a fence is found).
    this.fences.readMinReplicas(addr, (config) => {
      const operator = config && operatorValuesOf(config);
      this.sendReconfigure(l, addr, target, operator);
    });
  }

  private sendReconfigure(l: OpenLink, addr: Address, target: Address | null, operator: MinReplicasConfig | null): void {
    if (this.links.get(this.key(addr, "cmd")) !== l) return;
    const { queued, exec } = reconfigureCommands(l.rename, target, operator);
    // One write for the whole transaction, inside an engine output's batch or not (after CONFIG GET).
    const own = !this.batching;
    if (own) l.client.cork();
    else this.cork(l.client);
    for (const args of queued) l.client.send(args);
    // EXEC answers with the queued commands' replies, or -EXECABORT when one could not be queued.
    l.client.send(exec, (reply) => this.deliver({ kind: "reconfigure-reply", now: this.now(), addr, ok: Array.isArray(reply) }));
    if (own) l.client.uncork();
  }
}

