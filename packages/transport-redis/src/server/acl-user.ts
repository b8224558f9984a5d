import { createHash, timingSafeEqual } from "node:crypto";

/**
 * One ACL user. Fields are mutable because Redis mutates users in place (clients authenticated
 * as a user see its new rules at once); {@link copyUser} gives the scratch copy that makes
 * ACL SETUSER atomic.
 *
 * Command permissions are modelled as all-or-nothing (`+@all` / `-@all`): the Sentinel command
 * table is small, and finer rules are refused loudly rather than half-enforced.
 */
export interface AclUser {
  /** Byte string (see byte-string.ts). */
  readonly name: string;
  enabled: boolean;
  nopass: boolean;
  /** SHA-256 hex digests, insertion order, no duplicates. */
  passwords: string[];
  allCommands: boolean;
  allKeys: boolean;
  /** Key patterns as written after `~` (with a `%R`/`%W`/`%RW` prefix when given). */
  keyPatterns: string[];
  allChannels: boolean;
  channelPatterns: string[];
  sanitizePayload: "unset" | "sanitize" | "skip";
}

/**
 * A user as `ACL SETUSER <new name>` creates it: off, no passwords, no permissions; Redis 7.2 and
 * Valkey also mark it `sanitize-payload` (`sanitize`).
 */
export function newUser(name: string, sanitize = false): AclUser {
  return {
    name,
    enabled: false,
    nopass: false,
    passwords: [],
    allCommands: false,
    allKeys: false,
    keyPatterns: [],
    allChannels: false,
    channelPatterns: [],
    sanitizePayload: sanitize ? "sanitize" : "unset",
  };
}

/** A deep copy (for atomic updates). */
export function copyUser(u: AclUser): AclUser {
  return { ...u, passwords: [...u.passwords], keyPatterns: [...u.keyPatterns], channelPatterns: [...u.channelPatterns] };
}

/** Copies every rule of `from` into `to`, keeping `to`'s identity. */
export function assignUser(to: AclUser, from: AclUser): void {
  Object.assign(to, copyUser(from), { name: to.name });
}

/** SHA-256 hex of a password's bytes, as ACL stores it. */
export function hashPassword(password: Buffer): string {
  return createHash("sha256").update(password).digest("hex");
}

/** Redis's check: the user is enabled and is `nopass` or has the password's hash. */
export function checkCredentials(u: AclUser, password: Buffer): boolean {
  if (!u.enabled) return false;
  if (u.nopass) return true;
  const digest = Buffer.from(hashPassword(password), "latin1");
  // Compare against every hash without early exit, like Redis's time-independent compare.
  let ok = false;
  for (const stored of u.passwords) {
    const s = Buffer.from(stored, "latin1");
    if (s.length === digest.length && timingSafeEqual(s, digest)) ok = true;
  }
  return ok;
}

/** The rule text of a user as ACL LIST prints it after `user <name> `. */
export function describeUser(u: AclUser): string {
  const parts: string[] = [u.enabled ? "on" : "off"];
  if (u.nopass) parts.push("nopass");
  if (u.sanitizePayload === "skip") parts.push("skip-sanitize-payload");
  if (u.sanitizePayload === "sanitize") parts.push("sanitize-payload");
  for (const p of u.passwords) parts.push(`#${p}`);
  parts.push(...keysDescription(u));
  parts.push(...channelsDescription(u));
  parts.push(u.allCommands ? "+@all" : "-@all");
  return parts.join(" ");
}

/** `~*`, or one `~pattern` per key pattern (ACL LIST / GETUSER `keys`). */
export function keysDescription(u: AclUser): string[] {
  if (u.allKeys) return ["~*"];
  return u.keyPatterns.map((p) => (p.startsWith("%") ? p : `~${p}`));
}

/** `&*`, or `resetchannels` followed by one `&pattern` per channel pattern (ACL LIST). */
export function channelsDescription(u: AclUser): string[] {
  if (u.allChannels) return ["&*"];
  return ["resetchannels", ...u.channelPatterns.map((p) => `&${p}`)];
}

/** ACL GETUSER `flags`. */
export function userFlags(u: AclUser): string[] {
  const flags = [u.enabled ? "on" : "off"];
  if (u.nopass) flags.push("nopass");
  if (u.sanitizePayload === "skip") flags.push("skip-sanitize-payload");
  if (u.sanitizePayload === "sanitize") flags.push("sanitize-payload");
  return flags;
}
