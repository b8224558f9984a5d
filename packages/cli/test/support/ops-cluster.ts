// Real-process topologies for the operability tests: one redis master, its replicas, and Vigil
// daemons with the HTTP listener on. Every port comes from freePort() and everything is on 127.0.0.1.
import { freePort, type Proc, sentinelConf, startRedis, startSentinel, tempDir, waitFor } from "./processes.js";

export interface OpsVigil {
  readonly proc: Proc;
  readonly port: number;
  readonly httpPort: number;
  readonly conf: string;
  readonly http: (path: string) => Promise<Response>;
}

export interface OpsCluster {
  readonly master: Proc;
  readonly replicas: Proc[];
  readonly vigils: OpsVigil[];
  readonly dir: string;
}

/** Start master + replicas + `sentinels` Vigil daemons, each with `vigil-http` (or `--http`) on a free port. */
export async function startOpsCluster(opts: {
  replicas: number;
  sentinels: number;
  quorum: number;
  downAfter?: number;
  extra?: (i: number) => string[];
  args?: (i: number) => string[];
  httpFlag?: boolean;
}): Promise<OpsCluster> {
  const dir = tempDir("vigil-ops-");
  const master = await startRedis(await freePort());
  const replicas: Proc[] = [];
  for (let i = 0; i < opts.replicas; i++) replicas.push(await startRedis(await freePort(), { replicaOf: master.port }));
  const vigils: OpsVigil[] = [];
  for (let i = 0; i < opts.sentinels; i++) {
    const port = await freePort();
    const httpPort = await freePort();
    const httpLine = `vigil-http 127.0.0.1:${httpPort}`;
    const conf = sentinelConf(dir, port, master.port, {
      quorum: opts.quorum,
      downAfter: opts.downAfter ?? 1000,
      extra: [...(opts.httpFlag ? [] : [httpLine]), ...(opts.extra?.(i) ?? [])],
    });
    const args = [...(opts.httpFlag ? ["--http", `127.0.0.1:${httpPort}`] : []), ...(opts.args?.(i) ?? [])];
    const proc = await startSentinel("vigil", conf, port, args);
    vigils.push({ proc, port, httpPort, conf, http: (path) => fetch(`http://127.0.0.1:${httpPort}${path}`) });
  }
  return { master, replicas, vigils, dir };
}

/** Wait until every Vigil knows every replica and the other Sentinels (discovery done). */
export async function waitDiscovered(c: OpsCluster, timeoutMs = 20000): Promise<void> {
  await waitFor(async () => {
    for (const v of c.vigils) {
      const s = (await (await v.http("/api/state")).json()) as { masters: { replicas: unknown[]; sentinels: unknown[] }[] };
      const m = s.masters[0];
      if (!m || m.replicas.length !== c.replicas.length || m.sentinels.length !== c.vigils.length - 1) return false;
    }
    return true;
  }, timeoutMs);
}
