import { groupName, SimCluster } from "@vigil/transport-memory";

/** Event lines worth showing in the demo timeline (the rest is link noise). */
const SHOWN = / [+-](sdown master|odown|try-failover|vote-for-leader|elected-leader|failover-|selected-slave|promoted-slave|slave-reconf|switch-master|config-update-from|convert-to-slave)| crashed| restarted|writes acknowledged again/;

/**
 * `vigil simulate [--seed N] [--down-after MS] [--all]`: the README's main job. An in-memory cluster
 * (3 Vigil engines, 1 master, 2 replicas, client writers) runs on a virtual clock; the master is
 * killed and the failover is printed as a readable timeline. Same seed, same output.
 */
export async function runSimulateCommand(args: string[]): Promise<number> {
  const opt = (name: string, dflt: number) => {
    const i = args.indexOf(name);
    const v = i >= 0 ? Number(args[i + 1]) : dflt;
    return Number.isFinite(v) ? v : dflt;
  };
  const seed = opt("--seed", 1);
  const downAfterMs = opt("--down-after", 1000);
  const all = args.includes("--all");
  const lines: string[] = [];
  const cluster = new SimCluster({
    seed,
    sentinels: 3,
    masters: 1,
    replicasPerMaster: 2,
    downAfterMs,
    writersPerMaster: 1,
    trace: (line) => lines.push(line),
  });
  const print = () => {
    for (const l of lines.splice(0)) if (all || SHOWN.test(l)) console.log(l);
  };
  console.log(`vigil simulate: seed ${seed}, 3 sentinels, 1 master + 2 replicas, down-after ${downAfterMs} ms (virtual time)\n`);
  cluster.start();
  cluster.run(5000);
  print();
  const group = groupName(0);
  const master = cluster.reportedMaster(group);
  if (!master) {
    console.error("no master reported after start-up");
    return 1;
  }
  const killedAt = cluster.elapsed;
  console.log(`\n*** killing the master ${master.key} ***\n`);
  cluster.crashRedis(master.key);
  const switched = cluster.runUntil(() => {
    const m = cluster.reportedMaster(group);
    return m !== undefined && m.key !== master.key && cluster.liveSentinels().every(({ engine }) => {
      const a = engine.getMasterAddrByName(group);
      return a !== null && `${a.host}:${a.port}` === m.key;
    });
  }, 60000);
  const switchedAt = cluster.elapsed;
  cluster.run(2000);
  print();
  const now = cluster.reportedMaster(group);
  if (!switched || !now) {
    console.log("\nfailover did not complete within 60 s of virtual time");
    return 1;
  }
  console.log(`\nnew master ${now.key}: every sentinel agrees; all sentinels reported it ${((switchedAt - killedAt) / 1000).toFixed(3)} s after the kill (down-after ${downAfterMs} ms).`);
  console.log(`replay this exact run: npm start -- --seed ${seed}   (or: vigil simulate --seed ${seed} --all)`);
  return 0;
}
