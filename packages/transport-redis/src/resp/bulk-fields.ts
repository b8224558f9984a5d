import { type ArrayReply, bulk, type MapReply, type Reply } from "./reply.js";

/**
 * A constant bulk string encoded once: the field names of Sentinel's instance maps, written by
 * copying their bytes instead of re-encoding ~20 names per request.
 */
export class BulkKey {
  /** The whole bulk string, `$<length>\r\n<text>\r\n`, as UTF-8. */
  readonly frame: Uint8Array;

  /**
   * `slot` ≥ 0 marks a key whose value rarely changes (a name, an address, a setting): in a
   * {@link BulkFieldMap} with a {@link PairMemo}, the key and the value that follows it are then
   * written as one copy while the value stays the same.
   */
  constructor(
    readonly text: string,
    readonly slot = -1,
  ) {
    this.frame = Buffer.from(`$${Buffer.byteLength(text, "utf8")}\r\n${text}\r\n`, "utf8");
  }
}

/** {@link BulkKey}s for `names`, by name. */
export function bulkKeys<const N extends string>(...names: readonly N[]): Readonly<Record<N, BulkKey>> {
  return Object.fromEntries(names.map((n) => [n, new BulkKey(n)])) as Record<N, BulkKey>;
}

let nextSlot = 0;

/** {@link BulkKey}s for `names` whose values rarely change, each with a memo slot of its own. */
export function stableBulkKeys<const N extends string>(...names: readonly N[]): Readonly<Record<N, BulkKey>> {
  return Object.fromEntries(names.map((n) => [n, new BulkKey(n, nextSlot++)])) as Record<N, BulkKey>;
}

/**
 * The last value written after each stable key, and the bytes of that key/value pair. Keep one
 * per instance (an instance's name, address and settings are the same from one request to the
 * next; another instance's would evict them). A value equal to the remembered one (`===`: same
 * text, same number, same constant) has the same encoding, so the pair is copied as it is.
 */
export class PairMemo {
  readonly values: (BulkField | undefined)[] = [];
  readonly frames: (Uint8Array | undefined)[] = [];
}

/**
 * One bulk string of a flat reply: text, a number sent as its decimal text (`String(n)`), or a
 * pre-encoded constant. Sentinel sends its numeric fields as bulk strings; keeping them numbers
 * until they are written saves a string per field.
 */
export type BulkField = string | number | BulkKey;

/**
 * A map of bulk strings held as one flat `[key, value, key, value, ...]` array. SENTINEL MASTER and
 * its kin answer ~20 pairs per instance on every request: the encoder writes the flat array
 * straight into the reply buffer instead of walking 20 pairs of 2 reply objects each. Readers that
 * want the generic shape get it from {@link BulkFieldMap.entries}, built on demand.
 */
export class BulkFieldMap implements MapReply {
  readonly kind = "map";

  /**
   * `fields` has an even length; it is the caller's and must not change once handed over.
   * `memo`, if given, lets the encoder copy the pairs of stable keys (see {@link PairMemo}).
   */
  constructor(
    readonly fields: readonly BulkField[],
    readonly memo?: PairMemo,
  ) {}

  get entries(): readonly (readonly [Reply, Reply])[] {
    const f = this.fields;
    const entries: (readonly [Reply, Reply])[] = [];
    for (let i = 0; i + 1 < f.length; i += 2) entries.push([fieldReply(f[i]!), fieldReply(f[i + 1]!)]);
    return entries;
  }
}

/** An array of bulk strings held as a flat array of {@link BulkField}s (GET-MASTER-ADDR-BY-NAME's `[ip, port]`). */
export class BulkFieldList implements ArrayReply {
  readonly kind = "array";

  /** `fields` is the caller's and must not change once handed over. */
  constructor(readonly fields: readonly BulkField[]) {}

  get items(): readonly Reply[] {
    return this.fields.map(fieldReply);
  }
}

function fieldReply(f: BulkField): Reply {
  return bulk(typeof f === "number" ? String(f) : typeof f === "string" ? f : f.text);
}
