import { type ErrorReply, error } from "./reply.js";
import { splitInlineArgs } from "./split-args.js";
import { parseRedisIntegerBytesAsNumber } from "./string-to-integer.js";

/** Limits of the request parser; the defaults are Redis's. */
export interface RequestParserOptions {
  /**
   * `proto-max-bulk-len`: a bulk argument announced longer than this is a protocol error.
   * Default 512 MiB, as in Redis, so the error appears at the same length.
   */
  readonly maxBulkLength?: number;
  /**
   * `PROTO_INLINE_MAX_SIZE`: an inline line, or a `*`/`$` header, still unterminated after this
   * many bytes is a protocol error. Default 64 KiB.
   */
  readonly maxInlineLength?: number;
}

/** Redis's default `proto-max-bulk-len`. */
export const DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;
/** Redis's `PROTO_INLINE_MAX_SIZE`. */
export const DEFAULT_MAX_INLINE_LENGTH = 64 * 1024;
/** Before authentication Redis refuses more than this many arguments... */
export const UNAUTHENTICATED_MAX_ARGS = 10;
/** ...and bulk arguments longer than this. */
export const UNAUTHENTICATED_MAX_BULK = 16384;

const INT_MAX = 2147483647;
const STAR = 0x2a;
const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
/**
 * What one parsed argument costs in memory beyond its payload (a Buffer object and its array slot,
 * about 200 bytes measured on Node 20). Counted by {@link RequestParser.retainedBytes}, so that
 * `*2147483647` followed by endless `$0` arguments hits the query buffer limit instead of growing
 * the heap by ~30 bytes per byte received.
 */
export const ARG_OVERHEAD_BYTES = 256;

/** One outcome of {@link RequestParser.next}. */
export type ParseResult =
  | { readonly kind: "command"; readonly args: Buffer[] }
  | { readonly kind: "incomplete" }
  | {
      readonly kind: "error";
      /** The exact Redis reply, e.g. `-ERR Protocol error: invalid bulk length`. */
      readonly reply: ErrorReply;
      /** A short reason for logs, as Redis logs it. */
      readonly reason: string;
    };

/**
 * An incremental request parser for one connection. Feed it whatever the socket delivers; pull
 * complete commands with {@link RequestParser.next}. After an error it stays failed: the caller
 * must write the error and close the connection, as Redis does.
 */
export interface RequestParser {
  /**
   * Appends bytes from the socket. The parser may keep `chunk` itself rather than a copy, and the
   * arguments it returns may be views of it: a chunk must not be modified once fed.
   */
  feed(chunk: Buffer): void;
  /**
   * Returns the next complete command, `incomplete` if more bytes are needed, or a protocol
   * error. `authRequired` enables Redis's tighter limits for unauthenticated clients; it is a
   * parameter because a pipelined AUTH changes it between two commands of the same chunk.
   * Empty commands (blank inline lines, `*0`, `*-1`) are skipped, as Redis skips them.
   */
  next(authRequired?: boolean): ParseResult;
  /**
   * A copy of the bytes of the command {@link RequestParser.next} just returned (its whole RESP
   * frame), or undefined when they are no longer all held (the frame arrived in pieces).
   */
  lastFrame(): Buffer | undefined;
  /**
   * Consumes the next command without parsing it if its frame is exactly `frame`'s bytes; false
   * (and nothing consumed) otherwise. Identical bytes parse to the identical command, so a caller
   * that knows that command's effect can apply it instead (server/request-memo.ts).
   */
  skipFrame(frame: Uint8Array): boolean;
  /** Bytes held for requests not yet returned (Redis's query buffer, roughly). */
  readonly pendingBytes: number;
  /**
   * Memory held for requests not yet returned: {@link RequestParser.pendingBytes} plus
   * {@link ARG_OVERHEAD_BYTES} per argument of the command being assembled. Compare this, not
   * `pendingBytes`, with the query buffer limit.
   */
  readonly retainedBytes: number;
}

/** Creates a parser; see {@link RequestParser}. */
export function createRequestParser(options: RequestParserOptions = {}): RequestParser {
  return new Parser(options.maxBulkLength ?? DEFAULT_MAX_BULK_LENGTH, options.maxInlineLength ?? DEFAULT_MAX_INLINE_LENGTH);
}

type Step = Buffer[] | "incomplete" | Extract<ParseResult, { kind: "error" }>;

/**
 * A view of a borrowed chunk, made at half the cost of `chunk.subarray()` (which re-validates its
 * arguments and reads the chunk's `buffer` and `byteOffset` every time): one view per argument is
 * a large part of parsing a command. Like Node's own (internal) FastBuffer, it is a Uint8Array
 * whose prototype chain runs through `Buffer.prototype` and whose `constructor` is `Buffer`, so
 * it is a Buffer in every respect that matters: every Buffer method works on it,
 * `Buffer.isBuffer` holds, and it compares equal to a Buffer with the same bytes.
 */
