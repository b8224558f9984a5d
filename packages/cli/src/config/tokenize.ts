/**
 * Redis's config-line quoting rules (`sdssplitargs` to read, `sdscatrepr` to write), reproduced
 * byte for byte so a file is split into the same arguments by Vigil and by `redis-sentinel`.
 *
 * Config files are bytes; a `\xHH` escape yields one raw byte. Tokens are therefore assembled as
 * UTF-8 bytes and decoded at the end, so `"caf\xc3\xa9"` and `café` both read as `café`.
 */

/** Outcome of {@link tokenize}: the arguments, or the one way a line can fail to split. */
export type TokenizeResult =
  | { readonly ok: true; readonly args: string[] }
  | { readonly ok: false; readonly error: "unbalanced-quotes" };

const decoder = new TextDecoder("utf-8");

/** C `isspace` in the C locale: what `sdssplitargs` skips between tokens and accepts after a quote. */
function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";
}

function hexValue(c: string | undefined): number {
  if (c === undefined || !/^[0-9a-fA-F]$/.test(c)) return -1;
  return Number.parseInt(c, 16);
}

/** Append the UTF-8 encoding of one code point. */
function pushUtf8(bytes: number[], cp: number): void {
  if (cp < 0x80) bytes.push(cp);
  else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/**
 * Split one config line into arguments exactly like Redis's `sdssplitargs`.
 *
 * - Unquoted text ends at space, tab, CR, LF (or NUL); a quote inside a word opens a quoted part.
 * - `"..."` understands `\n \r \t \b \a`, `\xHH` (two hex digits) and `\<any>` = that character.
 * - `'...'` understands only `\'`.
 * - A closing quote must be followed by whitespace or the end of the line; an unterminated quote
 *   is an error (Redis: `Unbalanced quotes in configuration line`).
 */
export function tokenize(line: string): TokenizeResult {
  // A NUL ends a C string: nothing after it exists for Redis.
  const nul = line.indexOf("\0");
  const text = nul >= 0 ? line.slice(0, nul) : line;
  // Fast path, same result: without quotes (and without \v \f, which separate tokens only between
  // them, or surrogates, which the byte path re-encodes) a line is plain words between spaces, tabs, CR and LF. Keeps a hostile megabyte-long value
  // (SENTINEL SET ... rename-command) from costing seconds at every config rewrite check.
  if (!/["'\v\f\uD800-\uDFFF]/.test(text)) return { ok: true, args: text.split(/[ \t\n\r]+/).filter((a) => a !== "") };
  const chars = Array.from(text);
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (i < chars.length && isSpace(chars[i])) i++;
    if (i >= chars.length) return { ok: true, args };
    const bytes: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = chars[i];
      if (inDouble) {
        if (c === undefined) return { ok: false, error: "unbalanced-quotes" };
        const h1 = hexValue(chars[i + 2]);
        const h2 = hexValue(chars[i + 3]);
        if (c === "\\" && chars[i + 1] === "x" && h1 >= 0 && h2 >= 0) {
          bytes.push(h1 * 16 + h2);
          i += 3;
        } else if (c === "\\" && chars[i + 1] !== undefined) {
          i++;
          const e = chars[i]!;
          const mapped = e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "b" ? "\b" : e === "a" ? "\x07" : e;
          pushUtf8(bytes, mapped.codePointAt(0)!);
        } else if (c === '"') {
          if (i + 1 < chars.length && !isSpace(chars[i + 1])) return { ok: false, error: "unbalanced-quotes" };
          done = true;
        } else {
          pushUtf8(bytes, c.codePointAt(0)!);
        }
      } else if (inSingle) {
        if (c === undefined) return { ok: false, error: "unbalanced-quotes" };
        if (c === "\\" && chars[i + 1] === "'") {
          i++;
          bytes.push(0x27);
        } else if (c === "'") {
          if (i + 1 < chars.length && !isSpace(chars[i + 1])) return { ok: false, error: "unbalanced-quotes" };
          done = true;
        } else {
          pushUtf8(bytes, c.codePointAt(0)!);
        }
      } else if (c === undefined || c === " " || c === "\n" || c === "\r" || c === "\t") {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        pushUtf8(bytes, c.codePointAt(0)!);
      }
      if (i < chars.length) i++;
    }
    args.push(decoder.decode(new Uint8Array(bytes)));
  }
}

const encoder = new TextEncoder();

/**
 * Redis's `sdscatrepr`: always double-quoted, `\\ \" \n \r \t \a \b` escaped, every other byte
 * outside printable ASCII written as `\xhh`. Redis uses it for `announce-ip`, `dir` and command-line
 * overrides; use it where the byte-exact Redis spelling matters.
 */
export function reprArg(value: string): string {
  let out = '"';
  for (const b of encoder.encode(value)) {
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x07) out += "\\a";
    else if (b === 0x08) out += "\\b";
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += "\\x" + b.toString(16).padStart(2, "0");
  }
  return out + '"';
}

/**
 * Write one argument so {@link tokenize} (and Redis) reads it back unchanged: bare when it is a plain
 * word, otherwise {@link reprArg}. Quoting is needed for the empty string, whitespace, quotes and
 * control characters; non-ASCII text alone stays bare (it is just bytes to `sdssplitargs`).
 */
export function quoteArg(value: string): string {
  return value === "" || /[\s"'\x00-\x1f\x7f]/.test(value) ? reprArg(value) : value;
}

/** Join a directive and its arguments into one config line, quoting arguments only when needed. */
export function formatLine(args: readonly string[]): string {
  return args.map(quoteArg).join(" ");
}
