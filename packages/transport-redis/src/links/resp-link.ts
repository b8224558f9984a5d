import { createConnection, type Socket, type TcpNetConnectOpts } from "node:net";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";
import type { LinkFailure } from "@vigil/core";
import { PlainError, type PlainReply, ReplyReader } from "../resp/reply-reader.js";

/** Where and how to connect one link. */
export interface RespLinkOptions {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  /** `tls-replication yes`: speak TLS with these options (certificates, CA, SNI ...). */
  readonly tls?: ConnectionOptions;
  /** `bind-source-addr`: the local address the connection leaves from. */
  readonly localAddress?: string;
}

/** Completion of one command: the reply, or the error text (an error reply or a lost connection). */
export type ReplyCallback = (reply: PlainReply | undefined, error?: string) => void;

const CLOSED = "Connection is closed.";

/**
 * The one buffer every plain-TCP link reads into (`onread`): Node hands the bytes of each read to
 * the link's callback at once, without its stream machinery (a chunk Buffer, `push`, a `data`
 * event and a `nextTick` per read). One buffer serves all links: a read's callback runs to its end
 * before the next read, and the reader copies out what it keeps (ReplyReader.detachFrom).
 */
const READ_BUFFER = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * How a socket error reads for crash detection: only what the peer's kernel said actively is
 * `refused` / `reset`; a timeout is silence; anything else (EHOSTUNREACH, TLS errors ...) is `other`.
 */
export function linkFailureOf(code: string | undefined): LinkFailure {
  switch (code) {
    case "ECONNREFUSED":
      return "refused";
    case "ECONNRESET":
    case "EPIPE":
      return "reset";
    case "ETIMEDOUT":
      return "timeout";
    default:
      return "other";
  }
}

/**
 * One RESP2 connection of the sentinel to a Redis instance or a peer sentinel: commands in, replies
 * out in order, pub/sub messages to {@link onMessage}. Deliberately small — the links send a handful
 * of commands with trivial replies, thousands of times a second at a few hundred masters, and a
 * general client's per-command promise, command object and option handling cost more than the
 * round trip itself (bench/ping-cost). No reconnection, no offline queue: the engine decides when
 * to reconnect (§2), and a command on a link that is not up is dropped by the caller.
 */
export class RespLink {
  /** A `message` push on a subscribed connection. */
  onMessage: ((channel: string, payload: string) => void) | undefined;
  private readonly socket: Socket;
  private readonly reader = new ReplyReader();
  private readonly pending: (ReplyCallback | undefined)[] = [];
  private head = 0;
  /** Nesting depth of {@link cork}, and the commands held meanwhile. */
  private corks = 0;
  private held = "";
  private subscribed = false;
  private closed = false;
  private connected = false;
  private timer: NodeJS.Timeout | undefined;

  /**
   * Start connecting. `onReady` runs once the connection is usable; `onClose` exactly once when it
   * ends for any reason (including a failed connect, and {@link close}), before the callbacks of the
   * commands still waiting fail with "Connection is closed.".
   */
  constructor(
    options: RespLinkOptions,
    private readonly onReady: () => void,
    private readonly onClose: (reason: string, failure: LinkFailure) => void,
  ) {
    const tcp: TcpNetConnectOpts = { host: options.host, port: options.port, noDelay: true };
    if (options.localAddress !== undefined) tcp.localAddress = options.localAddress;
    // TLS decrypts through its own stream: its links read `data` events.
    this.socket = options.tls
      ? tlsConnect({ ...tcp, ...options.tls })
      : createConnection({ ...tcp, onread: { buffer: READ_BUFFER, callback: (n: number) => this.onRead(n) } });
    this.socket.setNoDelay(true); // a PING must not wait for Nagle (the option alone does not reach TLS)
    this.timer = setTimeout(() => this.end("connect ETIMEDOUT", "timeout"), options.connectTimeoutMs);
    this.socket.once(options.tls ? "secureConnect" : "connect", () => {
      clearTimeout(this.timer);
      this.connected = true;
      if (!this.closed) this.onReady();
    });
    if (options.tls) this.socket.on("data", (chunk: Buffer) => this.onData(chunk));
    this.socket.on("error", (e: NodeJS.ErrnoException) => this.end(e.message, linkFailureOf(e.code)));
    // An orderly close by the peer of an open connection (EOF); before that it proves nothing.
    this.socket.on("close", () => this.end(CLOSED, this.connected ? "closed" : "other"));
  }