class ArgView extends Uint8Array {}
Object.setPrototypeOf(ArgView.prototype, Buffer.prototype);
Object.defineProperty(ArgView.prototype, "constructor", { value: Buffer, writable: true, configurable: true });

const INCOMPLETE: ParseResult = { kind: "incomplete" };

class Parser implements RequestParser {
  private data: Buffer = Buffer.alloc(0);
  /** `data.buffer` and `data.byteOffset`, read once per chunk rather than once per argument. */
  private dataBuffer = this.data.buffer as ArrayBuffer;
  private dataOffset = 0;
  /**
   * `data` is a fed chunk parsed in place (nothing was pending when it arrived): arguments are
   * views of it instead of copies, so it must never be written to; {@link Parser.grow} copies out.
   */
  private borrowed = false;
  private start = 0;
  private end = 0;
  private mode: "none" | "inline" | "multibulk" = "none";
  private remainingArgs = 0;
  private bulkLength = -1;
  private args: Buffer[] = [];
  private argBytes = 0;
  /** Where the next scan for a line terminator resumes, so slow senders cost O(n), not O(n²). */
  private scanFrom = 0;
  /** A NUL precedes the terminator being searched for: see {@link Parser.find}. */
  private blockedByNul = false;
  private failure: Extract<ParseResult, { kind: "error" }> | undefined;
  /** Where the frame being parsed (or last returned) starts in `data`; -1 once part of it was dropped. */
  private frameStart = -1;

  constructor(
    private readonly maxBulk: number,
    private readonly maxInline: number,
  ) {}

  get pendingBytes(): number {
    return this.end - this.start + this.argBytes;
  }

  get retainedBytes(): number {
    return this.pendingBytes + this.args.length * ARG_OVERHEAD_BYTES;
  }

  feed(chunk: Buffer): void {
    if (chunk.length === 0 || this.failure) return;
    if (this.start === this.end) {
      // The usual case (every earlier request was complete): no copy at all. This also drops any
      // large buffer an earlier big request needed.
      this.data = chunk;
      // Socket chunks (and our own buffers) are never backed by a SharedArrayBuffer.
      this.dataBuffer = chunk.buffer as ArrayBuffer;
      this.dataOffset = chunk.byteOffset;
      this.borrowed = true;
      this.frameStart = -1;
      this.start = this.scanFrom = 0;
      this.end = chunk.length;
      return;
    }
    if (this.borrowed || this.end + chunk.length > this.data.length) this.grow(chunk.length);
    chunk.copy(this.data, this.end);
    this.end += chunk.length;
  }

