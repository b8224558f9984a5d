/**
 * Glob matching with the exact semantics of Redis's `stringmatchlen` (PSUBSCRIBE, COMMAND LIST
 * FILTERBY PATTERN, ACL channel patterns, SENTINEL RESET): `*`, `?`, `[...]` with `^` negation,
 * ranges (reversed ranges are swapped) and `\` escapes. An unterminated `[` matches as if closed.
 *
 * Both arguments are "byte strings": one char per byte (latin1), so channel names that are not
 * valid UTF-8 still match byte for byte. Case folding (`nocase`) is ASCII-only, like C's
 * `tolower` in the "C" locale.
 */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  const state = { skipLongerMatches: false };
  return matchFrom(pattern, 0, subject, 0, nocase, state, 0);
}

/** Redis caps the recursion on `*` to defuse pathological patterns (CVE-2022-36021). */
const MAX_NESTING = 1000;

interface MatchState {
  skipLongerMatches: boolean;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

/** C `char` is signed on the platforms Redis ships for: bytes ≥ 0x80 compare as negative in ranges. */
function signed(c: number): number {
  return c >= 0x80 ? c - 0x100 : c;
}

function matchFrom(pat: string, p: number, str: string, s: number, nocase: boolean, state: MatchState, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = pat.length;
  const slen = str.length;
  const pc = (i: number): number => (i < plen ? pat.charCodeAt(i) : 0);
  while (p < plen && s < slen) {
    const c = pat.charCodeAt(p);
    if (c === 0x2a /* * */) {
      while (p + 1 < plen && pat.charCodeAt(p + 1) === 0x2a) p++;
      if (p + 1 === plen) return true;
      while (s < slen) {
        if (matchFrom(pat, p + 1, str, s, nocase, state, nesting + 1)) return true;
        if (state.skipLongerMatches) return false;
        s++;
      }
      // Nothing after this star matches anywhere in the rest: longer matches of any earlier star
      // cannot help either, so every enclosing level can give up at once.
      state.skipLongerMatches = true;
      return false;
    }
    if (c === 0x3f /* ? */) {
      s++;
    } else if (c === 0x5b /* [ */) {
      p++;
      const not = pc(p) === 0x5e; /* ^ */
      if (not) p++;
      let match = false;
      const sc = str.charCodeAt(s);
      for (;;) {
        if (pc(p) === 0x5c /* \ */ && plen - p >= 2) {
          p++;
          if (pc(p) === sc) match = true;
        } else if (p < plen && pc(p) === 0x5d /* ] */) {
          break;
        } else if (p >= plen) {
          p--;
          break;
        } else if (plen - p >= 3 && pc(p + 1) === 0x2d /* - */) {
          let start = signed(pc(p));
          let end = signed(pc(p + 2));
          let ch = signed(sc);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          p += 2;
          if (ch >= start && ch <= end) match = true;
        } else if (nocase ? lower(pc(p)) === lower(sc) : pc(p) === sc) {
          match = true;
        }
        p++;
      }
      if (not) match = !match;
      if (!match) return false;
      s++;
    } else {
      if (c === 0x5c /* \ */ && plen - p >= 2) p++;
      const want = pc(p);
      const got = str.charCodeAt(s);
      if (nocase ? lower(want) !== lower(got) : want !== got) return false;
      s++;
    }
    p++;
    if (s === slen) {
      while (p < plen && pat.charCodeAt(p) === 0x2a) p++;
      break;
    }
  }
  return p === plen && s === slen;
}
