import type { Socket } from "node:net";
import { encodeReplyInto, type Protocol, ReplySink } from "../resp/encoder.js";
import { createRequestParser, type RequestParser } from "../resp/parser.js";
import type { Reply } from "../resp/reply.js";
import type { AclUser } from "./acl-user.js";
import { binaryToUtf8 } from "./byte-string.js";
import { dispatch } from "./dispatch.js";
import type { QueuedWriter } from "./flush-queue.js";
import { formatAddress } from "./format-address.js";
import type { Subscriber } from "./pubsub.js";
import { MAX_MEMO_REPLY_BYTES, type ReplayKind, RequestMemo } from "./request-memo.js";
import type { ServerCore } from "./server-core.js";
import { TRACKING_OFF, type TrackingState } from "./tracking-state.js";
import type { ClientInfo } from "./types.js";

/** Replies batched while a pipeline runs are written out once they reach this size. */
const FLUSH_THRESHOLD = 64 * 1024;

/** A socket half-closed after a final reply gets this long to drain before it is destroyed. */
const LINGER_MS = 5000;

/**
 * One client connection: its Redis client state (name, protocol, user, subscriptions, reply
 * mode...) and its I/O loop. Commands are executed one at a time in arrival order; when one is
 * asynchronous (a delegated handler) or paused (CLIENT PAUSE), reading stops until it is done, so
 * replies come out in request order and memory stays bounded even if the client keeps sending.
 */
export class Connection implements Subscriber, QueuedWriter {
  readonly addr: string;
  readonly laddr: string;
  readonly createdAt = Date.now();
  lastInteractionAt = this.createdAt;
  name = "";
  libName = "";
  libVer = "";
  /** Bytes read and written, and commands run, on this connection (Valkey's `tot-net-in|out`, `tot-cmds`). */
  totNetIn = 0;
  totNetOut = 0;
  totCmds = 0;
  protocol: Protocol = 2;
  user: AclUser;
  authenticated: boolean;
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  /** Full name of the last looked-up command, `NULL` if none / unknown. */
  lastCommand = "NULL";
  /** CLIENT REPLY OFF. */
  replyOff = false;
  /** CLIENT REPLY SKIP was the last command: suppress the next command's replies. */
  skipNext = false;
  private skipCurrent = false;
  noEvict = false;
  /** CLIENT CACHING was given; like Redis, it survives CLIENT subcommands and clears after any other. */
  cachingFlag = false;
  tracking: TrackingState = TRACKING_OFF;
  /** Bytes of the arguments of the command being executed (`argv-mem`). */
  argvBytes = 0;
  /** True once the socket is gone or being torn down. */
  closed = false;
  /** The current command asked for the connection to close once its replies are written. */
  closeAfterReply = false;
  /** Set by dispatch: the command that just ran is replayable (server/request-memo.ts). */
  ranReplayable: ReplayKind | undefined;
  /** Set by dispatch before a replayable `clock` command runs: the millisecond it started in. */
  replayClock = Number.NaN;