  /** Makes room for `extra` bytes: compacts when that suffices, otherwise doubles (amortised O(1)). */
  private grow(extra: number): void {
    const live = this.end - this.start;
    const needed = live + extra;
    // Compact only when the consumed prefix is at least as large as what we copy, so every byte
    // is moved a bounded number of times. A borrowed chunk is never written to (arguments may be
    // views of it), so its pending tail moves to a buffer of our own.
    if (!this.borrowed && needed <= this.data.length && this.start >= live) {
      this.data.copyWithin(0, this.start, this.end);
    } else {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.borrowed ? 2 * needed : this.data.length * 2, 1024));
      this.data.copy(bigger, 0, this.start, this.end);
      this.data = bigger;
      this.dataBuffer = bigger.buffer as ArrayBuffer;
      this.dataOffset = bigger.byteOffset;
      this.borrowed = false;
    }
    this.scanFrom = Math.max(0, this.scanFrom - this.start);
    // The consumed head of a frame in progress (its `*N` header, its first arguments) is not copied.
    this.frameStart = -1;
    this.start = 0;
    this.end = live;
  }

  next(authRequired = false): ParseResult {
    if (this.failure) return this.failure;
    for (;;) {
      if (this.mode === "none") {
        if (this.start >= this.end) return INCOMPLETE;
        this.mode = this.data[this.start] === STAR ? "multibulk" : "inline";
        this.scanFrom = this.frameStart = this.start;
      }
      const step = this.mode === "inline" ? this.inline() : this.multibulk(authRequired);
      if (step === "incomplete") return INCOMPLETE;
      if (!Array.isArray(step)) {
        this.failure = step;
        return step;
      }
      this.mode = "none";
      this.args = [];
      this.argBytes = 0;
      this.remainingArgs = 0;
      this.bulkLength = -1;
      if (step.length > 0) return { kind: "command", args: step };
    }
  }

  lastFrame(): Buffer | undefined {
    if (this.frameStart < 0 || this.mode !== "none") return undefined;
    return Buffer.from(this.data.subarray(this.frameStart, this.start));
  }

  skipFrame(frame: Uint8Array): boolean {
    const n = frame.length;
    const at = this.start;
    if (this.mode !== "none" || this.failure || this.end - at < n) return false;
    const data = this.data;
    for (let i = 0; i < n; i++) if (data[at + i] !== frame[i]) return false;
    this.frameStart = at;
    this.start = this.scanFrom = at + n;
    return true;
  }

  /**
   * Finds `byte` from the resume point, but stops at a NUL like C's `strchr` on the query buffer:
   * Redis cannot see a terminator behind a NUL, so neither do we (the request then waits, and
   * eventually hits the size limit, exactly as with Redis). The NUL keeps blocking when more bytes
   * arrive, until the size limit ends the connection.
   */
  private find(byte: number): number {
    if (this.blockedByNul) return -1;
    // A plain loop: headers are a few bytes long, and two `indexOf` calls on a fresh view (one of
    // them running to the end of the buffer) cost more than the scan itself.
    const data = this.data;
    const end = this.end;
    for (let i = Math.max(this.scanFrom, this.start); i < end; i++) {
      const c = data[i]!;
      if (c === byte) return i;
      if (c === NUL) {
        this.blockedByNul = true;
        return -1;
      }
    }
    // Nothing to rescan next time: resume after what was already searched.
    this.scanFrom = end;
    return -1;
  }

  private inline(): Step {
    const newline = this.find(LF);
    if (newline < 0) {
      if (this.end - this.start > this.maxInline) return fail("Protocol error: too big inline request", "too big inline request");
      return "incomplete";
    }
    let lineEnd = newline;
    if (newline !== this.start && this.data[newline - 1] === CR) lineEnd--;
    const args = splitInlineArgs(this.data, this.start, lineEnd, this.slice);
    if (!args) return fail("Protocol error: unbalanced quotes in request", "unbalanced quotes in inline request");
    this.start = newline + 1;
    return args;
  }

  private multibulk(authRequired: boolean): Step {
    if (this.remainingArgs === 0) {
      const cr = this.find(CR);
      if (cr < 0) {
        if (this.end - this.start > this.maxInline) return fail("Protocol error: too big mbulk count string", "too big mbulk count string");
        return "incomplete";
      }
      // Redis only checks that one more byte follows the CR; it never looks at it.
      if (cr + 2 > this.end) return "incomplete";
      const count = parseRedisIntegerBytesAsNumber(this.data, this.start + 1, cr);
      if (count === undefined || count > INT_MAX) return fail("Protocol error: invalid multibulk length", "invalid mbulk count");
      if (count > UNAUTHENTICATED_MAX_ARGS && authRequired) {
        return fail("Protocol error: unauthenticated multibulk length", "unauth mbulk count");
      }
      this.start = cr + 2;
      this.scanFrom = this.start;
      if (count <= 0) return [];
      this.remainingArgs = count;
    }
    while (this.remainingArgs > 0) {
      if (this.bulkLength < 0) {
        const cr = this.find(CR);
        if (cr < 0) {
          if (this.end - this.start > this.maxInline) return fail("Protocol error: too big bulk count string", "too big bulk count string");
          return "incomplete";
        }
        if (cr + 2 > this.end) return "incomplete";
        const first = this.data[this.start]!;
        if (first !== DOLLAR) {
          return fail(`Protocol error: expected '$', got '${String.fromCharCode(first)}'`, "expected $ but got something else");
        }
        const length = parseRedisIntegerBytesAsNumber(this.data, this.start + 1, cr);
        if (length === undefined || length < 0 || length > this.maxBulk) {
          return fail("Protocol error: invalid bulk length", "invalid bulk length");
        }
        if (length > UNAUTHENTICATED_MAX_BULK && authRequired) {
          return fail("Protocol error: unauthenticated bulk length", "unauth bulk length");
        }
        this.start = cr + 2;
        this.bulkLength = length;
      }
      // Like Redis, the two bytes after the payload are skipped without checking they are CRLF.
      if (this.end - this.start < this.bulkLength + 2) return "incomplete";
      const arg = this.argument(this.start, this.start + this.bulkLength);
      this.args.push(arg);
      this.argBytes += arg.length;
      this.start += this.bulkLength + 2;
      this.scanFrom = this.start;
      this.bulkLength = -1;
      this.remainingArgs--;
    }
    return this.args;
  }

  /** {@link Parser.argument} for splitInlineArgs, bound once. */
  private readonly slice = (from: number, to: number): Buffer => this.argument(from, to);

  /** Bytes `from..to` of the buffer as an argument: a view of a borrowed chunk, else a copy. */
  private argument(from: number, to: number): Buffer {
    if (this.borrowed) return new ArgView(this.dataBuffer, this.dataOffset + from, to - from) as unknown as Buffer;
    const arg = Buffer.allocUnsafe(to - from);
    this.data.copy(arg, 0, from, to);
    return arg;
  }
}

/** Protocol errors carry raw bytes (the `got 'x'` character), hence the latin1 round trip. */
function fail(message: string, reason: string): Extract<ParseResult, { kind: "error" }> {
  return { kind: "error", reply: error(Buffer.from(`ERR ${message}`, "latin1")), reason };
}
