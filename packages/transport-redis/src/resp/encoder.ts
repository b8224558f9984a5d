import type { Reply, ReplyText } from "./reply.js";

/** The RESP version a connection speaks (HELLO switches it). */
export type Protocol = 2 | 3;

const CRLF = "\r\n";
const CR_OR_LF = /[\r\n]/g;

/**
 * Collects the pieces of one encoded reply. Adjacent strings are merged before conversion so a
 * reply made of many small headers becomes one allocation, not one per header.
 */
class ByteSink {
  private readonly parts: Buffer[] = [];
  private text = "";

  str(s: string): void {
    this.text += s;
  }

  bytes(b: Buffer): void {
    if (this.text.length > 0) {
      this.parts.push(Buffer.from(this.text, "utf8"));
      this.text = "";
    }
    this.parts.push(b);
  }

  done(): Buffer {
    if (this.text.length > 0) this.parts.push(Buffer.from(this.text, "utf8"));
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
  }
}

/**
 * Encodes `reply` for a connection speaking `protocol`. RESP2 has no maps, sets, pushes, doubles,
 * booleans, verbatim strings or a single null, so those are rendered the way Redis renders them
 * to RESP2 clients (flat arrays, bulk strings, `:1`/`:0`, `$-1`/`*-1`).
 */
export function encodeReply(reply: Reply, protocol: Protocol): Buffer {
  const sink = new ByteSink();
  write(sink, reply, protocol);
  return sink.done();
}

function write(sink: ByteSink, r: Reply, proto: Protocol): void {
  switch (r.kind) {
    case "simple":
      line(sink, "+", r.value);
      return;
    case "error":
      line(sink, "-", r.value);
      return;
    case "integer":
      sink.str(`:${integerText(r.value)}${CRLF}`);
      return;
    case "bulk":
      blob(sink, "$", r.value);
      return;
    case "null":
      sink.str(proto === 3 ? `_${CRLF}` : `$-1${CRLF}`);
      return;
    case "null-array":
      sink.str(proto === 3 ? `_${CRLF}` : `*-1${CRLF}`);
      return;
    case "array":
      aggregate(sink, "*", r.items, proto);
      return;
    case "set":
      aggregate(sink, proto === 3 ? "~" : "*", r.items, proto);
      return;
    case "push":
      aggregate(sink, proto === 3 ? ">" : "*", r.items, proto);
      return;
    case "map":
      sink.str(proto === 3 ? `%${r.entries.length}${CRLF}` : `*${r.entries.length * 2}${CRLF}`);
      for (const [k, v] of r.entries) {
        write(sink, k, proto);
        write(sink, v, proto);
      }
      return;
    case "verbatim":
      if (proto === 3) {
        const body = Buffer.concat([Buffer.from(`${r.format.slice(0, 3).padEnd(3, " ")}:`, "latin1"), toBytes(r.value)]);
        blob(sink, "=", body);
      } else {
        blob(sink, "$", r.value);
      }
      return;
    case "double":
      if (proto === 3) sink.str(`,${doubleText(r.value)}${CRLF}`);
      else blob(sink, "$", doubleText(r.value));
      return;
    case "boolean":
      if (proto === 3) sink.str(r.value ? `#t${CRLF}` : `#f${CRLF}`);
      else sink.str(r.value ? `:1${CRLF}` : `:0${CRLF}`);
      return;
  }
}

/** Status and error lines cannot carry CR/LF; Redis maps them to spaces, and so do we. */
function line(sink: ByteSink, prefix: string, value: ReplyText): void {
  if (typeof value === "string") {
    sink.str(`${prefix}${value.replace(CR_OR_LF, " ")}${CRLF}`);
    return;
  }
  const copy = Buffer.from(value);
  for (let i = 0; i < copy.length; i++) if (copy[i] === 0x0d || copy[i] === 0x0a) copy[i] = 0x20;
  sink.str(prefix);
  sink.bytes(copy);
  sink.str(CRLF);
}

function blob(sink: ByteSink, prefix: string, value: ReplyText): void {
  if (typeof value === "string") {
    sink.str(`${prefix}${Buffer.byteLength(value, "utf8")}${CRLF}${value}${CRLF}`);
    return;
  }
  sink.str(`${prefix}${value.length}${CRLF}`);
  sink.bytes(value);
  sink.str(CRLF);
}

function aggregate(sink: ByteSink, prefix: string, items: readonly Reply[], proto: Protocol): void {
  sink.str(`${prefix}${items.length}${CRLF}`);
  for (const item of items) write(sink, item, proto);
}

function toBytes(value: ReplyText): Buffer {
  return typeof value === "string" ? Buffer.from(value, "utf8") : value;
}

function integerText(value: number | bigint): string {
  if (typeof value === "bigint") return value.toString();
  // A fractional number here is a caller bug; truncating keeps the frame valid instead of
  // emitting `:1.5`, which every client would reject.
  return Number.isFinite(value) ? Math.trunc(value).toString() : "0";
}

/** Redis spells the non-finite doubles `inf`, `-inf` and `nan`; finite ones use the shortest form. */
export function doubleText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return String(value);
}