  /** The local address of the connection (what a peer sees; announced in hellos). */
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }

  /** Send one command; `done` gets its reply, or "Connection is closed." when the link is not up. */
  send(args: readonly string[], done?: ReplyCallback): void {
    this.sendEncoded(encodeCommand(args), done);
  }

  /** {@link send} of a command already encoded by {@link encodeCommand} (one sent over and over). */
  sendEncoded(encoded: string, done?: ReplyCallback): void {
    if (this.closed || !this.connected) {
      done?.(undefined, CLOSED);
      return;
    }
    this.pending.push(done);
    if (this.corks > 0) this.held += encoded;
    else this.socket.write(encoded);
  }

  /**
   * Send a (possibly renamed) SUBSCRIBE: from now on `message` pushes go to {@link onMessage}. The
   * subscription confirmation is the command's reply.
   */
  subscribe(args: readonly string[], done?: ReplyCallback): void {
    this.subscribed = true;
    this.send(args, done);
  }

  /**
   * Hold writes until {@link uncork}: a batch of commands leaves in one write. Held here as one
   * string rather than with the socket's cork: a corked socket buffers one request object per write
   * and sends them with writev, where one joined string is a single plain write.
   */
  cork(): void {
    this.corks++;
  }

  /** Write what {@link cork} held (once every cork is undone). */
  uncork(): void {
    if (this.corks === 0 || --this.corks > 0 || this.held === "") return;
    const out = this.held;
    this.held = "";
    if (!this.closed) this.socket.write(out);
  }

  /** Close now. `onClose` runs (once, with `reason`) and pending commands fail. */
  close(reason = CLOSED): void {
    this.end(reason, "other");
  }

  /** `onread`'s callback: true keeps the socket reading. */
  private onRead(nread: number): boolean {
    try {
      this.onData(READ_BUFFER.subarray(0, nread));
    } finally {
      // Even when a reply's callback threw: the next read overwrites the buffer.
      this.reader.detachFrom(READ_BUFFER);
    }
    return true;
  }

  private onData(chunk: Buffer): void {
    this.reader.feed(chunk);
    for (;;) {
      let reply: PlainReply | undefined;
      try {
        reply = this.reader.next();
      } catch (e) {
        this.end(`Protocol error: ${(e as Error).message}`, "other");
        return;
      }
      if (reply === undefined) return;
      if (this.subscribed && Array.isArray(reply) && reply.length === 3 && reply[0] === "message") {
        this.onMessage?.(String(reply[1]), String(reply[2]));
        continue;
      }
      const done = this.head < this.pending.length ? this.pending[this.head] : undefined;
      if (this.head >= this.pending.length) {
        this.end("Protocol error: a reply nobody asked for", "other");
        return;
      }
      this.pending[this.head++] = undefined;
      if (this.head === this.pending.length) {
        this.pending.length = 0;
        this.head = 0;
      }
      if (reply instanceof PlainError) done?.(undefined, reply.message);
      else done?.(reply);
      if (this.closed) return;
    }
  }

  private end(reason: string, failure: LinkFailure): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.socket.destroy();
    this.onClose(reason, failure);
    const waiting = this.pending.slice(this.head);
    this.pending.length = 0;
    this.head = 0;
    for (const done of waiting) done?.(undefined, CLOSED);
  }
}

/** Encoded one-word commands (PING, INFO, EXEC, renamed ones): sent over and over, built once. */
const ONE_WORD = new Map<string, string>();

/** `*N\r\n$len\r\narg\r\n...` as one string (Node writes it without an intermediate Buffer). */
export function encodeCommand(args: readonly string[]): string {
  if (args.length === 1) {
    const word = args[0]!;
    let encoded = ONE_WORD.get(word);
    if (encoded === undefined) {
      encoded = `*1\r\n$${Buffer.byteLength(word)}\r\n${word}\r\n`;
      // Bounded: the words come from the code and the operator's renames, not from peers.
      if (ONE_WORD.size < 64) ONE_WORD.set(word, encoded);
    }
    return encoded;
  }
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}
