const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const VT = 0x0b;
const FF = 0x0c;
const CR = 0x0d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;

/** C `isspace` in the "C" locale. */
function isSpace(b: number): boolean {
  return b === SPACE || b === TAB || b === LF || b === VT || b === FF || b === CR;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

/**
 * Splits an inline command line into arguments with the rules of Redis's `sdssplitargs`, so that
 * `redis-cli`-style and telnet input parses identically:
 * - arguments are separated by blanks (leading `\v`/`\f` are skipped, but only space, tab, CR and
 *   LF end a bare token);
 * - `"..."` supports `\xHH`, `\n`, `\r`, `\t`, `\b`, `\a` and `\<any>`; `'...'` supports only `\'`;
 * - a quote may start mid-token (`ab"cd"` is `abcd`), but a closing quote must be followed by a
 *   blank or the end of the line.
 * Returns `undefined` for unbalanced quotes (Redis then answers "unbalanced quotes in request").
 * The range must not contain NUL: the caller stops at one, as the C string functions do.
 * A bare token is `slice(from, to)` of the line: a copy unless the caller passes a cheaper slicer
 * (the request parser passes views of a chunk it borrowed, as for multibulk arguments).
 */
export function splitInlineArgs(line: Buffer, start = 0, end = line.length, slice: (from: number, to: number) => Buffer = (from, to) => Buffer.from(line.subarray(from, to))): Buffer[] | undefined {
  const at = (i: number): number => (i < end ? line[i]! : 0);
  const args: Buffer[] = [];
  let p = start;
  for (;;) {
    while (p < end && isSpace(line[p]!)) p++;
    if (p >= end) return args;
    // Fast path for a bare token (no quote in it), by far the most common: one slice copy.
    let q = p;
    while (q < end && !isBareTokenEnd(line[q]!)) q++;
    if (q >= end || (line[q] !== DQUOTE && line[q] !== SQUOTE)) {
      args.push(slice(p, q));
      p = q < end ? q + 1 : q;
      continue;
    }
    const token: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === BACKSLASH && at(p + 1) === 0x78 && hexValue(at(p + 2)) >= 0 && hexValue(at(p + 3)) >= 0) {
          token.push(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === BACKSLASH && p + 1 < end) {
          p++;
          token.push(escapedByte(line[p]!));
        } else if (c === DQUOTE) {
          if (p + 1 < end && !isSpace(line[p + 1]!)) return undefined;
          done = true;
        } else if (p >= end) {
          return undefined;
        } else {
          token.push(c);
        }
      } else if (inSingle) {
        if (c === BACKSLASH && at(p + 1) === SQUOTE) {
          p++;
          token.push(SQUOTE);
        } else if (c === SQUOTE) {
          if (p + 1 < end && !isSpace(line[p + 1]!)) return undefined;
          done = true;
        } else if (p >= end) {
          return undefined;
        } else {
          token.push(c);
        }
      } else if (p >= end || c === SPACE || c === LF || c === CR || c === TAB) {
        done = true;
      } else if (c === DQUOTE) {
        inDouble = true;
      } else if (c === SQUOTE) {
        inSingle = true;
      } else {
        token.push(c);
      }
      if (p < end) p++;
    }
    args.push(Buffer.from(token));
  }
}

/** What ends the unquoted start of a token: a separator, or a quote (then the slow path runs). */
function isBareTokenEnd(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB || c === DQUOTE || c === SQUOTE;
}

/** The byte a backslash escape inside double quotes stands for. */
function escapedByte(c: number): number {
  switch (c) {
    case 0x6e:
      return LF; // \n
    case 0x72:
      return CR; // \r
    case 0x74:
      return TAB; // \t
    case 0x62:
      return 0x08; // \b
    case 0x61:
      return 0x07; // \a
    default:
      return c;
  }
}
