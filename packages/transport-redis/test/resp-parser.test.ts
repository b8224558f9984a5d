import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRequestParser, type ParseResult, type RequestParser } from "../src/resp/parser.js";
import { splitInlineArgs } from "../src/resp/split-args.js";
import { parseRedisInteger } from "../src/resp/string-to-integer.js";

const text = (s: string): Buffer => Buffer.from(s, "latin1");

/** Everything the parser yields for `input` fed in one go. */
function parseAll(input: Buffer | string, parser: RequestParser = createRequestParser()): ParseResult[] {
  parser.feed(typeof input === "string" ? text(input) : input);
  const out: ParseResult[] = [];
  for (;;) {
    const r = parser.next();
    out.push(r);
    if (r.kind !== "command") return out;
  }
}

const commands = (rs: ParseResult[]): string[][] =>
  rs.flatMap((r) => (r.kind === "command" ? [r.args.map((a) => a.toString("latin1"))] : []));
const errorText = (rs: ParseResult[]): string | undefined => {
  const last = rs[rs.length - 1];
  return last?.kind === "error" ? (last.reply.value as Buffer).toString("latin1") : undefined;
};

function multibulk(args: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [text(`*${args.length}\r\n`)];
  for (const a of args) parts.push(text(`$${a.length}\r\n`), a, text("\r\n"));
  return Buffer.concat(parts);
}

