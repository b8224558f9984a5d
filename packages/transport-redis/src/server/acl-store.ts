import { type AclVocabulary, applyAclRule } from "./acl-rules.js";
import { type AclUser, assignUser, checkCredentials, copyUser, newUser } from "./acl-user.js";
import { utf8ToBinary } from "./byte-string.js";
import type { AuthOptions, UserSpec } from "./types.js";

/** The user every connection starts as. */
export const DEFAULT_USER = "default";

/** Users and their rules; the ACL half of the server. */
export interface AclStore {
  /** The `default` user (always present). */
  readonly defaultUser: AclUser;
  /** Redis's `authRequired` for a client that has not authenticated. */
  requiresAuth(): boolean;
  /** The user if `name`/`password` are valid credentials (byte-string name). */
  authenticate(name: string, password: Buffer): AclUser | undefined;
  get(name: string): AclUser | undefined;
  /** All users sorted by name (byte order, as Redis's rax). */
  list(): AclUser[];
  /**
   * ACL SETUSER: applies `rules` atomically, creating the user if needed. Returns the Redis
   * error text (without `ERR `) or `undefined` on success.
   */
  setUser(name: string, rules: readonly string[]): string | undefined;
  /** ACL DELUSER for one name; `default` must be refused by the caller. */
  deleteUser(name: string): AclUser | undefined;
}

/**
 * Builds the store from the startup configuration. Invalid startup rules are a configuration
 * bug, so they throw (at construction, never while serving).
 */
export function createAclStore(options: AuthOptions, vocabulary: AclVocabulary): AclStore {
  const users = new Map<string, AclUser>();
  const defaultUser = newUser(DEFAULT_USER, vocabulary.sanitizeNewUsers);
  for (const r of ["on", "nopass", "~*", "&*", "+@all"]) applyAclRule(defaultUser, r, vocabulary);
  users.set(DEFAULT_USER, defaultUser);
  if (options.requirePass !== undefined) {
    applyAclRule(defaultUser, "resetpass", vocabulary);
    applyAclRule(defaultUser, `>${utf8ToBinary(options.requirePass)}`, vocabulary);
  }
  for (const spec of options.users ?? []) {
    const name = utf8ToBinary(spec.name);
    // Like `user` lines in a config file, a startup spec starts from a reset user.
    const target = users.get(name) ?? newUser(name, vocabulary.sanitizeNewUsers);
    const scratch = newUser(name, vocabulary.sanitizeNewUsers);
    for (const rule of startupRules(spec)) {
      const reason = applyAclRule(scratch, rule, vocabulary);
      if (reason) throw new Error(`invalid ACL rule '${rule}' for user '${spec.name}': ${reason}`);
    }
    assignUser(target, scratch);
    users.set(name, target);
  }

  return {
    defaultUser,
    requiresAuth: () => !defaultUser.nopass || !defaultUser.enabled,
    authenticate(name, password) {
      const u = users.get(name);
      return u && checkCredentials(u, password) ? u : undefined;
    },
    get: (name) => users.get(name),
    list: () => [...users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    setUser(name, rules) {
      if (/[ \0]/.test(name)) return "Usernames can't contain spaces or null characters";
      const existing = users.get(name);
      const scratch = existing ? copyUser(existing) : newUser(name, vocabulary.sanitizeNewUsers);
      for (const rule of rules) {
        const reason = applyAclRule(scratch, rule, vocabulary);
        if (reason) return `Error in ACL SETUSER modifier '${cStringOf(rule)}': ${reason}`;
      }
      if (existing) assignUser(existing, scratch);
      else users.set(name, scratch);
      return undefined;
    },
    deleteUser(name) {
      const u = users.get(name);
      if (u) users.delete(name);
      return u;
    },
  };
}

/** Startup users default to full access unless their own rules say otherwise. */
function startupRules(spec: UserSpec): string[] {
  const rules: string[] = [spec.enabled === false ? "off" : "on"];
  if (spec.nopass) rules.push("nopass");
  for (const p of spec.passwords ?? []) rules.push(p.startsWith("#") ? p : `>${utf8ToBinary(p)}`);
  for (const r of spec.rules ?? ["~*", "&*", "+@all"]) rules.push(utf8ToBinary(r));
  return rules;
}

/** `%s` stops at NUL. */
function cStringOf(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}
