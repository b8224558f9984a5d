import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BulkField, BulkFieldList, BulkFieldMap, BulkKey, PairMemo } from "../src/resp/bulk-fields.js";
import { encodeReply, encodeReplyInto, ReplySink } from "../src/resp/encoder.js";
import { createRequestParser } from "../src/resp/parser.js";
import { array, bulk, bulkArray, bulkMap, integer, type Reply, simple } from "../src/resp/reply.js";
import { splitInlineArgs } from "../src/resp/split-args.js";
import { parseRedisIntegerBytes, parseRedisIntegerBytesAsNumber } from "../src/resp/string-to-integer.js";
import { argText } from "../src/server/arg-text.js";
import { asciiLower, binaryToUtf8 } from "../src/server/byte-string.js";
import { createSentinelCommandTable } from "../src/server/command-table.js";
import { FlushQueue } from "../src/server/flush-queue.js";
import { NameIndex } from "../src/server/name-index.js";

// The request path's fast paths must agree with the slow, obviously-correct code they bypass.

/** Bytes biased towards what integer headers and command names are made of. */
const headerBytes = fc.array(fc.constantFrom(0x2d, 0x30, 0x31, 0x39, 0x35, 0x2b, 0x20, 0x41, 0x61, 0xff), { maxLength: 24 }).map((a) => Buffer.from(a));

describe("parseRedisIntegerBytesAsNumber", () => {
  it("agrees with the BigInt string2ll on any bytes", () => {
    fc.assert(
      fc.property(fc.oneof(headerBytes, fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map((n) => Buffer.from(String(n)))), (b) => {
        const big = parseRedisIntegerBytes(b, 0, b.length);
        expect(parseRedisIntegerBytesAsNumber(b, 0, b.length)).toBe(big === undefined ? undefined : Number(big));
      }),
    );
  });

  it("rejects the non-canonical spellings string2ll rejects", () => {
    for (const bad of ["", "-", "-0", "01", "+1", " 1", "1 ", "1a", "00"]) {
      expect(parseRedisIntegerBytesAsNumber(Buffer.from(bad), 0, bad.length), bad).toBeUndefined();
    }
    expect(parseRedisIntegerBytesAsNumber(Buffer.from("*3\r\n"), 1, 2)).toBe(3);
  });
});

describe("asciiLower", () => {
  it("folds only A-Z, like the regex it replaces", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        expect(asciiLower(s)).toBe(s.replace(/[A-Z]+/g, (m) => m.toLowerCase()));
      }),
    );
    expect(asciiLower("SENTINEL\xc0")).toBe("sentinel\xc0");
  });

  it("binaryToUtf8 is the latin1 → UTF-8 round trip", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (a) => {
        const s = Buffer.from(a).toString("latin1");
        expect(binaryToUtf8(s)).toBe(Buffer.from(s, "latin1").toString("utf8"));
      }),
    );
  });
});

describe("NameIndex", () => {
  // `axbcd`/`aybcd` share length, first, middle and last byte: the same hash, told apart by the comparison.
  const names = ["ping", "sentinel", "client", "get-master-addr-by-name", "acl", "a", "axbcd", "aybcd"];
  const index = new NameIndex(names.map((n) => [n, n] as const));

  it("finds names case-insensitively from bytes, like a Map of lower-cased strings", () => {
    const map = new Map(names.map((n) => [n, n]));
    const candidates = fc.oneof(
      fc.constantFrom(...names).chain((n) => fc.array(fc.boolean(), { minLength: n.length, maxLength: n.length }).map((up) => [...n].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(""))),
      fc.string({ unit: "binary", maxLength: 30 }),
    );
    fc.assert(
      fc.property(candidates, (s) => {
        // latin1 keeps only the low byte of each code unit ("孁" is 0x41, "A"): the oracle must see
        // exactly the bytes the index sees.
        const bytes = Buffer.from(s, "latin1");
        expect(index.get(bytes)).toBe(map.get(asciiLower(bytes.toString("latin1"))));
      }),
    );
  });

  it("does not fold non-ASCII bytes or match across a NUL", () => {
    expect(index.get(Buffer.from("PING"))).toBe("ping");
    expect(index.get(Buffer.from("p\xc9ng", "latin1"))).toBeUndefined();
    expect(index.get(Buffer.from("ping\0", "latin1"))).toBeUndefined();
    expect(index.get(Buffer.alloc(0))).toBeUndefined();
  });

  it("backs the command table lookup, subcommands included", () => {
    const table = createSentinelCommandTable();
    expect(table.lookup([Buffer.from("SeNtInEl"), Buffer.from("GET-MASTER-ADDR-BY-NAME")])?.fullName).toBe("sentinel|get-master-addr-by-name");
    expect(table.lookup([Buffer.from("sentinel")])?.fullName).toBe("sentinel");
    expect(table.lookup([Buffer.from("sentinel"), Buffer.from("nope")])).toBeUndefined();
    expect(table.lookup([Buffer.from("PING"), Buffer.from("x")])?.fullName).toBe("ping");
    expect(table.lookup([Buffer.from("nope")])).toBeUndefined();
    expect(table.lookup([Buffer.from("client"), Buffer.from("SETINFO")])).toBeUndefined();
    expect(createSentinelCommandTable("redis-7.2").lookup([Buffer.from("client"), Buffer.from("SETINFO")])?.top).toBe("client");
  });
});

