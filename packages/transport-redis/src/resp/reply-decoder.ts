import type { Reply } from "./reply.js";

/** How the decoder materialises string payloads. */
export interface ReplyDecoderOptions {
  /** `string` (UTF-8, the default) or `buffer` (binary-exact). */
  readonly strings?: "string" | "buffer";
}

/**
 * Decodes RESP2/RESP3 replies (the server-to-client direction) into {@link Reply} values. It
 * exists for tests, fixtures and tools, so it favours simplicity: an incomplete frame is parsed
 * again from its start when more bytes arrive. RESP3 attributes (`|`) are skipped, big numbers
 * (`(`) become bigint integers, and `_` decodes as the null bulk string.
 */
export interface ReplyDecoder {
  feed(chunk: Buffer): void;
  /** The next complete reply, or `undefined` if more bytes are needed. */
  next(): Reply | undefined;
}

/** Thrown for bytes that are not RESP; replies from a real server never trigger it. */
export class ReplySyntaxError extends Error {}

/** Creates a {@link ReplyDecoder}. */
export function createReplyDecoder(options: ReplyDecoderOptions = {}): ReplyDecoder {
  let buf: Buffer = Buffer.alloc(0);
  const asBuffer = options.strings === "buffer";
  return {
    feed(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    },
    next() {
      const r = decodeAt(buf, 0, asBuffer);
      if (!r) return undefined;
      buf = buf.subarray(r.end);
      return r.value;
    },
  };
}

/** Decodes every complete reply in `bytes`; trailing partial data is an error. */
export function decodeAllReplies(bytes: Buffer, options: ReplyDecoderOptions = {}): Reply[] {
  const d = createReplyDecoder(options);
  d.feed(bytes);
  const out: Reply[] = [];
  for (let r = d.next(); r; r = d.next()) out.push(r);
  return out;
}

/**
 * The byte length of the complete reply starting at `offset`, or `undefined` if it is not
 * complete yet. Lets a caller split a byte stream into reply frames without decoding twice.
 */
export function replyFrameLength(bytes: Buffer, offset = 0): number | undefined {
  const r = decodeAt(bytes, offset, true);
  return r ? r.end - offset : undefined;
}

interface Decoded {
  readonly value: Reply;
  readonly end: number;
}

function decodeAt(buf: Buffer, pos: number, asBuffer: boolean): Decoded | undefined {
  const cr = buf.indexOf("\r\n", pos);
  if (cr < 0 || pos >= buf.length) return undefined;
  const type = String.fromCharCode(buf[pos]!);
  const head = buf.toString("latin1", pos + 1, cr);
  const after = cr + 2;
  const str = (b: Buffer): string | Buffer => (asBuffer ? Buffer.from(b) : b.toString("utf8"));
  switch (type) {
    case "+":
      return { value: { kind: "simple", value: str(buf.subarray(pos + 1, cr)) }, end: after };
    case "-":
      return { value: { kind: "error", value: str(buf.subarray(pos + 1, cr)) }, end: after };
    case ":":
    case "(":
      return { value: { kind: "integer", value: integerValue(head) }, end: after };
    case ",":
      return { value: { kind: "double", value: doubleValue(head) }, end: after };
    case "#":
      return { value: { kind: "boolean", value: head === "t" }, end: after };
    case "_":
      return { value: { kind: "null" }, end: after };
    case "$":
    case "=":
    case "!": {
      const len = Number(head);
      if (len < 0) return { value: { kind: "null" }, end: after };
      if (buf.length < after + len + 2) return undefined;
      const payload = buf.subarray(after, after + len);
      const end = after + len + 2;
      if (type === "$") return { value: { kind: "bulk", value: str(payload) }, end };
      if (type === "!") return { value: { kind: "error", value: str(payload) }, end };
      return {
        value: { kind: "verbatim", format: payload.toString("latin1", 0, 3), value: str(payload.subarray(4)) },
        end,
      };
    }
    case "*":
    case "~":
    case ">": {
      const n = Number(head);
      if (n < 0) return { value: { kind: "null-array" }, end: after };
      const items: Reply[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const r = decodeAt(buf, p, asBuffer);
        if (!r) return undefined;
        items.push(r.value);
        p = r.end;
      }
      const kind = type === "*" ? "array" : type === "~" ? "set" : "push";
      return { value: { kind, items }, end: p };
    }
    case "%":
    case "|": {
      const n = Number(head);
      const entries: [Reply, Reply][] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const k = decodeAt(buf, p, asBuffer);
        if (!k) return undefined;
        const v = decodeAt(buf, k.end, asBuffer);
        if (!v) return undefined;
        entries.push([k.value, v.value]);
        p = v.end;
      }
      if (type === "|") return decodeAt(buf, p, asBuffer);
      return { value: { kind: "map", entries }, end: p };
    }
    default:
      throw new ReplySyntaxError(`unexpected reply type byte 0x${buf[pos]!.toString(16)} at offset ${pos}`);
  }
}

function integerValue(text: string): number | bigint {
  const big = BigInt(text);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function doubleValue(text: string): number {
  if (text === "inf") return Number.POSITIVE_INFINITY;
  if (text === "-inf") return Number.NEGATIVE_INFINITY;
  if (text === "nan") return Number.NaN;
  return Number(text);
}
