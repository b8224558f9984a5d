// A tiny raw RESP2/RESP3 client for differential tests. It keeps every reply's wire type (status vs
// bulk vs verbatim, map vs flat array, push vs array, null kinds), which ioredis would erase, and it
// is independent of the RESP code under test in packages/transport-redis.
import net from "node:net";

/** One decoded frame, tagged with its RESP type. Strings are decoded as latin1 (byte-exact). */
export type Resp =
  | { readonly t: "simple"; readonly v: string }
  | { readonly t: "error"; readonly v: string }
  | { readonly t: "int"; readonly v: string }
  | { readonly t: "bulk"; readonly v: string }
  | { readonly t: "null-bulk" }
  | { readonly t: "null-array" }
  | { readonly t: "null" }
  | { readonly t: "array"; readonly v: readonly Resp[] }
  | { readonly t: "set"; readonly v: readonly Resp[] }
  | { readonly t: "push"; readonly v: readonly Resp[] }
  | { readonly t: "map"; readonly v: readonly (readonly [Resp, Resp])[] }
  | { readonly t: "verbatim"; readonly fmt: string; readonly v: string }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "double"; readonly v: string }
  | { readonly t: "bignum"; readonly v: string };

/** Thrown inside the parser when the buffer ends mid-frame. */
const INCOMPLETE = Symbol("incomplete");

/** Parses one frame at `pos`; returns it and the position after it, or throws INCOMPLETE. */
export function parseFrame(buf: Buffer, pos: number): [Resp, number] {
  const line = (): [string, number] => {
    const end = buf.indexOf("\r\n", pos, "latin1");
    if (end < 0) throw INCOMPLETE;
    return [buf.toString("latin1", pos + 1, end), end + 2];
  };
  if (pos >= buf.length) throw INCOMPLETE;
  const type = String.fromCharCode(buf[pos]!);
  const [head, next] = line();
  const blob = (len: number): [string, number] => {
    if (next + len + 2 > buf.length) throw INCOMPLETE;
    return [buf.toString("latin1", next, next + len), next + len + 2];
  };
  const many = (n: number): [Resp[], number] => {
    const items: Resp[] = [];
    let p = next;
    for (let i = 0; i < n; i++) {
      const [item, after] = parseFrame(buf, p);
      items.push(item);
      p = after;
    }
    return [items, p];
  };
  switch (type) {
    case "+":
      return [{ t: "simple", v: head }, next];
    case "-":
      return [{ t: "error", v: head }, next];
    case ":":
      return [{ t: "int", v: head }, next];
    case "(":
      return [{ t: "bignum", v: head }, next];
    case ",":
      return [{ t: "double", v: head }, next];
    case "#":
      return [{ t: "bool", v: head === "t" }, next];
    case "_":
      return [{ t: "null" }, next];
    case "$": {
      const len = Number(head);
      if (len < 0) return [{ t: "null-bulk" }, next];
      const [v, after] = blob(len);
      return [{ t: "bulk", v }, after];
    }
    case "=": {
      const [v, after] = blob(Number(head));
      return [{ t: "verbatim", fmt: v.slice(0, 3), v: v.slice(4) }, after];
    }
    case "*":
    case "~":
    case ">": {
      const n = Number(head);
      if (n < 0) return [{ t: "null-array" }, next];
      const [items, after] = many(n);
      return [{ t: type === "*" ? "array" : type === "~" ? "set" : "push", v: items }, after];
    }
    case "%": {
      const [items, after] = many(2 * Number(head));
      const pairs: [Resp, Resp][] = [];
      for (let i = 0; i < items.length; i += 2) pairs.push([items[i]!, items[i + 1]!]);
      return [{ t: "map", v: pairs }, after];
    }
    case "|": {
      // Attribute: skip it and return the frame it annotates.
      const [, after] = many(2 * Number(head));
      return parseFrame(buf, after);
    }
    default:
      throw new Error(`not RESP: ${JSON.stringify(buf.toString("latin1", pos, pos + 40))}`);
  }
}

/** Encodes a command as a RESP multibulk request. */
export function encodeCommand(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(String(a), "utf8");
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/**
 * One TCP connection. Every decoded frame goes to the waiting `read`, or — when nobody waits and a
 * listener is set — to `onFrame` (Pub/Sub streams); otherwise it is queued.
 */
export class RespConnection {
  private buffer = Buffer.alloc(0);
  private readonly frames: Resp[] = [];
  private readonly waiters: { n: number; resolve: (r: Resp[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private listener: ((frame: Resp) => void) | undefined;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on("error", () => undefined);
    socket.on("close", () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error("connection closed"));
      }
    });
    socket.on("data", (d: Buffer) => {
      this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
      let pos = 0;
      for (;;) {
        try {
          const [frame, after] = parseFrame(this.buffer, pos);
          pos = after;
          this.frames.push(frame);
        } catch (e) {
          if (e !== INCOMPLETE) throw e;
          break;
        }
      }
      this.buffer = this.buffer.subarray(pos);
      this.settle();
    });
  }

  static open(port: number, host = "127.0.0.1"): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => {
        s.off("error", reject);
        resolve(new RespConnection(s));
      });
      s.once("error", reject);
    });
  }

  /** Sends a command and resolves with the next `replies` frames. */
  async call(args: readonly (string | number)[], replies = 1, timeoutMs = 5000): Promise<Resp[]> {
    this.socket.write(encodeCommand(args));
    return this.read(replies, timeoutMs);
  }

  /** Sends a command and resolves with its single reply. */
  async one(...args: (string | number)[]): Promise<Resp> {
    const [r] = await this.call(args, 1);
    return r!;
  }

  /** Writes raw bytes. */
  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** The next `n` frames. */
  read(n = 1, timeoutMs = 5000): Promise<Resp[]> {
    return new Promise((resolve, reject) => {
      if (this.closed && this.frames.length < n) return reject(new Error("connection closed"));
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ n, resolve, reject, timer });
      this.settle();
    });
  }

  /** Frames nobody asked for (pushed messages) go here from now on. */
  onFrame(listener: (frame: Resp) => void): void {
    this.listener = listener;
    this.settle();
  }

  close(): void {
    this.socket.destroy();
  }

  private settle(): void {
    while (this.waiters.length > 0 && this.frames.length >= this.waiters[0]!.n) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(this.frames.splice(0, w.n));
    }
    if (this.waiters.length === 0 && this.listener) for (const f of this.frames.splice(0)) this.listener(f);
  }
}

/** Plain JS view of a frame (for assertions and logs): maps become objects, numbers stay strings. */
export function plain(r: Resp): unknown {
  switch (r.t) {
    case "array":
    case "set":
    case "push":
      return r.v.map(plain);
    case "map":
      return Object.fromEntries(r.v.map(([k, v]) => [String(plain(k)), plain(v)]));
    case "null":
    case "null-bulk":
    case "null-array":
      return null;
    case "bool":
      return r.v;
    case "error":
      return new Error(r.v);
    default:
      return r.v;
  }
}

/** Field/value pairs of an instance map reply (flat array in RESP2, map in RESP3). */
export function pairs(r: Resp): [string, string][] {
  const out: [string, string][] = [];
  if (r.t === "map") for (const [k, v] of r.v) out.push([String(plain(k)), String(plain(v))]);
  else if (r.t === "array") for (let i = 0; i + 1 < r.v.length; i += 2) out.push([String(plain(r.v[i]!)), String(plain(r.v[i + 1]!))]);
  return out;
}
