import type { AclUser } from "./acl-user.js";
import { bytesToBinary } from "./byte-string.js";
import { globMatch } from "./glob.js";

/**
 * Redis's channel check (`ACLCheckChannelAgainstList`): a channel is allowed when it matches one
 * of the user's `&` patterns; a PSUBSCRIBE pattern is allowed only when it is literally one of
 * them (a pattern could otherwise be widened past what the user may see).
 */
export function channelAllowed(user: AclUser, channel: string, isPattern: boolean): boolean {
  if (user.allChannels) return true;
  return user.channelPatterns.some((p) => (isPattern ? p === channel : globMatch(p, channel)));
}

/**
 * The first channel argument `user` may not use with command `fullName`, or `undefined` when
 * all are allowed (or the command takes no channels).
 */
export function channelDenial(user: AclUser, fullName: string, argv: readonly Buffer[]): string | undefined {
  if (user.allChannels) return undefined;
  let channels: readonly Buffer[];
  let isPattern = false;
  switch (fullName) {
    case "publish":
      channels = argv.slice(1, 2);
      break;
    case "subscribe":
      channels = argv.slice(1);
      break;
    case "psubscribe":
      channels = argv.slice(1);
      isPattern = true;
      break;
    default:
      return undefined;
  }
  for (const c of channels) {
    const name = bytesToBinary(c);
    if (!channelAllowed(user, name, isPattern)) return name;
  }
  return undefined;
}
