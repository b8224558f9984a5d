import { Redis, type RedisOptions } from "ioredis";
import type { Sentinel } from "./create-sentinel.js";
import { NoSuchMasterError } from "./errors.js";

/**
 * An ioredis client that stays on the current master of `name`, as the embedded sentinel knows it:
 * no Sentinel round trip on connect, and on `+switch-master` it drops its connection and reconnects to
 * the new master (the Sentinel client contract: a client never keeps talking to a demoted master).
 * Commands in flight during the switch are retried on the new master (ioredis's
 * `autoResendUnfulfilledCommands`). Handle the client's `error` events as with any ioredis client.
 */
export function followMaster(sentinel: Sentinel, name: string, options: RedisOptions = {}): Redis {
  const at = sentinel.master(name);
  if (!at) throw new NoSuchMasterError(name);
  const client = new Redis({ ...options, host: at.host, port: at.port });
  const onSwitch = ({ master, to }: { master: string; to: { host: string; port: number } }) => {
    if (master !== name) return;
    // ioredis connects with its options object's host and port, read again at each (re)connect.
    client.options.host = to.host;
    client.options.port = to.port;
    client.disconnect(true);
  };
  sentinel.on("+switch-master", onSwitch);
  client.once("end", () => sentinel.off("+switch-master", onSwitch));
  return client;
}