/** Splits `b` at the given (sorted, deduplicated) cut points. */
function cut(b: Buffer, points: number[]): Buffer[] {
  const sorted = [...new Set(points.map((p) => p % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of sorted) {
    out.push(b.subarray(prev, p));
    prev = p;
  }
  out.push(b.subarray(prev));
  return out;
}

describe("parseRedisInteger (string2ll)", () => {
  it("accepts canonical decimals only", () => {
    expect(parseRedisInteger("0")).toBe(0n);
    expect(parseRedisInteger("-12")).toBe(-12n);
    expect(parseRedisInteger("9223372036854775807")).toBe(9223372036854775807n);
    expect(parseRedisInteger("-9223372036854775808")).toBe(-9223372036854775808n);
    for (const bad of ["", "-", "+1", "01", "-0", " 1", "1 ", "1.0", "9223372036854775808", "0x10", "１"]) {
      expect(parseRedisInteger(bad), bad).toBeUndefined();
    }
  });
});

describe("multibulk requests", () => {
  it("parses pipelined commands and skips empty ones", () => {
    const rs = parseAll("*1\r\n$4\r\nPING\r\n*0\r\n*-1\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
    expect(commands(rs)).toEqual([["PING"], ["ECHO", ""]]);
    expect(rs[rs.length - 1]!.kind).toBe("incomplete");
  });

  it("is binary-safe", () => {
    const arg = Buffer.from([0, 13, 10, 0xff, 0x2a, 0x24]);
    const rs = parseAll(multibulk([text("SET"), arg]));
    expect(rs[0]!.kind === "command" && rs[0].args[1]!.equals(arg)).toBe(true);
  });

  it("does not check the two bytes after a bulk payload, like Redis", () => {
    expect(commands(parseAll("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"))).toEqual([["PING"], ["PING"]]);
  });

  it.each([
    ["*abc\r\n", "Protocol error: invalid multibulk length"],
    ["*2147483648\r\n", "Protocol error: invalid multibulk length"],
    ["*+1\r\n", "Protocol error: invalid multibulk length"],
    ["*-0\r\n", "Protocol error: invalid multibulk length"],
    ["*\r\n", "Protocol error: invalid multibulk length"],
    ["*1\r\nx\r\n", "Protocol error: expected '$', got 'x'"],
    ["*1\r\n\xff\r\n", "Protocol error: expected '$', got '\xff'"],
    ["*1\r\n$-1\r\n", "Protocol error: invalid bulk length"],
    ["*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"],
    ["*1\r\n$04\r\n", "Protocol error: invalid bulk length"],
  ])("%j → -ERR %s", (input, message) => {
    expect(errorText(parseAll(input))).toBe(`ERR ${message}`);
  });

  it("accepts up to INT_MAX arguments and 512 MiB bulks by default (waits for the data)", () => {
    expect(parseAll("*2147483647\r\n").at(-1)!.kind).toBe("incomplete");
    expect(parseAll("*1\r\n$536870912\r\n").at(-1)!.kind).toBe("incomplete");
  });

  it("applies a configured bulk limit", () => {
    const p = createRequestParser({ maxBulkLength: 10 });
    expect(errorText(parseAll("*1\r\n$11\r\n", p))).toBe("ERR Protocol error: invalid bulk length");
  });

  it("has Redis's tighter limits before authentication", () => {
    const p1 = createRequestParser();
    p1.feed(text("*11\r\n"));
    const r1 = p1.next(true);
    expect(r1.kind === "error" && r1.reply.value.toString()).toBe("ERR Protocol error: unauthenticated multibulk length");
    const p2 = createRequestParser();
    p2.feed(text("*1\r\n$16385\r\n"));
    const r2 = p2.next(true);
    expect(r2.kind === "error" && r2.reply.value.toString()).toBe("ERR Protocol error: unauthenticated bulk length");
    const p3 = createRequestParser();
    p3.feed(text("*10\r\n$16384\r\n"));
    expect(p3.next(true).kind).toBe("incomplete");
  });

  it("errors on headers longer than 64 KiB without a CR", () => {
    expect(errorText(parseAll(`*${"1".repeat(70000)}`))).toBe("ERR Protocol error: too big mbulk count string");
    expect(errorText(parseAll(`*1\r\n$${"1".repeat(70000)}`))).toBe("ERR Protocol error: too big bulk count string");
  });

  it("cannot see a terminator behind a NUL (C strchr semantics)", () => {
    expect(parseAll("*1\0\r\n$4\r\nPING\r\n").at(-1)!.kind).toBe("incomplete");
  });

  it("stays failed after an error", () => {
    const p = createRequestParser();
    p.feed(text("*x\r\n"));
    expect(p.next().kind).toBe("error");
    p.feed(text("*1\r\n$4\r\nPING\r\n"));
    expect(p.next().kind).toBe("error");
  });

  it("round-trips any commands split into any chunks (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (cmds, points) => {
          const argsList = cmds.map((c) => c.map((a) => Buffer.from(a)));
          const wire = Buffer.concat(argsList.map(multibulk));
          const p = createRequestParser();
          const got: Buffer[][] = [];
          for (const chunk of cut(wire, points)) {
            p.feed(chunk);
            for (let r = p.next(); r.kind === "command"; r = p.next()) got.push(r.args);
          }
          expect(got.length).toBe(argsList.length);
          got.forEach((args, i) => {
            expect(args.length).toBe(argsList[i]!.length);
            args.forEach((a, j) => expect(a.equals(argsList[i]![j]!)).toBe(true));
          });
          expect(p.pendingBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("inline requests", () => {
  it.each([
    ["PING\r\n", [["PING"]]],
    ["PING\n", [["PING"]]],
    ["  PING   a\tb \r\n", [["PING", "a", "b"]]],
    ["\r\n\r\nPING\n", [["PING"]]],
    ["PING a\vb\r\n", [["PING", "a\vb"]]],
    ["PING \v\fa\r\n", [["PING", "a"]]],
    ['PING ab"cd"\r\n', [["PING", "abcd"]]],
    ['PING "\\x41\\n"\r\n', [["PING", "A\n"]]],
    ['PING "\\x4"\r\n', [["PING", "x4"]]],
    ['PING "\\q\\\\"\r\n', [["PING", "q\\"]]],
    ['PING "a\\tb\\r\\a\\b"\r\n', [["PING", "a\tb\r\x07\x08"]]],
    ["PING 'a\\'b'\r\n", [["PING", "a'b"]]],
    ["PING 'a\\nb'\r\n", [["PING", "a\\nb"]]],
    ['PING ""\r\n', [["PING", ""]]],
    ['PING "a"\t\r\n', [["PING", "a"]]],
    ["PING a\r\nPING b\r\n", [["PING", "a"], ["PING", "b"]]],
  ])("%j", (input, expected) => {
    expect(commands(parseAll(input))).toEqual(expected);
  });

  it.each(['PING "a\r\n', 'PING "a"b\r\n', "PING 'a\r\n", "PING 'a'b\r\n"])("unbalanced quotes: %j", (input) => {
    expect(errorText(parseAll(input))).toBe("ERR Protocol error: unbalanced quotes in request");
  });

  it("errors on an inline line over 64 KiB", () => {
    expect(errorText(parseAll("PING ".padEnd(65 * 1024, "a")))).toBe("ERR Protocol error: too big inline request");
    expect(parseAll("PING ".padEnd(60 * 1024, "a")).at(-1)!.kind).toBe("incomplete");
  });

  it("waits forever for a newline hidden behind a NUL, like Redis", () => {
    expect(parseAll("PING\0\r\n").at(-1)!.kind).toBe("incomplete");
    // ...also when the newline arrives in a later chunk than the NUL...
    const p = createRequestParser();
    p.feed(text("PING\0"));
    expect(p.next().kind).toBe("incomplete");
    p.feed(text("\r\nPING\r\n"));
    expect(p.next().kind).toBe("incomplete");
    // ...until the line exceeds the inline limit.
    p.feed(Buffer.alloc(70 * 1024, 0x61));
    const r = p.next();
    expect(r.kind === "error" && r.reply.value.toString()).toBe("ERR Protocol error: too big inline request");
  });

  it("splitInlineArgs agrees with a simple split for plain words (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zA-Z0-9_:*|.-]{1,12}$/), { minLength: 1, maxLength: 8 }), (words) => {
        const args = splitInlineArgs(text(words.join("  ")));
        expect(args?.map((a) => a.toString("latin1"))).toEqual(words);
      }),
    );
  });

  it("quoting with \\xHH round-trips arbitrary bytes (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { minLength: 1, maxLength: 5 }), (args) => {
        const line = args.map((a) => `"${[...a].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}"`).join(" ");
        const got = splitInlineArgs(text(line));
        expect(got?.length).toBe(args.length);
        got?.forEach((g, i) => expect(g.equals(Buffer.from(args[i]!))).toBe(true));
      }),
    );
  });
});