describe("argText", () => {
  it("is toString('utf8'), cached or not", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 40 }), (args) => {
        for (const a of [...args, ...args]) expect(argText(Buffer.from(a))).toBe(Buffer.from(a).toString("utf8"));
      }),
    );
  });

  it("tells apart arguments that differ only in bytes the slot hash skips", () => {
    const a = "cache-01-aaaaaaaaaaaaaaaa";
    const b = "cache-02-aaaaaaaaaaaaaaaa";
    for (let i = 0; i < 3; i++) {
      expect(argText(Buffer.from(a))).toBe(a);
      expect(argText(Buffer.from(b))).toBe(b);
    }
  });

  it("does not keep a view of the caller's buffer", () => {
    const chunk = Buffer.from("mymaster");
    expect(argText(chunk)).toBe("mymaster");
    chunk.write("yourmast");
    expect(argText(chunk)).toBe("yourmast");
    expect(argText(Buffer.from("mymaster"))).toBe("mymaster");
  });
});

describe("request parser zero-copy arguments", () => {
  it("hands out views that are Buffers in every respect", () => {
    const p = createRequestParser();
    p.feed(Buffer.from("*2\r\n$4\r\nPING\r\n$3\r\nabc\r\n"));
    const r = p.next();
    const [name, arg] = r.kind === "command" ? r.args : [];
    expect(Buffer.isBuffer(arg)).toBe(true);
    expect(arg instanceof Buffer).toBe(true);
    expect(arg?.constructor).toBe(Buffer);
    expect(arg).toEqual(Buffer.from("abc"));
    expect(arg?.equals(Buffer.from("abc"))).toBe(true);
    expect(arg?.toString("latin1")).toBe("abc");
    expect(arg?.subarray(1).toString()).toBe("bc");
    expect(arg?.indexOf(0x63)).toBe(2);
    expect(Buffer.concat([name!, arg!]).toString()).toBe("PINGabc");
    expect(Buffer.from(arg!)).toEqual(Buffer.from("abc"));
  });

  it("keeps earlier arguments intact while later chunks are fed and compacted", () => {
    const parser = createRequestParser();
    const first = Buffer.from("*2\r\n$4\r\nPING\r\n$5\r\nhello\r\n*2\r\n$4\r\nECHO\r\n$3\r\nab");
    parser.feed(first);
    const a = parser.next();
    expect(a.kind).toBe("command");
    expect(parser.next().kind).toBe("incomplete");
    // The rest arrives in pieces: the pending tail moves out of `first`, which is never written to.
    const before = Buffer.from(first);
    for (const piece of ["c\r", "\n*1\r\n$4\r\n", "PING\r\n"]) parser.feed(Buffer.from(piece));
    expect(first.equals(before)).toBe(true);
    const b = parser.next();
    const c = parser.next();
    expect(a.kind === "command" && a.args.map(String)).toEqual(["PING", "hello"]);
    expect(b.kind === "command" && b.args.map(String)).toEqual(["ECHO", "abc"]);
    expect(c.kind === "command" && c.args.map(String)).toEqual(["PING"]);
  });
});

describe("splitInlineArgs bare-token fast path", () => {
  it("agrees with a token-by-token reference on quote-free lines", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0x20, 0x09, 0x0b, 0x0c, 0x0d, 0x41, 0x62, 0x5c, 0xff), { maxLength: 30 }), (bytes) => {
        const line = Buffer.from(bytes);
        // sdssplitargs on quote-free input: skip isspace, then a token runs to space/tab/CR/LF.
        const expected: string[] = [];
        let p = 0;
        for (;;) {
          while (p < line.length && [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d].includes(line[p]!)) p++;
          if (p >= line.length) break;
          let q = p;
          while (q < line.length && ![0x20, 0x09, 0x0a, 0x0d].includes(line[q]!)) q++;
          expected.push(line.toString("latin1", p, q));
          p = q + 1;
        }
        expect(splitInlineArgs(line)?.map((b) => b.toString("latin1"))).toEqual(expected);
      }),
    );
  });

  it("still parses quotes that start mid-token", () => {
    expect(splitInlineArgs(Buffer.from('set ab"c d" x'))?.map(String)).toEqual(["set", "abc d", "x"]);
  });
});

