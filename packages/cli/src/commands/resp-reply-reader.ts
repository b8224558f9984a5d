/** A decoded RESP2/RESP3 reply, as much as the companion commands need to print one. */
export type PlainReply =
  | { readonly kind: "text"; readonly value: string }
  | { readonly kind: "error"; readonly value: string }
  | { readonly kind: "null" }
  | { readonly kind: "array"; readonly items: readonly PlainReply[] };

/**
 * Incremental RESP reply reader for the companion commands. Self-contained on purpose: importing
 * the transport package would load ioredis and the whole server for a one-line question. Maps and
 * sets are read as flat arrays, numbers and booleans as text.
 */
export class RespReplyReader {
  private buf: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** The next complete reply, or undefined until more bytes arrive. */
  next(): PlainReply | undefined {
    const r = this.read(0);
    if (!r) return undefined;
    this.buf = this.buf.subarray(r.end);
    return r.value;
  }

  private read(at: number): { value: PlainReply; end: number } | undefined {
    const eol = this.buf.indexOf("\r\n", at);
    if (eol < 0) return undefined;
    const type = String.fromCharCode(this.buf[at]!);
    const line = this.buf.toString("utf8", at + 1, eol);
    const after = eol + 2;
    switch (type) {
      case "+":
      case ":":
      case ",":
      case "#":
      case "(":
        return { value: { kind: "text", value: line }, end: after };
      case "-":
        return { value: { kind: "error", value: line }, end: after };
      case "_":
        return { value: { kind: "null" }, end: after };
      case "$":
      case "=":
      case "!": {
        const len = Number(line);
        if (len < 0) return { value: { kind: "null" }, end: after };
        if (this.buf.length < after + len + 2) return undefined;
        const text = this.buf.toString("utf8", after, after + len);
        const value = type === "!" ? { kind: "error" as const, value: text } : { kind: "text" as const, value: type === "=" ? text.slice(4) : text };
        return { value, end: after + len + 2 };
      }
      case "*":
      case "~":
      case ">":
      case "%": {
        const n = Number(line);
        if (n < 0) return { value: { kind: "null" }, end: after };
        const count = type === "%" ? 2 * n : n;
        const items: PlainReply[] = [];
        let pos = after;
        for (let i = 0; i < count; i++) {
          const r = this.read(pos);
          if (!r) return undefined;
          items.push(r.value);
          pos = r.end;
        }
        return { value: { kind: "array", items }, end: pos };
      }
      default:
        throw new Error(`not a RESP reply (type byte '${type}')`);
    }
  }
}
