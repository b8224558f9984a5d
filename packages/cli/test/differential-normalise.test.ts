// The differential harness's normalisation (support/differential.ts): a step's racy flags are
// removed from `flags` values on both sides, and nothing else is.
import { describe, expect, it } from "vitest";
import { type Side, type Step, shapeOf, type Topology } from "./support/differential.js";
import type { Resp } from "./support/resp-client.js";

const redis: Side = { kind: "redis", port: 26379, myId: "a".repeat(40) };
const vigil: Side = { kind: "vigil", port: 26380, myId: "b".repeat(40) };
const topo: Topology = { masterPort: 6379, replicaPorts: [] };
const reply = (flags: string): Resp => ({ t: "array", v: [{ t: "bulk", v: "name" }, { t: "bulk", v: "other" }, { t: "bulk", v: "flags" }, { t: "bulk", v: flags }] });
const shape = (flags: string, step: Step) => JSON.stringify(shapeOf(reply(flags), { side: vigil, peer: redis, topo, vars: {} }, step));

describe("differential normalisation: racy flags", () => {
  const racy: Step = { label: "SENTINEL MASTER new", racyFlags: ["disconnected"] };
  const plain: Step = { label: "SENTINEL MASTER" };

  it("compares `master` and `master,disconnected` as equal only where the step says the flag is racy", () => {
    expect(shape("master,disconnected", racy)).toBe(shape("master", racy));
    expect(shape("master,disconnected", plain)).not.toBe(shape("master", plain));
  });

  it("still tells every other flag apart", () => {
    expect(shape("master,s_down,disconnected", racy)).not.toBe(shape("master", racy));
    expect(shape("slave,disconnected", racy)).not.toBe(shape("master,disconnected", racy));
  });
});
