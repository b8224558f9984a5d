/** An error reply (`-ERR ...`, or a RESP3 blob error), kept apart from status replies. `message` is the text without `-`. */
export class PlainError {
  constructor(readonly message: string) {}
}

/**
 * A reply as plain values, the way a RESP2 client sees it: status, bulk and verbatim strings as
 * strings, integers as numbers, nil as `null`, arrays as arrays. RESP3 types read as Redis's own
 * RESP2 form of them: doubles and big numbers as strings, booleans as 1 / 0, sets and pushes as
 * arrays, maps as flat key-value arrays; attributes are skipped.
 */
export type PlainReply = string | number | null | PlainError | PlainReply[];

/** Bytes that are not RESP: the caller closes the connection (a real Redis or Sentinel never sends them). */
export class ReplyProtocolError extends Error {}

const NEED_MORE = Symbol("need more");
const CR = 13;
/** INFO of a large instance fits easily; anything larger is not a reply we asked for. */
const MAX_BULK = 64 * 1024 * 1024;

/**
 * Strings the links read hundreds of times a second (every PING reply, every hello push's kind and
 * channel): returned as one shared string instead of a new one each time, which is most of a hello
 * push's garbage besides its payload.
 */
const INTERNED = ["PONG", "OK", "message", "__sentinel__:hello", "subscribe"].map((s) => ({ s, bytes: Buffer.from(s, "latin1") }));
const INTERN_MAX = Math.max(...INTERNED.map((i) => i.bytes.length));

/** The interned string equal to `b[from, to)`, or a new one. */
function text(b: Buffer, from: number, to: number): string {
  const len = to - from;
  if (len <= INTERN_MAX) {
    for (const { s, bytes } of INTERNED) {
      if (bytes.length !== len || bytes[0] !== b[from]) continue;
      let i = 1;
      while (i < len && bytes[i] === b[from + i]) i++;
      if (i === len) return s;
    }
  }
  return b.toString("utf8", from, to);
}

/**
 * Streaming reply reader: the one RESP reply decoder of the links (PING, INFO, PUBLISH, hello
 * messages ...) and of the `vigil explain` / `vigil failover` client. Replies are decoded straight
 * to plain values with no intermediate objects; a reply split across reads is re-read from its
 * start when the rest arrives (replies here are small, INFO a few KB). It sits on the links' hot
 * path (bench/ping-cost.mjs): the RESP2 types come first in the switch, RESP3 only after them.
 */
const EMPTY = Buffer.alloc(0);

export class ReplyReader {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Chunks held back while a reply of known size is incomplete (see {@link feed}). */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Bytes the incomplete reply at `pos` needs at least (0 = unknown: try again with any chunk). */
  private need = 0;
  /** Absolute end of the bulk string that was found incomplete during the last read. */
  private bulkEnd = 0;

