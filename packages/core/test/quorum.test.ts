import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkQuorum, majority, requiredVotes } from "../src/election/quorum.js";

const NO_QUORUM = "Not enough available Sentinels to reach the specified quorum for this master";
const NO_AUTH = "Not enough available Sentinels to reach the majority and authorize a failover";

describe("majority / requiredVotes (§10.3)", () => {
  it("majority is voters/2 + 1 with integer division", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(majority)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it("requiredVotes is max(quorum, majority)", () => {
    expect(requiredVotes(5, 2)).toBe(3);
    expect(requiredVotes(5, 4)).toBe(4);
    expect(requiredVotes(3, 2)).toBe(2);
    expect(requiredVotes(1, 1)).toBe(1);
    expect(requiredVotes(4, 1)).toBe(3);
  });
});

describe("checkQuorum (§10.4, §17.1 texts)", () => {
  it("OK when both the quorum and the majority are reachable", () => {
    expect(checkQuorum({ usable: 3, voters: 3, quorum: 2 })).toEqual({
      ok: true,
      text: "OK 3 usable Sentinels. Quorum and failover authorization can be reached",
    });
    expect(checkQuorum({ usable: 2, voters: 3, quorum: 2 }).ok).toBe(true);
  });

  it("NOQUORUM for the quorum only", () => {
    expect(checkQuorum({ usable: 3, voters: 5, quorum: 4 })).toEqual({
      ok: false,
      text: `NOQUORUM 3 usable Sentinels. ${NO_QUORUM}`,
    });
  });

  it("NOQUORUM for the majority only", () => {
    expect(checkQuorum({ usable: 2, voters: 5, quorum: 2 })).toEqual({
      ok: false,
      text: `NOQUORUM 2 usable Sentinels. ${NO_AUTH}`,
    });
  });

  it("both problems are joined by '. '", () => {
    expect(checkQuorum({ usable: 1, voters: 5, quorum: 2 })).toEqual({
      ok: false,
      text: `NOQUORUM 1 usable Sentinels. ${NO_QUORUM}. ${NO_AUTH}`,
    });
  });

  it("a lone Sentinel with quorum 1 can fail over", () => {
    expect(checkQuorum({ usable: 1, voters: 1, quorum: 1 }).text).toBe(
      "OK 1 usable Sentinels. Quorum and failover authorization can be reached",
    );
  });

  it("ok exactly when usable ≥ requiredVotes(voters, quorum)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.nat(50), (voters, quorum, seed) => {
        const usable = 1 + (seed % voters);
        const r = checkQuorum({ usable, voters, quorum });
        expect(r.ok).toBe(usable >= requiredVotes(voters, quorum));
        expect(r.text.startsWith(r.ok ? `OK ${usable} ` : `NOQUORUM ${usable} `)).toBe(true);
      }),
    );
  });
});
