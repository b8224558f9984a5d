/** Why an ACL LOG entry was recorded. */
export type AclDenialReason = "auth" | "command" | "channel" | "key";

/** One ACL LOG entry (all text fields are byte strings). */
export interface AclLogEntry {
  count: number;
  readonly reason: AclDenialReason;
  readonly context: "toplevel";
  /** Command full name, the denied channel, or for `auth` the command as typed (AUTH/HELLO). */
  readonly object: string;
  readonly username: string;
  /** Epoch ms of the latest occurrence. */
  createdAt: number;
  /** CLIENT LIST line of the latest offender. */
  clientInfo: string;
}

/** `acllog-max-len` default. */
const MAX_ENTRIES = 128;
/** Repeats of the same denial within this window are folded into one entry (Redis: 60 s). */
const GROUPING_WINDOW_MS = 60_000;

/** The ACL LOG: newest first, identical recent denials counted rather than repeated. */
export class AclLog {
  private entries: AclLogEntry[] = [];

  add(entry: Omit<AclLogEntry, "count">): void {
    const i = this.entries.findIndex(
      (e) =>
        e.reason === entry.reason &&
        e.context === entry.context &&
        e.object === entry.object &&
        e.username === entry.username &&
        entry.createdAt - e.createdAt < GROUPING_WINDOW_MS,
    );
    if (i >= 0) {
      const [e] = this.entries.splice(i, 1);
      e!.count++;
      e!.createdAt = entry.createdAt;
      e!.clientInfo = entry.clientInfo;
      this.entries.unshift(e!);
      return;
    }
    this.entries.unshift({ ...entry, count: 1 });
    if (this.entries.length > MAX_ENTRIES) this.entries.length = MAX_ENTRIES;
  }

  /** Up to `count` entries, newest first. */
  latest(count: number): readonly AclLogEntry[] {
    return this.entries.slice(0, Math.max(0, count));
  }

  reset(): void {
    this.entries = [];
  }
}
