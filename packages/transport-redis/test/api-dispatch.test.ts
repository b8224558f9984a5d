import { describe, expect, it } from "vitest";
import { error } from "../src/resp/reply.js";
import { apiFixture, items, pairs, resp2, text } from "./api-support.js";

const arity = (name: string) => error(`ERR wrong number of arguments for '${name}' command`);

describe("SENTINEL dispatch", () => {
  it("checks the container's arity", () => {
    const f = apiFixture();
    expect(f.api.sentinel(["SENTINEL"])).toEqual(arity("sentinel"));
  });

  it("checks every subcommand's arity with its sentinel|<name>", () => {
    const f = apiFixture();
    const tooFew: Record<string, number> = {
      ckquorum: 3,
      config: 3,
      failover: 3,
      "get-master-addr-by-name": 3,
      "info-cache": 3,
      "is-master-down-by-addr": 6,
      master: 3,
      monitor: 6,
      remove: 3,
      replicas: 3,
      reset: 3,
      sentinels: 3,
      set: 5,
      "simulate-failure": 3,
      slaves: 3,
    };
    for (const [sub, need] of Object.entries(tooFew)) {
      const argv = ["SENTINEL", sub.toUpperCase(), ...Array.from({ length: need - 3 }, () => "x")];
      expect(f.api.sentinel(argv), sub).toEqual(arity(`sentinel|${sub}`));
    }
    for (const sub of ["masters", "flushconfig", "myid", "pending-scripts", "help", "ckquorum", "master", "monitor", "is-master-down-by-addr"]) {
      const exact = f.api.subcommands.find((s) => s.name === sub)!.arity;
      const argv = ["sentinel", sub, ...Array.from({ length: exact - 1 }, () => "x")];
      expect(f.api.sentinel(argv), sub).toEqual(arity(`sentinel|${sub}`));
    }
  });

  it("answers unknown subcommands with SENTINEL HELP's hint, cut at 128 bytes", () => {
    const f = apiFixture();
    expect(f.sentinel("foo", "bar")).toEqual(error("ERR unknown subcommand 'foo'. Try SENTINEL HELP."));
    const long = "x".repeat(200);
    expect(resp2(f.sentinel(long))).toBe(`-ERR unknown subcommand '${"x".repeat(128)}'. Try SENTINEL HELP.\r\n`);
    expect(resp2(f.sentinel("a\r\nb"))).toBe("-ERR unknown subcommand 'a  b'. Try SENTINEL HELP.\r\n");
  });

  it("subcommand names are case-insensitive; master names are not", () => {
    const f = apiFixture();
    expect(text(f.api.sentinel(["SeNtInEl", "mYiD"]))).toHaveLength(40);
    expect(text(f.sentinel("MASTER", "MYMASTER"))).toBe("ERR No such master with that name");
  });

  it("takes Buffers as well as strings", () => {
    const f = apiFixture();
    expect(f.api.sentinel([Buffer.from("SENTINEL"), Buffer.from("get-master-addr-by-name"), Buffer.from("mymaster")])).toEqual(
      f.sentinel("get-master-addr-by-name", "mymaster"),
    );
  });

  it("HELP is Redis 7.0.15's text, as status lines", () => {
    const f = apiFixture();
    const lines = items(f.sentinel("help")).map((r) => {
      expect(r.kind).toBe("simple");
      return text(r);
    });
    expect(lines[0]).toBe("SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(lines.slice(-2)).toEqual(["HELP", "    Prints this help."]);
    expect(lines).toHaveLength(49);
    expect(lines).toContain("IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>");
  });
});

describe("Valkey PRIMARY subcommands (valkey-8 dialect)", () => {
  it("PRIMARY, PRIMARIES, GET-PRIMARY-ADDR-BY-NAME, IS-PRIMARY-DOWN-BY-ADDR answer like their MASTER twins", () => {
    const f = apiFixture({ dialect: "valkey-8" });
    f.skip(5);
    expect(f.sentinel("primary", "mymaster")).toEqual(f.sentinel("master", "mymaster"));
    expect(f.sentinel("primaries")).toEqual(f.sentinel("masters"));
    expect(f.sentinel("get-primary-addr-by-name", "mymaster")).toEqual(f.sentinel("get-master-addr-by-name", "mymaster"));
    expect(f.sentinel("is-primary-down-by-addr", "127.0.0.1", "6379", "0", "*")).toEqual(
      f.sentinel("is-master-down-by-addr", "127.0.0.1", "6379", "0", "*"),
    );
    expect(f.sentinel("primary")).toEqual(arity("sentinel|primary"));
    expect(pairs(f.sentinel("PRIMARY", "mymaster"))[0]).toEqual(["name", "mymaster"]);
    expect(f.api.subcommands.filter((s) => s.aliasOf !== undefined).map((s) => `${s.name}=${s.aliasOf}`)).toEqual([
      "get-primary-addr-by-name=get-master-addr-by-name",
      "is-primary-down-by-addr=is-master-down-by-addr",
      "primaries=masters",
      "primary=master",
    ]);
  });

  it("do not exist in the redis dialects, as in redis-sentinel 7.0 and 7.2", () => {
    for (const dialect of ["redis-7.0", "redis-7.2"] as const) {
      const f = apiFixture({ dialect });
      expect(f.sentinel("primary", "mymaster")).toEqual(error("ERR unknown subcommand 'primary'. Try SENTINEL HELP."));
      expect(f.api.subcommands).toHaveLength(21);
    }
  });
});
