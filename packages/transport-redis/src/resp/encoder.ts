import { type BulkField, BulkFieldList, BulkFieldMap, type PairMemo } from "./bulk-fields.js";
import type { Reply, ReplyText } from "./reply.js";

/** The RESP version a connection speaks (HELLO switches it). */
export type Protocol = 2 | 3;

const CRLF = "\r\n";
const CR_OR_LF = /[\r\n]/g;

/** A sink's buffer starts this big; a flush drops it when it grew past {@link KEEP_CAPACITY} (idle clients stay small). */
const INITIAL_CAPACITY = 1024;
const KEEP_CAPACITY = 16 * 1024;
/** Batches at least this big are handed to the socket as they are instead of copied out. */
const HANDOFF_BYTES = 4096;
const NO_BYTES = Buffer.alloc(0);

/**
 * Collects encoded replies as bytes in one growing buffer. ASCII text (nearly every reply) is
 * stored by a plain loop: no intermediate strings, no per-piece Buffers, and nothing left for the
 * socket to flatten and transcode. A connection keeps one for its whole output batch.
 */
export class ReplySink {
  private buf: Buffer = NO_BYTES;
  private len = 0;
  /** Capacity to start the next buffer with, after a big batch took the last one away. */
  private reuse = 0;

  /** Appends text, written as UTF-8. */
  str(s: string): void {
    const n = s.length;
    if (this.len + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.len = at;
        this.utf8(i === 0 ? s : s.slice(i));
        return;
      }
      buf[at++] = c;
    }
    this.len = at;
  }

  /**
   * Appends a bulk-string header and body: `<prefix><utf8 length>\r\n<s>\r\n`. One call per bulk
   * string (the bulk of every reply), the ASCII body copied in the same pass that checks it.
   */
  blob(prefix: number, s: string): void {
    const n = s.length;
    // Header (≤ 1 + 16 digits + 2) + body + CRLF, assuming ASCII; non-ASCII takes the slow path.
    if (this.len + n + 21 > this.buf.length) this.grow(n + 21);
    const buf = this.buf;
    const start = this.len;
    const digits = decimalLength(n);
    let at = start + 1 + digits + 2;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.len = start;
        this.str(`${String.fromCharCode(prefix)}${Buffer.byteLength(s, "utf8")}${CRLF}`);
        this.str(s);
        this.str(CRLF);
        return;
      }
      buf[at++] = c;
    }
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    buf[start] = prefix;
    decimal(buf, start + 1, n);
    buf[start + 1 + digits] = 0x0d;
    buf[start + 2 + digits] = 0x0a;
    this.len = at;
  }

  /**
   * Appends a status or error line: `<prefix><s>\r\n`, CR and LF in `s` written as spaces (they
   * would end the line early; Redis maps them the same way).
   */
  line(prefix: number, s: string): void {
    const n = s.length;
    if (this.len + n + 3 > this.buf.length) this.grow(n + 3);
    const buf = this.buf;
    const start = this.len;
    let at = start;
    buf[at++] = prefix;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.len = start;
        this.str(`${String.fromCharCode(prefix)}${s.replace(CR_OR_LF, " ")}${CRLF}`);
        return;
      }
      buf[at++] = c === 0x0d || c === 0x0a ? 0x20 : c;
    }
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    this.len = at;
  }

  /** Appends `<prefix><n>\r\n`: an aggregate header or an integer reply (`n` an integer). */
  int(prefix: number, n: number): void {
    if (!isSmall(n)) {
      this.str(`${String.fromCharCode(prefix)}${n}${CRLF}`);
      return;
    }
    if (this.len + 14 > this.buf.length) this.grow(14);
    const buf = this.buf;
    buf[this.len] = prefix;
    let at = decimal(buf, this.len + 1, n);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    this.len = at;
  }

  /** Appends a bulk string holding the decimal text of `n`, exactly as `blob(prefix, String(n))` would. */
  blobNumber(prefix: number, n: number): void {
    if (!isSmall(n)) {
      this.blob(prefix, String(n));
      return;
    }
    // `$<len>\r\n` (len ≤ 11) + sign and 10 digits + CRLF.
    if (this.len + 19 > this.buf.length) this.grow(19);
    const buf = this.buf;
    let at = this.len;
    const length = decimalLength(n);
    buf[at++] = prefix;
    if (length >= 10) buf[at++] = 0x31;
    buf[at++] = 0x30 + (length >= 10 ? length - 10 : length);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    at = decimal(buf, at, n);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    this.len = at;
  }

  /** Appends bytes encoded beforehand (a constant's frame). */
  frame(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) this.grow(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** A copy of the bytes appended since the sink held `start` bytes. */
  copyFrom(start: number): Uint8Array {
    // Buffer's `slice` is a view; this must outlive the batch.
    return Uint8Array.prototype.slice.call(this.buf, start, this.len);
  }

  /** Appends raw bytes. */
  bytes(b: Buffer): void {
    if (this.len + b.length > this.buf.length) this.grow(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  /** True when nothing was appended since the last {@link ReplySink.take}. */
  get empty(): boolean {
    return this.len === 0;
  }

  /** Size in bytes of what is held. */
  byteLength(): number {
    return this.len;
  }

  /** Everything appended, as a Buffer of its own, and empties the sink. */
  take(): Buffer {
    if (this.len >= HANDOFF_BYTES) {
      // A big batch (pipelined SENTINEL MASTER...) takes the buffer itself: copying it out would
      // cost as much as the fresh buffer the next batch starts, when it starts.
      const out = this.buf.subarray(0, this.len);
      this.reuse = this.buf.length > KEEP_CAPACITY ? 0 : this.buf.length;
      this.buf = NO_BYTES;
      this.len = 0;
      return out;
    }
    // A copy (small ones come from Node's pool): the socket may queue what it is given, while
    // this buffer is reused for the next batch.
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    if (this.buf.length > KEEP_CAPACITY) this.buf = NO_BYTES;
    return out;
  }

  /** Non-ASCII text: the rest of it through Node's UTF-8 encoder (at most 3 bytes per UTF-16 unit). */
  private utf8(s: string): void {
    if (this.len + s.length * 3 > this.buf.length) this.grow(s.length * 3);
    this.len += this.buf.write(s, this.len, "utf8");
  }

  private grow(extra: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.len + extra, this.buf.length * 2, this.reuse, INITIAL_CAPACITY));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
}

/**
 * An integer whose decimal text the int32 helpers below can write. Redis's numbers here (lengths,
 * counts, milliseconds, ports) nearly always are; the rest goes through `String(n)`. Keeping the
 * arithmetic in int32 matters: on doubles, `%` is a call into C.
 */
function isSmall(n: number): boolean {
  return (n | 0) === n && n !== -0x80000000;
}

/** Characters of the decimal text of a {@link isSmall} integer, sign included. */
function decimalLength(n: number): number {
  let v = n | 0;
  let digits = 1;
  if (v < 0) {
    digits = 2;
    v = -v;
  }
  while (v >= 10) {
    v = (v / 10) | 0;
    digits++;
  }
  return digits;
}

/** Writes the decimal text of the {@link isSmall} integer `n` at `at`; returns the offset after it. */
function decimal(buf: Buffer, at: number, n: number): number {
  let v = n | 0;
  if (v < 0) {
    buf[at++] = 0x2d;
    v = -v;
  }
  const end = at + decimalLength(v);
  let d = end - 1;
  do {
    const q = (v / 10) | 0;
    buf[d--] = 0x30 + v - q * 10;
    v = q;
  } while (v > 0);
  return end;
}

/**
 * Encodes `reply` for a connection speaking `protocol`. RESP2 has no maps, sets, pushes, doubles,
 * booleans, verbatim strings or a single null, so those are rendered the way Redis renders them
 * to RESP2 clients (flat arrays, bulk strings, `:1`/`:0`, `$-1`/`*-1`).
 */
export function encodeReply(reply: Reply, protocol: Protocol): Buffer {
  const sink = new ReplySink();
  write(sink, reply, protocol);
  return sink.take();
}

/** {@link encodeReply} appending to `sink` instead of returning a Buffer. */
export function encodeReplyInto(sink: ReplySink, reply: Reply, protocol: Protocol): void {
  write(sink, reply, protocol);
}

function write(sink: ReplySink, r: Reply, proto: Protocol): void {
  switch (r.kind) {
    case "simple":
      line(sink, "+", r.value);
      return;
    case "error":
      line(sink, "-", r.value);
      return;
    case "integer":
      if (typeof r.value === "number" && Number.isInteger(r.value)) sink.int(0x3a, r.value);
      else sink.str(`:${integerText(r.value)}${CRLF}`);
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
      if (r instanceof BulkFieldList) fields(sink, 0x2a, r.fields.length, r.fields);
      else aggregate(sink, "*", r.items, proto);
      return;
    case "set":
      aggregate(sink, proto === 3 ? "~" : "*", r.items, proto);
      return;
    case "push":
      aggregate(sink, proto === 3 ? ">" : "*", r.items, proto);
      return;
    case "map":
      if (r instanceof BulkFieldMap) {
        const f = r.fields;
        fields(sink, proto === 3 ? 0x25 : 0x2a, proto === 3 ? f.length >> 1 : f.length, f, r.memo);
        return;
      }
      sink.str(proto === 3 ? `%${r.entries.length}${CRLF}` : `*${r.entries.length * 2}${CRLF}`);
      // Indexed loops, not `for...of` with destructuring: this runs for every field of every map.
      for (let i = 0; i < r.entries.length; i++) {
        const pair = r.entries[i]!;
        write(sink, pair[0], proto);
        write(sink, pair[1], proto);
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
function line(sink: ReplySink, prefix: string, value: ReplyText): void {
  if (typeof value === "string") {
    sink.line(prefix.charCodeAt(0), value);
    return;
  }
  const copy = Buffer.from(value);
  for (let i = 0; i < copy.length; i++) if (copy[i] === 0x0d || copy[i] === 0x0a) copy[i] = 0x20;
  sink.str(prefix);
  sink.bytes(copy);
  sink.str(CRLF);
}

function blob(sink: ReplySink, prefix: string, value: ReplyText): void {
  if (typeof value === "string") {
    sink.blob(prefix.charCodeAt(0), value);
    return;
  }
  sink.str(`${prefix}${value.length}${CRLF}`);
  sink.bytes(value);
  sink.str(CRLF);
}

/** A flat aggregate of bulk strings: `<prefix><count>` then every field as a bulk string. */
function fields(sink: ReplySink, prefix: number, count: number, values: readonly BulkField[], memo?: PairMemo): void {
  sink.int(prefix, count);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === "number") sink.blobNumber(0x24, v);
    else if (typeof v === "string") sink.blob(0x24, v);
    else if (memo === undefined || v.slot < 0 || i + 1 === values.length) sink.frame(v.frame);
    else {
      // A stable key: its pair is copied whole while the value is the one written last time.
      const value = values[++i]!;
      const slot = v.slot;
      const frame = memo.frames[slot];
      if (frame !== undefined && memo.values[slot] === value) {
        sink.frame(frame);
        continue;
      }
      const start = sink.byteLength();
      sink.frame(v.frame);
      if (typeof value === "number") sink.blobNumber(0x24, value);
      else if (typeof value === "string") sink.blob(0x24, value);
      else sink.frame(value.frame);
      memo.values[slot] = value;
      memo.frames[slot] = sink.copyFrom(start);
    }
  }
}

function aggregate(sink: ReplySink, prefix: string, items: readonly Reply[], proto: Protocol): void {
  sink.int(prefix.charCodeAt(0), items.length);
  for (let i = 0; i < items.length; i++) write(sink, items[i]!, proto);
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
