/** An error reply (`-ERR ...`), kept apart from status replies. `message` is the line without `-`. */
export class ErrorReply {
  constructor(readonly message: string) {}
}

/** A RESP2 reply as plain values: status and bulk strings as strings, integers as numbers. */
export type PlainReply = string | number | null | ErrorReply | PlainReply[];

/** Bytes that are not RESP2: the link is closed (a real Redis or Sentinel never sends them). */
export class ReplyProtocolError extends Error {}

const NEED_MORE = Symbol("need more");
const CR = 13;
/** INFO of a large instance fits easily; anything larger is not a reply we asked for. */
const MAX_BULK = 64 * 1024 * 1024;

/**
 * Streaming RESP2 reader for the sentinel's own links (PING, INFO, PUBLISH, hello messages ...).
 * Replies are decoded straight to plain values with no intermediate objects; a reply split across
 * reads is re-read from its start when the rest arrives (replies here are small, INFO a few KB).
 * The server-side codec (`resp/`) is separate: it serves clients and keeps RESP3 and byte-exact types.
 */
export class ReplyReader {
  private buf: Buffer = Buffer.alloc(0);
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
        return b.toString("utf8", lineStart, cr);
      case 0x2d: // -
        return new ErrorReply(b.toString("utf8", lineStart, cr));
      case 0x3a: // :
        return this.integer(lineStart, cr);
      case 0x24: {
        // $
        const len = this.integer(lineStart, cr);
        if (len === -1) return null;
        if (len < 0 || len > MAX_BULK) throw new ReplyProtocolError(`bad bulk length ${len}`);
        const end = this.pos + len;
        if (end + 2 > b.length) {
          this.bulkEnd = end + 2;
          return NEED_MORE;
        }
        this.pos = end + 2;
        return b.toString("utf8", end - len, end);
      }
      case 0x2a: {
        // *
        const n = this.integer(lineStart, cr);
        if (n === -1) return null;
        if (n < 0) throw new ReplyProtocolError(`bad array length ${n}`);
        const items: PlainReply[] = [];
        for (let i = 0; i < n; i++) {
          const item = this.read();
          if (item === NEED_MORE) return NEED_MORE;
          items.push(item);
        }
        return items;
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