  /**
   * Append bytes; call {@link next} until it returns `undefined`. A large reply (a 20 MB INFO arrives
   * in hundreds of chunks) is joined once, when all its bytes are there, not once per chunk.
   */
  feed(chunk: Buffer): void {
    const rest = this.buf.length - this.pos;
    if (this.need > 0) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (rest + this.heldBytes < this.need) return;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.held]);
      this.held = [];
      this.heldBytes = 0;
      this.need = 0;
    } else if (rest <= 0) this.buf = chunk;
    else this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    this.pos = 0;
  }

  /**
   * Copies out of `shared`'s memory whatever the reader keeps for later (an incomplete reply), for a
   * caller that feeds views of a read buffer the socket reuses for its next read. Complete replies
   * are decoded to strings, which never alias the bytes.
   */
  detachFrom(shared: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.buf = EMPTY;
      this.pos = 0;
    } else if (this.buf.buffer === shared.buffer) {
      this.buf = Buffer.from(this.buf.subarray(this.pos));
      this.pos = 0;
    }
    for (let i = 0; i < this.held.length; i++) if (this.held[i]!.buffer === shared.buffer) this.held[i] = Buffer.from(this.held[i]!);
  }

  /** The next complete reply, or `undefined` when more bytes are needed. Throws {@link ReplyProtocolError}. */
  next(): PlainReply | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const start = this.pos;
    this.bulkEnd = 0;
    const v = this.read();
    if (v === NEED_MORE) {
      this.pos = start;
      this.need = this.bulkEnd > 0 ? this.bulkEnd - start : 0;
      return undefined;
    }
    return v;
  }

  private read(): PlainReply | typeof NEED_MORE {
    const b = this.buf;
    if (this.pos >= b.length) return NEED_MORE;
    const type = b[this.pos]!;
    const lineStart = this.pos + 1;
    const cr = b.indexOf(CR, lineStart);
    if (cr < 0 || cr + 1 >= b.length) return NEED_MORE;
    this.pos = cr + 2;
    switch (type) {
      case 0x2b: // +
        return text(b, lineStart, cr);
      case 0x2d: // -
        return new PlainError(b.toString("utf8", lineStart, cr));
      case 0x3a: // :
        return this.integer(lineStart, cr);
      case 0x24: // $
        return this.bulk(lineStart, cr);
      case 0x2a: // *
      case 0x7e: // ~ set
      case 0x3e: // > push
        return this.aggregate(this.integer(lineStart, cr), 1);
      case 0x25: // % map
        return this.aggregate(this.integer(lineStart, cr), 2);
      default:
        return this.resp3Scalar(type, lineStart, cr);
    }
  }

  /** A bulk string's body after its `$<len>` line (also the body of `=` and `!`). */
  private bulk(lineStart: number, cr: number): string | null | typeof NEED_MORE {
    const len = this.integer(lineStart, cr);
    if (len === -1) return null;
    if (len < 0 || len > MAX_BULK) throw new ReplyProtocolError(`bad bulk length ${len}`);
    const end = this.pos + len;
    if (end + 2 > this.buf.length) {
      this.bulkEnd = end + 2;
      return NEED_MORE;
    }
    this.pos = end + 2;
    return text(this.buf, end - len, end);
  }

  /** `n` elements of `width` replies each (a map's entries are read flat, key then value). */
  private aggregate(n: number, width: 1 | 2): PlainReply[] | null | typeof NEED_MORE {
    if (n === -1) return null;
    if (n < 0) throw new ReplyProtocolError(`bad aggregate length ${n}`);
    // Sized up front when small (a hello push is 3): a pushed-to empty array reserves 16+ slots.
    // A large count is not trusted with an allocation before its elements have arrived.
    const count = n * width;
    const items: PlainReply[] = count <= 64 ? new Array<PlainReply>(count) : [];
    for (let i = 0; i < count; i++) {
      const item = this.read();
      if (item === NEED_MORE) return NEED_MORE;
      items[i] = item;
    }
    return items;
  }

  /** RESP3 types other than aggregates, in their RESP2 form. */
  private resp3Scalar(type: number, lineStart: number, cr: number): PlainReply | typeof NEED_MORE {
    switch (type) {
      case 0x5f: // _ null
        if (cr !== lineStart) throw new ReplyProtocolError("bad null");
        return null;
      case 0x2c: // , double
      case 0x28: // ( big number
        return this.buf.toString("latin1", lineStart, cr);
      case 0x23: // # boolean
        if (cr !== lineStart + 1 || (this.buf[lineStart] !== 0x74 && this.buf[lineStart] !== 0x66)) throw new ReplyProtocolError("bad boolean");
        return this.buf[lineStart] === 0x74 ? 1 : 0;
      case 0x3d: {
        // = verbatim string: "txt:" or "mkd:" before the text
        const v = this.bulk(lineStart, cr);
        if (typeof v !== "string") return v;
        if (v.length < 4 || v[3] !== ":") throw new ReplyProtocolError("bad verbatim string");
        return v.slice(4);
      }
      case 0x21: {
        // ! blob error
        const v = this.bulk(lineStart, cr);
        return typeof v === "string" ? new PlainError(v) : v;
      }
      case 0x7c: {
        // | attribute: metadata about the reply that follows it; read past it
        const attributes = this.aggregate(this.integer(lineStart, cr), 2);
        return attributes === NEED_MORE ? NEED_MORE : this.read();
      }
      default:
        throw new ReplyProtocolError(`unexpected reply type byte ${type}`);
    }
  }

  /** A decimal integer line, digits only after an optional `-`. */
  private integer(from: number, to: number): number {
    const b = this.buf;
    let i = from;
    const negative = b[i] === 0x2d;
    if (negative) i++;
    if (i >= to) throw new ReplyProtocolError("empty integer");
    let n = 0;
    for (; i < to; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) throw new ReplyProtocolError("bad integer");
      n = n * 10 + d;
    }
    return negative ? -n : n;
  }
}
