/**
 * Case-insensitive lookup of command names straight from the request bytes. Every command needs
 * its name (and a container's subcommand) looked up; decoding the bytes to a string and lower-casing
 * it costs two allocations and two native calls per name, this costs a short loop.
 */

const A = 0x41;
const Z = 0x5a;
const CASE_BIT = 0x20;

/** Redis compares names with `strcasecmp`: only ASCII letters fold. */
function fold(c: number): number {
  return c >= A && c <= Z ? c | CASE_BIT : c;
}

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

/** FNV-1a over the case-folded bytes. */
function hash(bytes: Uint8Array, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ fold(bytes[i]!), 0x01000193);
  return h >>> 0;
}

function sameFolded(lower: Uint8Array, bytes: Uint8Array, length: number): boolean {
  if (lower.length !== length) return false;
  for (let i = 0; i < length; i++) if (lower[i] !== fold(bytes[i]!)) return false;
  return true;
}
