import { type Address, addressKey } from "@vigil/core";
import type { Scheduler, TimerHandle } from "../clock/scheduler.js";
import type { Connection } from "../network/connection.js";
import type { Network } from "../network/network.js";
import type { Request, Response, WireMessage } from "../redis/protocol.js";

/** A reply, or why there is none: `timeout` and `closed` leave the outcome of a write unknown. */
export type ClientResult = { readonly ok: true; readonly reply: Response } | { readonly ok: false; readonly error: string };

/** Options of {@link SimClient}. */
export interface SimClientOptions {
  /** A request without a reply after this long fails with `timeout` and its connection is dropped. Default 1000. */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly cb: (r: ClientResult) => void;
  readonly timer: TimerHandle;
}

interface ClientConn {
  readonly conn: Connection<WireMessage>;
  /** Requests queued before the handshake completed. */
  readonly queued: Request[];
  /** Callbacks of requests sent, in order: replies come back in order. */
  readonly pending: Pending[];
  open: boolean;
}

/**
 * An application client on a simulated host: one connection per server address, opened on demand,
 * requests pipelined in order with a per-request timeout, like a typical Redis client library.
 * Everything is callback-based on the virtual clock; {@link SimClient.call} wraps a request in a
 * Promise for embedders' tests.
 */
export class SimClient {
  private readonly conns = new Map<string, ClientConn>();
  private readonly timeoutMs: number;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly net: Network,
    /** The host the client runs on (partitions act on it). */
    readonly host: string,
    options: SimClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  /** Send `req` to `addr`; `cb` gets the reply or the failure. */
  request(addr: Address, req: Request, cb: (r: ClientResult) => void): void {
    const c = this.connection(addr);
    const timer = this.scheduler.after(this.timeoutMs, () => this.drop(addr, c, "timeout"));
    c.pending.push({ cb, timer });
    if (c.open) c.conn.sendToServer(req);
    else c.queued.push(req);
  }

  /** {@link request} as a Promise (resolved while the simulation runs). */
  call(addr: Address, req: Request): Promise<ClientResult> {
    return new Promise((resolve) => this.request(addr, req, resolve));
  }

  /** Ask a sentinel which address is the master of `name`. */
  getMasterAddrByName(sentinel: Address, name: string, cb: (addr: Address | null, error?: string) => void): void {
    this.request(sentinel, { t: "get-master-addr-by-name", name }, (r) => {
      if (!r.ok) return cb(null, r.error);
      cb(r.reply.t === "master-addr" ? r.reply.addr : null, r.reply.t === "master-addr" ? undefined : "unexpected reply");
    });
  }

  /** `RPUSH key id` on `addr`; `cb` gets `ok` or the error text (`READONLY ...`, `timeout`, ...). */
  write(addr: Address, key: string, id: number, cb: (outcome: string) => void): void {
    this.request(addr, { t: "write", key, id }, (r) => {
      if (!r.ok) return cb(r.error);
      cb(r.reply.t === "status" && r.reply.ok ? "ok" : r.reply.t === "status" ? r.reply.text : "unexpected reply");
    });
  }

  /** Close every connection; pending requests fail with `closed`. */
  closeAll(): void {
    for (const [key, c] of [...this.conns]) {
      this.conns.delete(key);
      c.conn.closeByClient();
      this.failAll(c, "closed");
    }
  }

  private connection(addr: Address): ClientConn {
    const key = addressKey(addr);
    const existing = this.conns.get(key);
    if (existing) return existing;
    const c: ClientConn = {
      conn: this.net.connect<WireMessage>(this.host, addr, {
        onOpen: () => {
          if (this.conns.get(key) !== c) return;
          c.open = true;
          for (const q of c.queued.splice(0)) c.conn.sendToServer(q);
        },
        onFail: (reason) => this.drop(addr, c, reason),
        onClose: () => this.drop(addr, c, "closed"),
        onMessage: (m) => {
          if (this.conns.get(key) !== c) return;
          const p = c.pending.shift();
          if (!p) return;
          p.timer.cancel();
          p.cb({ ok: true, reply: m as Response });
        },
      }),
      queued: [],
      pending: [],
      open: false,
    };
    this.conns.set(key, c);
    return c;
  }

  private drop(addr: Address, c: ClientConn, error: string): void {
    const key = addressKey(addr);
    if (this.conns.get(key) !== c) return;
    this.conns.delete(key);
    c.conn.closeByClient();
    this.failAll(c, error);
  }

  private failAll(c: ClientConn, error: string): void {
    for (const p of c.pending.splice(0)) {
      p.timer.cancel();
      p.cb({ ok: false, error });
    }
  }
}
