// Helpers for the hostile-input tests: raw byte exchanges with a server, resident memory of a
// process from /proc, and a background sampler of its peak.
import { readFileSync } from "node:fs";
import net from "node:net";
import { parseFrame } from "./resp-client.js";

/** Resident set size of `pid` in bytes (VmRSS from /proc). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Samples the RSS of `pid` every `everyMs` until stopped; returns the peak seen. */
export function sampleRss(pid: number, everyMs = 25): { stop(): number } {
  let peak = rssBytes(pid);
  const t = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // the process is gone: the test will notice
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(t);
      try {
        peak = Math.max(peak, rssBytes(pid));
      } catch {
        // gone
      }
      return peak;
    },
  };
}

export const MB = 1024 * 1024;

/** What a raw exchange produced. */
export interface RawResult {
  readonly bytes: Buffer;
  /** The server closed the connection. */
  readonly closed: boolean;
}

/**
 * Send `payload` on a fresh connection and collect what comes back until `replies` complete RESP
 * frames arrived, the server closed, or `timeoutMs` passed. Write errors (the server closed while
 * we were still sending a huge payload) are expected and ignored.
 */
export function rawExchange(port: number, payload: Buffer | string, opts: { replies?: number; timeoutMs?: number } = {}): Promise<RawResult> {
  const data = typeof payload === "string" ? Buffer.from(payload, "latin1") : payload;
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let bytes = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes, closed });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs ?? 10000);
    socket.on("error", () => undefined);
    socket.on("close", () => finish(true));
    socket.on("data", (d: Buffer) => {
      bytes = Buffer.concat([bytes, d]);
      if (opts.replies === undefined) return;
      let pos = 0;
      let n = 0;
      try {
        while (pos < bytes.length) {
          pos = parseFrame(bytes, pos)[1];
          n++;
        }
      } catch {
        // an incomplete frame: wait for more bytes
      }
      if (n >= opts.replies) finish(false);
    });
    socket.on("connect", () => socket.write(data));
  });
}

/** Open a socket and resolve once connected. */
export function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.off("error", reject);
      s.on("error", () => undefined);
      resolve(s);
    });
    s.once("error", reject);
  });
}

/** Resolves when `socket` is closed by the peer (or false after `timeoutMs`). */
export function closedWithin(socket: net.Socket, timeoutMs: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), timeoutMs);
    socket.once("close", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/** A RESP multibulk request with binary-exact arguments. */
export function respCommand(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === "string" ? Buffer.from(a, "utf8") : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}
