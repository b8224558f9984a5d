/**
 * The simulated dataset: a few keys, each an append-only list of write ids (like `RPUSH key id`).
 * Appending instead of overwriting makes every acknowledged write individually checkable later:
 * a write is lost exactly when its id is missing from the final master's list.
 */
export class Keyspace {
  private readonly lists = new Map<string, number[]>();

  /** Append `id` to `key`. */
  append(key: string, id: number): void {
    let l = this.lists.get(key);
    if (l === undefined) {
      l = [];
      this.lists.set(key, l);
    }
    l.push(id);
  }

  /** Number of keys (for `db0:keys=`). */
  get size(): number {
    return this.lists.size;
  }

  /** The ids stored under `key`, oldest first. */
  get(key: string): readonly number[] {
    return this.lists.get(key) ?? [];
  }

  /** Every key. */
  keys(): string[] {
    return [...this.lists.keys()];
  }

  /** Whether `id` was appended to `key`. */
  has(key: string, id: number): boolean {
    return this.lists.get(key)?.includes(id) ?? false;
  }

  /** A deep copy: what a full resynchronisation (RDB transfer) hands to a replica. */
  clone(): Keyspace {
    const k = new Keyspace();
    for (const [key, l] of this.lists) k.lists.set(key, l.slice());
    return k;
  }

  /** Drop everything (restart without persistence). */
  clear(): void {
    this.lists.clear();
  }
}
