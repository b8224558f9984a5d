/**
 * Case-insensitive lookup of command names straight from the request bytes. Every command needs
 * its name (and a container's subcommand) looked up; decoding the bytes to a string and lower-casing
 * it costs two allocations and two native calls per name, this costs a short loop.
 */

/** Redis compares names with `strcasecmp`: only ASCII letters fold. A table: one load per byte. */
const FOLD = new Uint8Array(256).map((_, c) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c));

interface Slot<T> {
  /** The lower-case name's bytes (ASCII). */
  readonly name: Uint8Array;
  readonly value: T;
  readonly next: Slot<T> | undefined;
}

/** An immutable map from ASCII names to values, queried case-insensitively with raw bytes. */
export class NameIndex<T> {
  private readonly slots: (Slot<T> | undefined)[];
  private readonly mask: number;
  private readonly maxLength: number;

  /** `entries` are keyed by lower-case ASCII names (as the command table keys them). */
  constructor(entries: Iterable<readonly [string, T]>) {
    const list = [...entries];
    let size = 8;
    while (size < list.length * 2) size *= 2;
    this.slots = new Array<Slot<T> | undefined>(size).fill(undefined);
    this.mask = size - 1;
    let maxLength = 0;
    for (const [key, value] of list) {
      const name = Buffer.from(key, "latin1");
      const at = hash(name, name.length) & this.mask;
      this.slots[at] = { name, value, next: this.slots[at] };
      maxLength = Math.max(maxLength, name.length);
    }
    this.maxLength = maxLength;
  }

  /** The value whose name equals `bytes` ignoring ASCII case, if any. */
  get(bytes: Uint8Array): T | undefined {
    const length = bytes.length;
    if (length > this.maxLength) return undefined;
    for (let slot = this.slots[hash(bytes, length) & this.mask]; slot !== undefined; slot = slot.next) {
      if (sameFolded(slot.name, bytes, length)) return slot.value;
    }
    return undefined;
  }
}

/**
 * Hash of the length and the case-folded first, middle and last bytes. The table is small and the
 * match is confirmed byte by byte anyway, so hashing every byte would only scan the name twice.
 */
function hash(bytes: Uint8Array, length: number): number {
  if (length === 0) return 0;
  let h = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  h = Math.imul(h ^ FOLD[bytes[0]!]!, 0x01000193);
  h = Math.imul(h ^ FOLD[bytes[length >> 1]!]!, 0x01000193);
  h = Math.imul(h ^ FOLD[bytes[length - 1]!]!, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

function sameFolded(lower: Uint8Array, bytes: Uint8Array, length: number): boolean {
  if (lower.length !== length) return false;
  for (let i = 0; i < length; i++) if (lower[i] !== FOLD[bytes[i]!]) return false;
  return true;
}
