/** What replaces a secret, as Sentinel shows `auth-pass` in `+set` events. */
export const REDACTED = "******";

/** Keys whose string values are secrets wherever they appear (config names and engine field names). */
const SECRET_KEY = /^(auth-?pass|sentinel-?pass|requirepass|masterauth|pass|password|secret|webhook-?secret)$/i;

/**
 * Build a deep redactor for anything leaving the process for a debugging tool: values under
 * secret-looking keys are replaced, and so is every occurrence of a known secret value inside any
 * string (an INFO text or event payload that happens to echo a password is caught too).
 */
export function createRedactor(secrets: readonly (string | undefined)[]): <T>(value: T) => T {
  // Longest first, so a secret that contains another is replaced whole.
  const known = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length > 0))].sort((a, b) => b.length - a.length);
  const redactString = (s: string): string => {
    let out = s;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return redactString(v);
    if (v === null || typeof v !== "object" || depth > 32) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) && typeof x === "string" ? REDACTED : walk(x, depth + 1);
    return out;
  };
  return <T>(value: T): T => walk(value, 0) as T;
}
