// One master, its replicas and three sentinels of one kind, on free loopback ports.
import { cmd, freePorts, linkStatus, pairs, profiling, removeDir, sentinelConf, startRedis, startSentinel, tempDir, waitFor } from "./procs.mjs";

/**
 * Start `replicas` replicas of a fresh master and `sentinels` sentinels of `kind` watching it, then
 * wait until every sentinel knows every replica and every other sentinel (nothing disconnected or
 * down). `monitorPort` (default: the master's) is the address written into `sentinel monitor`, e.g.
 * a proxy in front of the master; `replicaOfPort` likewise for the replicas.
 */
export async function startCluster(opts) {
  const { kind, downAfter = 1000, replicas = 2, sentinels = 3 } = opts;
  const ports = await freePorts(1 + replicas + sentinels);
  const redisPorts = ports.slice(0, 1 + replicas);
  const sentinelPorts = ports.slice(1 + replicas);
  const dir = tempDir("vigil-bench-cluster-");
  const master = await startRedis(redisPorts[0], { dir, extra: opts.masterExtra });
  const monitorPort = opts.monitorPort ? await opts.monitorPort(redisPorts[0]) : redisPorts[0];
  const reps = await Promise.all(redisPorts.slice(1).map((p) => startRedis(p, { dir, replicaOf: opts.replicaOfPort ?? monitorPort })));
  await waitFor(async () => (await Promise.all(reps.map((r) => linkStatus(r.port)))).every((s) => s === "up"), 20000, 50, "replicas in sync");
  const extra = [...(kind === "vigil" && opts.vigilTiming ? [`vigil-timing ${opts.vigilTiming}`] : []), ...(opts.sentinelExtra ?? [])];
  const confs = sentinelPorts.map((p) => sentinelConf(dir, p, [{ name: "mymaster", port: monitorPort }], { downAfter, failoverTimeout: opts.failoverTimeout ?? 60000, extra }));
  const sens = await Promise.all(sentinelPorts.map((p, i) => startSentinel(kind, confs[i], p, opts.sentinelArgs?.(i) ?? [])));
  const c = { kind, dir, master, replicas: reps, sentinels: sens, sentinelPorts, redisPorts, monitorPort, downAfter };
  await waitDiscovered(c);
  return c;
}

/** Wait until every sentinel knows all replicas and the other sentinels, none down or disconnected. */
export async function waitDiscovered(c, timeoutMs = 30000) {
  await waitFor(
    async () => {
      for (const s of c.sentinels) {
        const m = pairs(await cmd(s.port, "SENTINEL", "MASTER", "mymaster"));
        if (/s_down|o_down|disconnected/.test(m.flags ?? "x")) return false;
        const reps = await cmd(s.port, "SENTINEL", "REPLICAS", "mymaster");
        const sens = await cmd(s.port, "SENTINEL", "SENTINELS", "mymaster");
        if (reps.length !== c.replicas.length || sens.length !== c.sentinels.length - 1) return false;
        if ([...reps, ...sens].some((r) => /disconnected|s_down/.test(pairs(r).flags ?? ""))) return false;
      }
      return true;
    },
    timeoutMs,
    100,
    "sentinels discovered replicas and peers",
  );
}

/** Kill every process of the cluster and remove its dir. */
export async function stopCluster(c) {
  await Promise.all([...c.sentinels, c.master, ...c.replicas].map((p) => (p.kind === "vigil" && profiling() ? p.stop() : p.kill())));
  removeDir(c.dir);
}
