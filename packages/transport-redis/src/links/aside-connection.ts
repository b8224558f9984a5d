import type { Address, LinkAuth } from "@vigil/core";
import { commandRenamer } from "./command-renamer.js";
import { RespLink, type RespLinkOptions } from "./resp-link.js";

/** A short-lived connection next to a link (same AUTH and renames), for commands that must not queue behind it. */
export interface AsideConnection {
  readonly client: RespLink;
  /** Resolves once AUTH is sent, or when the connection failed (its commands then fail). */
  readonly ready: Promise<void>;
  /** The instance's name for a command (rename-command). */
  readonly rename: (cmd: string) => string;
}

/** Open an {@link AsideConnection} to `addr`. The caller closes it. */
export function openAsideConnection(
  addr: Address,
  auth: LinkAuth | undefined,
  renames: Readonly<Record<string, string>>,
  options: Omit<RespLinkOptions, "host" | "port">,
): AsideConnection {
  const rename = commandRenamer(renames);
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const client: RespLink = new RespLink(
    { ...options, host: addr.host, port: addr.port },
    () => {
      if (auth) client.send([rename("AUTH"), ...(auth.user ? [auth.user, auth.pass] : [auth.pass])]);
      ready();
    },
    () => ready(),
  );
  return { client, ready: whenReady, rename };
}