  private readonly parser: RequestParser;
  /** Replies not yet handed to the socket (see {@link Connection.write}). */
  private readonly out = new ReplySink();
  private processing = false;
  /** In the server's flush queue: replies of this turn are written at its end. */
  private queued = false;
  private waiting = false;
  private deferred: Buffer[] | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;
  private softLimitSince = 0;
  /** The last replayable request and its reply, while they hold. */
  private memo: RequestMemo | undefined;
  /** Writes handed to the socket so far: a reply recorded across one would be incomplete. */
  private flushes = 0;
  private userNameFor: string | undefined;
  private userNameUtf8 = "";

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    readonly core: ServerCore,
    private readonly onGone: (c: Connection) => void,
  ) {
    this.addr = formatAddress(socket.remoteAddress, socket.remotePort);
    this.laddr = formatAddress(socket.localAddress, socket.localPort);
    this.user = core.acl.defaultUser;
    this.authenticated = !core.acl.requiresAuth();
    this.parser = createRequestParser({ maxBulkLength: core.settings.maxBulkLength });
    socket.setNoDelay(true);
    if (core.settings.tcpKeepAliveSeconds > 0) socket.setKeepAlive(true, core.settings.tcpKeepAliveSeconds * 1000);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.enforceOutputLimit());
    // Resets and the like are normal for a server; the 'close' that follows does the cleanup.
    socket.on("error", () => undefined);
    socket.on("close", () => this.cleanup());
  }

  /** Redis's `authRequired(c)`. */
  authRequired(): boolean {
    return !this.authenticated && this.core.acl.requiresAuth();
  }

  /** In Pub/Sub mode (CLIENT LIST flag `P`, CLIENT KILL TYPE pubsub). */
  isPubSub(): boolean {
    return this.channels.size + this.patterns.size > 0;
  }

  /** Bytes received but not yet executed (`qbuf`). */
  queryBufferBytes(): number {
    return this.parser.pendingBytes;
  }

  /** Bytes written but not yet accepted by the kernel (`omem`). */
  outputBufferBytes(): number {
    return this.socket.writableLength + this.out.byteLength();
  }

  /** A command reply; suppressed by CLIENT REPLY OFF/SKIP like Redis's normal replies. */
  reply(r: Reply): void {
    if (r.kind === "error") this.core.counters.errorReplies++;
    if (this.replyOff || this.skipCurrent) return;
    this.write(r);
  }

  /** Pub/Sub confirmations and messages: delivered even under CLIENT REPLY OFF, as in Redis. */
  deliver(r: Reply): void {
    this.write(r);
  }

  /** Resets per-command reply flags (Redis's `resetClient`), after every command, rejected or not. */
  afterCommand(): void {
    this.argvBytes = 0;
    if (this.lastCommand !== "client" && !this.lastCommand.startsWith("client|")) this.cachingFlag = false;
    this.skipCurrent = this.skipNext;
    this.skipNext = false;
  }

  /** A snapshot for embedders. */
  info(): ClientInfo {
    return {
      id: this.id,
      name: this.name,
      addr: this.addr,
      laddr: this.laddr,
      protocol: this.protocol,
      user: this.userName(),
      authenticated: this.authenticated,
      libName: this.libName,
      libVer: this.libVer,
      channels: this.channels.size,
      patterns: this.patterns.size,
      createdAt: this.createdAt,
      lastInteractionAt: this.lastInteractionAt,
      lastCommand: this.lastCommand,
    };
  }

  /** The user's name as UTF-8, converted once per user rather than once per delegated command. */
  private userName(): string {
    if (this.userNameFor !== this.user.name) {
      this.userNameFor = this.user.name;
      this.userNameUtf8 = binaryToUtf8(this.user.name);
    }
    return this.userNameUtf8;
  }

  /** Closes now, dropping unsent output (CLIENT KILL of another client, limits, shutdown). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.take();
    this.socket.destroy();
    this.cleanup();
  }

  /** Wakes a connection parked by CLIENT PAUSE (UNPAUSE, or the pause was shortened). */
  wake(): void {
    if (this.pauseTimer === undefined) return;
    clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    this.resume();
  }

  private onData(chunk: Buffer): void {
    this.core.counters.netInputBytes += chunk.length;
    this.totNetIn += chunk.length;
    this.lastInteractionAt = Date.now();
    if (this.closed || this.closeAfterReply) return;
    this.parser.feed(chunk);
    if (this.parser.retainedBytes > this.core.settings.queryBufferLimit) {
      // Redis closes without a reply here too ("closing client that reached max query buffer length").
      this.core.report(new Error(`client ${this.addr} exceeded the query buffer limit`), "query-buffer-limit");
      this.destroy();
      return;
    }
    this.run();
  }

  private run(): void {
    if (this.waiting || this.closed) return;
    this.processing = true;
    try {
      while (!this.closed && !this.closeAfterReply) {
        let argv = this.deferred;
        this.deferred = undefined;
        const parsed = argv === undefined;
        if (!argv) {
          if (this.replayed()) continue;
          const next = this.parser.next(this.authRequired());
          if (next.kind === "incomplete") break;
          if (next.kind === "error") {
            this.reply(next.reply);
            this.closeAfterReply = true;
            break;
          }
          argv = next.args;
        }
        const quiet = this.replyOff || this.skipCurrent;
        const mark = this.out.byteLength();
        const flushes = this.flushes;
        this.ranReplayable = undefined;
        const outcome = dispatch(this, argv);
        if (outcome === undefined) {
          if (this.ranReplayable !== undefined && parsed && !quiet && flushes === this.flushes) this.record(mark);
          continue;
        }
        if (outcome === "paused") {
          this.deferred = argv;
          this.parkUntilUnpaused();
        } else {
          this.waitFor(outcome);
        }
        break;
      }
    } catch (e) {
      // A bug in a command implementation must cost one connection, never the process.
      this.core.report(e, "connection");
      this.destroy();
    } finally {
      this.processing = false;
    }
    if (this.closeAfterReply && !this.waiting && !this.closed) {
      this.flush();
      this.endAfterFlush();
    } else if (!this.queued && !this.out.empty) {
      this.queued = true;
      this.core.flushQueue.add(this);
    }
  }

  flushQueued(): void {
    this.queued = false;
    this.flush();
  }

  /**
   * Answers the next request from a memo (the connection's own, else the server's shared one) if
   * it is the recorded request's bytes again and the memo still holds; does what dispatch does
   * for a command that ran, without running it.
   */
  private replayed(): boolean {
    const core = this.core;
    const own = this.memo;
    if (own !== undefined && !own.holds(core)) this.memo = undefined;
    else if (own !== undefined && this.replay(own)) return true;
    const shared = core.sharedMemo;
    return shared !== undefined && shared.protocol === this.protocol && this.plain() && shared.holds(core) && this.replay(shared);
  }

  /** Replies on, authenticated, every command allowed, no Pub/Sub: replies as any other such connection. */
  private plain(): boolean {
    return !this.replyOff && !this.skipCurrent && !this.authRequired() && this.user.allCommands && !this.isPubSub();
  }

  private replay(memo: RequestMemo): boolean {
    const core = this.core;
    if (this.replyOff || this.skipCurrent || !this.parser.skipFrame(memo.request)) return false;
    this.lastCommand = memo.fullName;
    core.counters.commandsProcessed++;
    this.totCmds++;
    this.out.frame(memo.reply);
    this.wrote();
    this.afterCommand();
    return true;
  }

  /** Records the replayable command that just ran: the latest request is the likeliest next one. */
  private record(mark: number): void {
    if (this.closed || this.out.byteLength() - mark > MAX_MEMO_REPLY_BYTES) {
      this.memo = undefined;
      return;
    }
    const memo = RequestMemo.record(this.core, this.ranReplayable!, this.replayClock, this.parser.lastFrame(), this.out.copyFrom(mark), this.lastCommand, this.protocol);
    this.memo = memo;
    if (memo !== undefined && this.plain()) this.core.sharedMemo = memo;
  }

  private waitFor(work: Promise<void>): void {
    this.waiting = true;
    this.socket.pause();
    work
      .catch((e: unknown) => this.core.report(e, "command"))
      .finally(() => {
        this.waiting = false;
        this.resume();
      });
  }

  private parkUntilUnpaused(): void {
    this.waiting = true;
    this.socket.pause();
    const until = this.core.pause()?.until ?? Date.now();
    this.pauseTimer = setTimeout(
      () => {
        this.pauseTimer = undefined;
        this.resume();
      },
      Math.max(0, until - Date.now()),
    );
  }

  private resume(): void {
    this.waiting = false;
    if (this.closed) return;
    this.socket.resume();
    this.run();
  }

  private write(r: Reply): void {
    if (this.closed) return;
    encodeReplyInto(this.out, r, this.protocol);
    this.wrote();
  }

  private wrote(): void {
    // Replies produced while a batch of pipelined commands runs go out in one write at the end (or
    // every 64 KiB, so a huge pipeline neither piles up in memory nor dodges the output limit);
    // anything produced outside (Pub/Sub, async completions) goes out at once.
    if (!this.processing || this.out.byteLength() >= FLUSH_THRESHOLD) this.flush();
  }

  private flush(): void {
    if (this.closed || this.out.empty) return;
    const data = this.out.take();
    this.flushes++;
    this.core.counters.netOutputBytes += data.length;
    this.totNetOut += data.length;
    this.socket.write(data);
    this.enforceOutputLimit();
  }

  /** `client-output-buffer-limit`: hard limit at once, soft limit after it persisted. */
  private enforceOutputLimit(): void {
    if (this.closed) return;
    const limit = this.isPubSub() ? this.core.settings.pubsubLimit : this.core.settings.normalLimit;
    const used = this.outputBufferBytes();
    if (limit.hardBytes > 0 && used >= limit.hardBytes) {
      this.core.report(new Error(`client ${this.addr} closed for overcoming of output buffer limits`), "output-buffer-limit");
      this.destroy();
      return;
    }
    if (limit.softBytes > 0 && used >= limit.softBytes) {
      const now = Date.now();
      if (this.softLimitSince === 0) this.softLimitSince = now;
      else if (now - this.softLimitSince > limit.softSeconds * 1000) {
        this.core.report(new Error(`client ${this.addr} closed for overcoming of output buffer limits`), "output-buffer-limit");
        this.destroy();
      }
    } else {
      this.softLimitSince = 0;
    }
  }

  private endAfterFlush(): void {
    this.closed = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
    this.cleanup();
  }

  private cleanup(): void {
    if (this.pauseTimer !== undefined) {
      clearTimeout(this.pauseTimer);
      this.pauseTimer = undefined;
    }
    this.closed = true;
    this.onGone(this);
  }
}
