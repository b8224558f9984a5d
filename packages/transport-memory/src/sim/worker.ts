import { parentPort, workerData } from "node:worker_threads";
import { runSeed } from "./run-seed.js";
import type { PortableSeedOptions, WorkerRequest } from "./run-seeds.js";
import { digest } from "./summary.js";

// A simulation worker: runs the seeds it is handed, one at a time, and answers with digests.
const options = workerData as PortableSeedOptions;
parentPort?.on("message", (req: WorkerRequest) => {
  if ("stop" in req) {
    parentPort?.close();
    return;
  }
  parentPort?.postMessage(digest(runSeed(req.seed, options)));
});
