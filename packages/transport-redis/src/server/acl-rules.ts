import { type AclUser, hashPassword } from "./acl-user.js";
import { asciiLower, binaryToBytes } from "./byte-string.js";

/** What a rule may refer to, for telling "unknown" from "known but not supported" apart. */
export interface AclVocabulary {
  isCommand(name: string): boolean;
  isCategory(name: string): boolean;
  /** New users start `sanitize-payload` (Redis 7.2+, Valkey); 7.0 leaves it unset. */
  readonly sanitizeNewUsers?: boolean;
}

/** Redis's messages for the errno values ACLSetUser reports. */
const UNKNOWN_NAME = "Unknown command or category name in ACL";
const SYNTAX = "Syntax error";
const KEYS_AFTER_ALL =
  "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
const CHANNELS_AFTER_ALL =
  "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
const NO_SUCH_PASSWORD = "The password you are trying to remove from the user does not exist";
const BAD_HASH = "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters";
const UNSUPPORTED =
  "this server only supports all-or-nothing command rules (allcommands, +@all, nocommands, -@all)";
const HEX64 = /^[0-9a-f]{64}$/;
const KEY_PERMISSION = /^%(?:R|W|RW|WR)~/i;

/**
 * Applies one ACL SETUSER rule (a byte string) to `u` in place. Returns the error reason (the
 * text after "Error in ACL SETUSER modifier '...': "), or `undefined` when the rule applied.
 * Keywords are case-insensitive, as in Redis.
 */
export function applyAclRule(u: AclUser, op: string, vocabulary: AclVocabulary): string | undefined {
  const keyword = KEYWORDS.get(asciiLower(op));
  if (keyword) return keyword(u, vocabulary);
  const first = op[0];
  const rest = op.slice(1);
  switch (first) {
    case ">":
    case "#": {
      const digest = first === ">" ? hashPassword(binaryToBytes(rest)) : rest;
      if (first === "#" && !HEX64.test(rest)) return BAD_HASH;
      if (!u.passwords.includes(digest)) u.passwords.push(digest);
      u.nopass = false;
      return undefined;
    }
    case "<":
    case "!": {
      const digest = first === "<" ? hashPassword(binaryToBytes(rest)) : rest;
      if (first === "!" && !HEX64.test(rest)) return BAD_HASH;
      const at = u.passwords.indexOf(digest);
      if (at < 0) return NO_SUCH_PASSWORD;
      u.passwords.splice(at, 1);
      return undefined;
    }
    case "~":
    case "%": {
      if (first === "%" && !KEY_PERMISSION.test(op)) return SYNTAX;
      if (u.allKeys) return KEYS_AFTER_ALL;
      if (op === "~*") {
        u.allKeys = true;
        u.keyPatterns = [];
      } else {
        const pattern = first === "~" ? rest : op;
        if (!u.keyPatterns.includes(pattern)) u.keyPatterns.push(pattern);
      }
      return undefined;
    }
    case "&": {
      if (u.allChannels) return CHANNELS_AFTER_ALL;
      if (rest === "*") {
        u.allChannels = true;
        u.channelPatterns = [];
      } else if (!u.channelPatterns.includes(rest)) {
        u.channelPatterns.push(rest);
      }
      return undefined;
    }
    case "+":
    case "-": {
      const target = asciiLower(rest);
      const known = target.startsWith("@") ? vocabulary.isCategory(target.slice(1)) : vocabulary.isCommand(target);
      return known ? UNSUPPORTED : UNKNOWN_NAME;
    }
    case "(":
      return "selectors are not supported by this server";
    default:
      return SYNTAX;
  }
}

type AclRule = (u: AclUser, vocabulary: AclVocabulary) => string | undefined;

/** The rules that are whole keywords (the others start with a prefix character). */
const KEYWORDS = new Map<string, AclRule>([
  ["on", (u) => void (u.enabled = true)],
  ["off", (u) => void (u.enabled = false)],
  [
    "nopass",
    (u) => {
      u.nopass = true;
      u.passwords = [];
      return undefined;
    },
  ],
  [
    "resetpass",
    (u) => {
      u.nopass = false;
      u.passwords = [];
      return undefined;
    },
  ],
  ["allkeys", (u, v) => applyAclRule(u, "~*", v)],
  [
    "resetkeys",
    (u) => {
      u.allKeys = false;
      u.keyPatterns = [];
      return undefined;
    },
  ],
  ["allchannels", (u, v) => applyAclRule(u, "&*", v)],
  [
    "resetchannels",
    (u) => {
      u.allChannels = false;
      u.channelPatterns = [];
      return undefined;
    },
  ],
  ["allcommands", (u) => void (u.allCommands = true)],
  ["+@all", (u) => void (u.allCommands = true)],
  ["nocommands", (u) => void (u.allCommands = false)],
  ["-@all", (u) => void (u.allCommands = false)],
  ["sanitize-payload", (u) => void (u.sanitizePayload = "sanitize")],
  ["skip-sanitize-payload", (u) => void (u.sanitizePayload = "skip")],
  ["clearselectors", () => undefined],
  [
    "reset",
    (u, v) => {
      for (const r of ["resetpass", "resetkeys", "resetchannels", "off", "sanitize-payload", "clearselectors", "-@all"]) applyAclRule(u, r, v);
      return undefined;
    },
  ],
]);
