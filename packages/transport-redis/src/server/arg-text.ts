/**
 * UTF-8 decoding of command arguments for the delegated handlers, through a small direct-mapped
 * cache. Clients repeat the same short arguments (`SENTINEL`, `get-master-addr-by-name`, a master
 * name) on every request; hashing and comparing a few bytes is cheaper than a native decode and a
 * new string each time, and the handlers' map lookups then hit strings whose hash is already known.
 */

const SLOTS = 256;
/** Longer arguments (hello payloads, scripts) are decoded directly and never cached. */
const MAX_CACHED = 64;

const keys: (Buffer | undefined)[] = new Array<Buffer | undefined>(SLOTS).fill(undefined);
const texts: string[] = new Array<string>(SLOTS).fill("");

/** `arg.toString("utf8")`, cached for short arguments. */
export function argText(arg: Buffer): string {
  const length = arg.length;
  if (length > MAX_CACHED) return arg.toString();
  const at = slotOf(arg, length);
  const key = keys[at];
  if (key !== undefined && key.length === length && sameBytes(key, arg, length)) return texts[at]!;
  const text = arg.toString();
  // A copy: `arg` may be a view of a whole socket chunk, which the cache must not keep alive.
  keys[at] = Buffer.from(arg);
  texts[at] = text;
  return text;
}

/**
 * The cache slot: a hash of the length and of up to 8 bytes spread over the argument. Every byte
 * is compared on a hit anyway; hashing them all as well would scan each argument twice.
 */
function slotOf(arg: Buffer, length: number): number {
  let h = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  const step = length > 8 ? length >> 3 : 1;
  for (let i = length - 1; i >= 0; i -= step) h = Math.imul(h ^ arg[i]!, 0x01000193);
  return (h ^ (h >>> 13)) & (SLOTS - 1);
}

function sameBytes(a: Buffer, b: Buffer, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}
