import { groupName, SimCluster } from "@vigil/transport-memory";
import { Command, InvalidArgumentError } from "commander";
import { runProgram } from "../commands/daemon-options.js";

/** Event lines worth showing in the demo timeline (the rest is link noise). */
const SHOWN = / [+-](sdown master|odown|try-failover|vote-for-leader|elected-leader|failover-|selected-slave|promoted-slave|slave-reconf|switch-master|config-update-from|convert-to-slave)| crashed| restarted|writes acknowledged again/;

/** A whole number option value (commander calls this with the raw word). */
function wholeNumber(v: string): number {
  if (!/^[0-9]+$/.test(v)) throw new InvalidArgumentError("must be a whole number");
  return Number(v);
}

/**
 * `vigil simulate [--seed N] [--down-after MS] [--all]`: the README's main job. An in-memory cluster
 * (3 Vigil engines, 1 master, 2 replicas, client writers) runs on a virtual clock; the master is
 * killed and the failover is printed as a readable timeline. Same seed, same output. `--help`
 * prints the options and an unknown option is an error (exit 1), never a silent run.
 */
export async function runSimulateCommand(argv: readonly string[]): Promise<number> {
  const cmd = new Command("vigil simulate")
    .description("kill the master of an in-memory 3-sentinel cluster on a virtual clock and print the failover")
    .helpOption("-h, --help", "show this help")
    .option("--seed <n>", "seed of the run (same seed, same output)", wholeNumber, 1)
    .option("--down-after <ms>", "down-after-milliseconds of the simulated sentinels", wholeNumber, 1000)
    .option("--all", "print every trace line, not only the failover's events")
    .exitOverride()
    .configureOutput({ writeOut: (t) => process.stdout.write(t), writeErr: (t) => process.stderr.write(t) });
  return runProgram(cmd, argv, async () => {
    const o = cmd.opts<{ seed: number; downAfter: number; all?: boolean }>();
    return simulate(o.seed, o.downAfter, o.all === true);
  });
}

function simulate(seed: number, downAfterMs: number, all: boolean): number {
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