describe("hostile input", () => {
  it("never throws on random bytes in random chunks, and never reports more pending bytes than it got (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(...["*", "$", "\r\n", "*3\r\n", "$-1\r\n", '"', "'", "\\x", "\0"].map((s) => new Uint8Array(text(s))))), { maxLength: 40 }),
        fc.boolean(),
        (chunks, auth) => {
          const p = createRequestParser({ maxBulkLength: 1000 });
          let fed = 0;
          for (const c of chunks) {
            p.feed(Buffer.from(c));
            fed += c.length;
            for (let r = p.next(auth); r.kind === "command"; r = p.next(auth)) {
              expect(r.args.length).toBeGreaterThan(0);
            }
            expect(p.pendingBytes).toBeLessThanOrEqual(fed);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("handles a large bulk delivered byte-chunk by byte-chunk in linear time", () => {
    const payload = Buffer.alloc(4 * 1024 * 1024, 0x61);
    const wire = multibulk([text("X"), payload]);
    const p = createRequestParser();
    const started = Date.now();
    let got: Buffer[] | undefined;
    for (let i = 0; i < wire.length; i += 1024) {
      p.feed(wire.subarray(i, i + 1024));
      const r = p.next();
      if (r.kind === "command") got = r.args;
    }
    expect(got?.[1]?.length).toBe(payload.length);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
