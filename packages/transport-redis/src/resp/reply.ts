/**
 * The value of one server reply, independent of the protocol version it is written in.
 *
 * Strings may be JS strings (written as UTF-8) or Buffers (written byte for byte); Buffers are what
 * keeps replies binary-safe when they echo bytes a client sent (channel names, unknown commands).
 * The encoder decides the RESP2/RESP3 rendering, so handlers never branch on the protocol.
 */
export type Reply =
  | SimpleReply
  | ErrorReply
  | IntegerReply
  | BulkReply
  | NullReply
  | NullArrayReply
  | ArrayReply
  | MapReply
  | SetReply
  | PushReply
  | VerbatimReply
  | DoubleReply
  | BooleanReply;

/** Text or raw bytes carried by a reply. */
export type ReplyText = string | Buffer;

/** `+text`: a status line. CR and LF are replaced by spaces when written. */
export interface SimpleReply {
  readonly kind: "simple";
  readonly value: ReplyText;
}

/** `-CODE text`: an error. `value` includes the code (`ERR ...`, `WRONGPASS ...`), not the dash. */
export interface ErrorReply {
  readonly kind: "error";
  readonly value: ReplyText;
}

/** `:n`. */
export interface IntegerReply {
  readonly kind: "integer";
  readonly value: number | bigint;
}

/** `$len` + bytes. */
export interface BulkReply {
  readonly kind: "bulk";
  readonly value: ReplyText;
}

/** The null bulk string: `$-1` in RESP2, `_` in RESP3. */
export interface NullReply {
  readonly kind: "null";
}

/** The null array: `*-1` in RESP2, `_` in RESP3. */
export interface NullArrayReply {
  readonly kind: "null-array";
}

/** `*n` + items. */
export interface ArrayReply {
  readonly kind: "array";
  readonly items: readonly Reply[];
}

/** `%n` + key/value pairs in RESP3; a flat `*2n` array in RESP2. Order is kept. */
export interface MapReply {
  readonly kind: "map";
  readonly entries: readonly (readonly [Reply, Reply])[];
}

/** `~n` in RESP3; a plain array in RESP2. */
export interface SetReply {
  readonly kind: "set";
  readonly items: readonly Reply[];
}

/** Out-of-band data (Pub/Sub): `>n` in RESP3; a plain array in RESP2. */
export interface PushReply {
  readonly kind: "push";
  readonly items: readonly Reply[];
}

/** `=len` + `fmt:` + text in RESP3 (format is exactly 3 bytes); a bulk string in RESP2. */
export interface VerbatimReply {
  readonly kind: "verbatim";
  readonly format: string;
  readonly value: ReplyText;
}

/** `,n` in RESP3; a bulk string in RESP2 (`inf`, `-inf`, `nan` spelled as Redis does). */
export interface DoubleReply {
  readonly kind: "double";
  readonly value: number;
}

/** `#t`/`#f` in RESP3; `:1`/`:0` in RESP2. */
export interface BooleanReply {
  readonly kind: "boolean";
  readonly value: boolean;
}

/** A status reply. */
export function simple(value: ReplyText): SimpleReply {
  return { kind: "simple", value };
}

/** An error reply; `value` starts with the error code, e.g. `ERR syntax error`. */
export function error(value: ReplyText): ErrorReply {
  return { kind: "error", value };
}

/** An integer reply. */
export function integer(value: number | bigint): IntegerReply {
  return { kind: "integer", value };
}

/** A bulk string reply. */
export function bulk(value: ReplyText): BulkReply {
  return { kind: "bulk", value };
}

/** An array reply. */
export function array(items: readonly Reply[]): ArrayReply {
  return { kind: "array", items };
}

/** A map reply from key/value pairs (order kept). */
export function map(entries: readonly (readonly [Reply, Reply])[]): MapReply {
  return { kind: "map", entries };
}

/** A set reply. */
export function set(items: readonly Reply[]): SetReply {
  return { kind: "set", items };
}

/** A push reply (Pub/Sub messages and confirmations). */
export function push(items: readonly Reply[]): PushReply {
  return { kind: "push", items };
}

/** A verbatim string; `format` must be 3 bytes (`txt`, `mkd`). */
export function verbatim(value: ReplyText, format = "txt"): VerbatimReply {
  return { kind: "verbatim", format, value };
}

/** A double reply. */
export function double(value: number): DoubleReply {
  return { kind: "double", value };
}

/** A boolean reply. */
export function boolean(value: boolean): BooleanReply {
  return { kind: "boolean", value };
}

/** `+OK`. */
export const OK: SimpleReply = simple("OK");

/** The null bulk string (`$-1` / `_`). */
export const NULL: NullReply = { kind: "null" };

/** The null array (`*-1` / `_`). */
export const NULL_ARRAY: NullArrayReply = { kind: "null-array" };

/** An array of bulk strings: the shape of most list-like Sentinel replies. */
export function bulkArray(values: readonly ReplyText[]): ArrayReply {
  return array(values.map(bulk));
}

/**
 * A map whose keys and values are bulk strings, from `[key, value]` pairs or a record. Sentinel's
 * instance maps are this shape (values are bulk even when numeric), so a record keeps call sites short.
 */
export function bulkMap(fields: Readonly<Record<string, ReplyText>> | readonly (readonly [ReplyText, ReplyText])[]): MapReply {
  const pairs: readonly (readonly [ReplyText, ReplyText])[] = Array.isArray(fields) ? fields : Object.entries(fields);
  // An indexed loop: instance maps (SENTINEL MASTER & co.) are built per request, 20+ pairs each.
  const entries = new Array<readonly [Reply, Reply]>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    entries[i] = [bulk(pair[0]), bulk(pair[1])];
  }
  return map(entries);
}

/** True for error replies; lets callers count errors without a switch. */
export function isError(reply: Reply): reply is ErrorReply {
  return reply.kind === "error";
}
