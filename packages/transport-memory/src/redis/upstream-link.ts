import type { Address } from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import type { Connection } from "../network/connection.js";
import type { Network } from "../network/network.js";
import type { Request, Response, WireMessage } from "./protocol.js";

/** The replication link's state, as INFO's `master_link_status` and `master_sync_in_progress` derive it. */
export type UpstreamState = "none" | "connecting" | "sync" | "connected";

/** What the link needs from the server that owns it. */
export interface UpstreamOwner {
  /** Run now, or after SIGCONT; never for a previous incarnation of the process. */
  whenRunning(fn: () => void): void;
  /** Bumped by every crash and restart; callbacks of an older incarnation are ignored. */
  incarnation(): number;
  /** The PSYNC to send once connected (with FAILOVER during a hand-over). */
  psync(): Request;
  /** A message from our master. */
  received(m: Response): void;
}

/**
 * The replica side of replication: one connection to our master, its state, when a byte last came
 * from it and when it went down (for INFO and `repl-timeout`).
 */
export class UpstreamLink {
  state: UpstreamState = "none";
  /** Virtual ms of the last byte from our master. */
  lastIo = 0;
  /** When the link went down (0 = never up since boot). */
  downSince = 0;
  private conn: Connection<WireMessage> | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly net: Network,
    private readonly host: string,
    private readonly requirePass: string | undefined,
    private readonly owner: UpstreamOwner,
  ) {}

  /** A connection exists (connecting or up). */
  get open(): boolean {
    return this.conn !== null;
  }

  /** Connect to `target`, authenticate, PSYNC. */
  connect(target: Address): void {
    const inc = this.owner.incarnation();
    const current = (conn: Connection<WireMessage>) => inc === this.owner.incarnation() && this.conn === conn;
    this.state = "connecting";
    const conn: Connection<WireMessage> = this.net.connect<WireMessage>(this.host, target, {
      onOpen: () =>
        this.owner.whenRunning(() => {
          if (!current(conn)) return;
          this.state = "sync";
          this.lastIo = this.scheduler.now;
          if (this.requirePass !== undefined) conn.sendToServer({ t: "auth", pass: this.requirePass });
          conn.sendToServer(this.owner.psync());
        }),
      onFail: () =>
        this.owner.whenRunning(() => {
          if (!current(conn)) return;
          this.conn = null;
          this.state = "none";
        }),
      onMessage: (m) =>
        this.owner.whenRunning(() => {
          if (!current(conn)) return;
          this.lastIo = this.scheduler.now;
          this.owner.received(m as Response);
        }),
      onClose: () =>
        this.owner.whenRunning(() => {
          if (!current(conn)) return;
          this.conn = null;
          this.lost();
        }),
    });
    this.conn = conn;
  }

  /** Send to our master, when connected. */
  send(m: Request): void {
    this.conn?.sendToServer(m);
  }

  /** Silent past `timeoutMs` while syncing or connected (Redis's "MASTER timeout"). */
  silentFor(now: number, timeoutMs: number): boolean {
    return (this.state === "sync" || this.state === "connected") && now - this.lastIo > timeoutMs;
  }

  /** Close the link; `markDown` records when it went down (for INFO). */
  drop(markDown: boolean): void {
    const up = this.conn;
    this.conn = null;
    if (up) up.closeByClient();
    if (markDown || this.state === "connected") this.lost();
    this.state = "none";
  }

  /** A fresh process: no link, never up. */
  reset(): void {
    this.state = "none";
    this.downSince = 0;
    this.lastIo = 0;
  }

  private lost(): void {
    if (this.state === "connected") this.downSince = this.scheduler.now;
    this.state = "none";
  }
}
