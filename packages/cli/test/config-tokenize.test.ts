import { atoi, strtoull } from "@vigil/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStrictInteger } from "../src/config/c-numbers.js";
import { commandLineOverrides, overrideLines } from "../src/config/overrides.js";
import { formatLine, quoteArg, reprArg, tokenize } from "../src/config/tokenize.js";

const split = (line: string): string[] | "error" => {
  const r = tokenize(line);
  return r.ok ? r.args : "error";
};

/** Strings without lone surrogates: config files are UTF-8 bytes, which cannot carry them. */
const wellFormed = (s: string): boolean => !/[\uD800-\uDFFF]/u.test(s);

/** Characters that exercise every quoting rule. */
const tricky = fc.constantFrom(" ", "\t", "\n", "\r", "\v", "\f", "\0", '"', "'", "\\", "x", "a", "#", "é", "😀", "\x07", "\b", "\x7f", "0", "f");

describe("tokenize (sdssplitargs)", () => {
  it("splits on blanks and skips leading/trailing whitespace", () => {
    expect(split("  sentinel   monitor\tm 127.0.0.1  6379 2 ")).toEqual(["sentinel", "monitor", "m", "127.0.0.1", "6379", "2"]);
    expect(split("")).toEqual([]);
    expect(split("   ")).toEqual([]);
  });

  it("understands double-quote escapes", () => {
    expect(split(String.raw`"a\nb\r\t\b\a\\\"\q"`)).toEqual(["a\nb\r\t\b\x07\\\"q"]);
    expect(split(String.raw`"\x41\x4a\x7e"`)).toEqual(["AJ~"]);
    // \x needs two hex digits, otherwise it is just `x`.
    expect(split(String.raw`"\xZ1"`)).toEqual(["xZ1"]);
    // Escaped bytes form UTF-8 together with the literal ones.
    expect(split(String.raw`"caf\xc3\xa9"`)).toEqual(["café"]);
    expect(split('"café"')).toEqual(["café"]);
  });

  it("single quotes only understand \\'", () => {
    expect(split(String.raw`'it\'s \n'`)).toEqual(["it's \\n"]);
  });

  it("joins quoted parts glued to a bare word, as Redis does", () => {
    expect(split('ab"c d"')).toEqual(["abc d"]);
    expect(split("x'y z'")).toEqual(["xy z"]);
  });

  it("rejects unbalanced quotes and text glued after a closing quote", () => {
    expect(split('"abc')).toBe("error");
    expect(split("'abc")).toBe("error");
    expect(split('"abc"d')).toBe("error");
    expect(split("'abc'd")).toBe("error");
    expect(split('"abc\\"')).toBe("error");
    expect(split('"a" "b"')).toEqual(["a", "b"]);
  });

  it("treats NUL as the end of the line", () => {
    expect(split("port 1\0 junk")).toEqual(["port", "1"]);
  });

  it("quoteArg leaves plain words bare and quotes the rest like sdscatrepr", () => {
    expect(quoteArg("mymaster")).toBe("mymaster");
    expect(quoteArg("p@ss\\w0rd")).toBe("p@ss\\w0rd");
    expect(quoteArg("café")).toBe("café");
    expect(quoteArg("")).toBe('""');
    expect(quoteArg("a b")).toBe('"a b"');
    expect(quoteArg('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(quoteArg("it's")).toBe('"it\'s"');
    expect(reprArg("é\x01")).toBe('"\\xc3\\xa9\\x01"');
    expect(formatLine(["sentinel", "auth-pass", "m", "two words"])).toBe('sentinel auth-pass m "two words"');
  });

  it("property: tokenize(quoteArg(...)) round-trips any argument list", () => {
    const arg = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: tricky })).filter(wellFormed);
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 6 }), (args) => {
        const line = args.map(quoteArg).join(" ");
        // The written line survives Redis's line handling: one line, nothing to trim.
        expect(line.includes("\n")).toBe(false);
        expect(line).toBe(line.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""));
        expect(split(line)).toEqual(args);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: reprArg always quotes and round-trips", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }).filter(wellFormed), (s) => {
        const r = reprArg(s);
        expect(r.startsWith('"') && r.endsWith('"')).toBe(true);
        expect(/^[\x20-\x7e]*$/.test(r)).toBe(true);
        expect(split(r)).toEqual([s]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("C number parsing", () => {
  it("atoi is lenient and truncates like glibc", () => {
    expect(atoi("5000ms")).toBe(5000);
    expect(atoi("abc")).toBe(0);
    expect(atoi("  -7")).toBe(-7);
    expect(atoi("+3")).toBe(3);
    expect(atoi("4294967296")).toBe(0);
    expect(atoi("99999999999999999999")).toBe(-1);
  });

  it("strtoull wraps negatives and saturates", () => {
    expect(strtoull("42")).toBe(42);
    expect(strtoull("x")).toBe(0);
    expect(strtoull("-1")).toBe(2 ** 64 - 1);
  });

  it("parseStrictInteger accepts only canonical integers", () => {
    expect(parseStrictInteger("26379")).toBe(26379);
    expect(parseStrictInteger("-1")).toBe(-1);
    expect(parseStrictInteger("0")).toBe(0);
    for (const bad of ["026379", "+1", " 1", "1 ", "1e3", "", "-0", "9223372036854775808"]) {
      expect(parseStrictInteger(bad)).toBeUndefined();
    }
  });
});

describe("command-line overrides", () => {
  it("groups arguments like Redis's main()", () => {
    expect(commandLineOverrides(["--port", "26380", "--sentinel", "announce-ip", "10.0.0.1"])).toEqual([
      ["port", "26380"],
      ["sentinel", "announce-ip", "10.0.0.1"],
    ]);
    expect(commandLineOverrides(["--port 26380", "--loglevel", "debug"])).toEqual([["port 26380"], ["loglevel", "debug"]]);
    // After a bare option name, the next word is its value even if it looks like an option.
    expect(commandLineOverrides(["--requirepass", "--secret"])).toEqual([["requirepass", "--secret"]]);
    expect(commandLineOverrides(["--sentinel", "--port", "1"])).toEqual([["sentinel"], ["port", "1"]]);
    expect(commandLineOverrides(["--save", "--port", "1"])).toEqual([["save", ""], ["port", "1"]]);
    expect(commandLineOverrides(["stray", "--port", "1"])).toEqual([["", "stray"], ["port", "1"]]);
  });

  it("renders override lines with sdscatrepr-quoted arguments", () => {
    expect(overrideLines([["port", "26380"], ["sentinel", "announce-ip", "a b"], ["save", ""]])).toEqual([
      'port "26380"',
      'sentinel "announce-ip" "a b"',
      'save ""',
    ]);
  });
});
