/**
 * `@vigil/cli`: the `vigil` daemon. Run it with `npx vigil sentinel.conf`; from code, {@link startDaemon}.
 *
 * @packageDocumentation
 */
export { type Daemon, type DaemonArgs, type DaemonError, startDaemon } from "./daemon/daemon.js";
