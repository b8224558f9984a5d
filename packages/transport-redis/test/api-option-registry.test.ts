import { MASTER_OPTION_LIST, optionNameFor } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { optionNaming, SENTINEL_DIALECTS } from "../src/dialect.js";
import { error, OK } from "../src/resp/reply.js";
import { apiFixture } from "./api-support.js";

// SENTINEL SET knows no option by name: every option in the registry is settable through it, in
// every dialect's spelling, and stores what the registry parsed. An option added to the registry
// is covered here without a change to this test or to sentinel-set.ts.

describe.each(SENTINEL_DIALECTS)("SENTINEL SET of every registry option (%s)", (dialect) => {
  const naming = optionNaming(dialect);

  it.each(MASTER_OPTION_LIST.map((o) => [o.name, o] as const))("%s: sets its example, publishes +set and persists it", (_name, option) => {
    const f = apiFixture({ dialect, global: { denyScriptsReconfig: false } });
    const before = f.persisted.at(-1)?.masters[0]?.settings ?? f.engine.view().master("mymaster")!.settings;
    const spelled = optionNameFor(option, naming);
    expect(f.sentinel("set", "mymaster", spelled.toUpperCase(), ...option.example)).toEqual(OK);
    const sets = f.events.filter((e) => e.type === "+set").map((e) => e.payload);
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatch(new RegExp(`^master mymaster 127\\.0\\.0\\.1 6379 ${spelled} `));
    const saved = f.persisted.at(-1)!.masters[0]!.settings;
    expect(saved[option.field]).not.toEqual(structuredClone(before)[option.field]);
  });

  it.each(MASTER_OPTION_LIST.map((o) => [o.name, o] as const))("%s: without all its values it is an unknown option", (_name, option) => {
    const f = apiFixture({ dialect, global: { denyScriptsReconfig: false } });
    const spelled = optionNameFor(option, naming);
    // After a complete pair: SET with a single argument is refused by its arity before any option is read.
    expect(f.sentinel("set", "mymaster", "quorum", "2", spelled, ...option.example.slice(1))).toEqual(
      error(`ERR Unknown option or number of arguments for SENTINEL SET '${spelled}'`),
    );
  });
});