describe("ReplySink", () => {
  const anyText = fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }), fc.string({ maxLength: 200 }));

  it("writes bulk strings as their UTF-8 bytes, whatever the text (lone surrogates included)", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const body = Buffer.from(s, "utf8");
        expect(encodeReply(bulk(s), 2)).toEqual(Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from("\r\n")]));
        expect(encodeReply(simple(s), 3)).toEqual(Buffer.from(`+${s.replace(/[\r\n]/g, " ")}\r\n`, "utf8"));
      }),
    );
    for (const s of ["\ud800", "a\udc00b", "é\ud83d", "x\ud83d\ude00y", "\u00ff"]) {
      expect(encodeReply(bulk(s), 2).toString("latin1")).toBe(`$${Buffer.byteLength(s)}\r\n${Buffer.from(s).toString("latin1")}\r\n`);
    }
  });

  it("gives the same bytes for a batch as the replies encoded one by one, across takes and growth", () => {
    const reply: fc.Arbitrary<Reply> = fc.oneof(
      anyText.map(bulk),
      anyText.map(simple),
      fc.integer().map(integer),
      fc.uint8Array({ maxLength: 40 }).map((a) => bulk(Buffer.from(a))),
      fc.array(fc.tuple(anyText, anyText), { maxLength: 25 }).map((pairs) => bulkMap(pairs)),
      fc.array(fc.string({ maxLength: 5000 }), { maxLength: 8 }).map((xs) => array(xs.map(bulk))),
    );
    const sink = new ReplySink();
    fc.assert(
      fc.property(fc.array(fc.tuple(reply, fc.constantFrom<2 | 3>(2, 3)), { maxLength: 20 }), (batch) => {
        for (const [r, proto] of batch) encodeReplyInto(sink, r, proto);
        expect(sink.byteLength()).toBe(batch.reduce((n, [r, proto]) => n + encodeReply(r, proto).length, 0));
        expect(sink.take()).toEqual(Buffer.concat(batch.map(([r, proto]) => encodeReply(r, proto))));
        expect(sink.empty).toBe(true);
      }),
    );
  });

  it("hands out buffers that later batches do not overwrite", () => {
    const sink = new ReplySink();
    sink.str("first");
    const first = sink.take();
    sink.str("other");
    sink.take();
    expect(first.toString()).toBe("first");
  });
});

describe("flat bulk replies (SENTINEL MASTER & co.)", () => {
  const anyText = fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }));
  const anyNumber = fc.oneof(
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double(),
    fc.constantFrom(0, -0, 2 ** 53, -(2 ** 53), 1e21, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60),
  );
  const field: fc.Arbitrary<BulkField> = fc.oneof(anyText, anyNumber, anyText.map((t) => new BulkKey(t)));
  const text = (f: BulkField): string => (typeof f === "number" ? String(f) : typeof f === "string" ? f : f.text);

  it("encode exactly as bulkMap / bulkArray of the fields' text, in RESP2 and RESP3", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field), { maxLength: 25 }), (pairs) => {
        const flat = pairs.flat();
        const generic = bulkMap(pairs.map(([k, v]) => [text(k), text(v)] as const));
        const list = bulkArray(flat.map(text));
        for (const proto of [2, 3] as const) {
          expect(encodeReply(new BulkFieldMap(flat), proto)).toEqual(encodeReply(generic, proto));
          expect(encodeReply(new BulkFieldList(flat), proto)).toEqual(encodeReply(list, proto));
        }
        expect(new BulkFieldMap(flat).entries).toEqual(generic.entries);
        expect(new BulkFieldList(flat).items).toEqual(list.items);
      }),
    );
  });

  it("encode the same with a pair memo, whatever changed since the memo was filled", () => {
    const keys = [new BulkKey("name", 900), new BulkKey("port", 901), new BulkKey("when"), new BulkKey("ip", 902)];
    const value: fc.Arbitrary<BulkField> = fc.oneof(fc.constantFrom<BulkField>("m", "n", 1, 2, "1", -0, 0, Number.NaN, new BulkKey("master")), field);
    const map = fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 8 }).map((pairs) => pairs.flat());
    fc.assert(
      fc.property(fc.array(map, { minLength: 1, maxLength: 6 }), (maps) => {
        const memo = new PairMemo();
        for (const flat of maps) {
          const generic = bulkMap(new BulkFieldMap(flat).entries.map(([k, v]) => [String((k as { value: string }).value), String((v as { value: string }).value)] as const));
          for (const proto of [2, 3] as const) expect(encodeReply(new BulkFieldMap(flat, memo), proto)).toEqual(encodeReply(generic, proto));
        }
      }),
    );
  });

  it("write integer replies like the text path did", () => {
    const old = (v: number) => `:${Number.isFinite(v) ? Math.trunc(v).toString() : "0"}\r\n`;
    fc.assert(
      fc.property(anyNumber, (v) => {
        expect(encodeReply(integer(v), 2).toString("latin1")).toBe(old(v));
      }),
    );
  });
});

describe("FlushQueue", () => {
  it("flushes every connection queued in a turn once, in order, after the turn", async () => {
    const q = new FlushQueue();
    const seen: string[] = [];
    q.add({ flushQueued: () => seen.push("a") });
    q.add({ flushQueued: () => seen.push("b") });
    await Promise.resolve();
    expect(seen).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(["a", "b"]);
    q.add({ flushQueued: () => seen.push("c") });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(["a", "b", "c"]);
  });
});
