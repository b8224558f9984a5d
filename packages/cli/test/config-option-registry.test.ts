import { MASTER_OPTION_LIST, type MasterSettings, optionNameFor, type PersistedState } from "@vigil/core";
import { optionNaming, SENTINEL_DIALECTS } from "@vigil/transport-redis";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { rewriteConfig } from "../src/config/rewrite-config.js";
import { formatLine } from "../src/config/tokenize.js";

// The config loader and the rewriter know no option by name: every option the registry gives a
// config line is loaded and written back by them, in every dialect's spelling. An option added to
// the registry is covered here without a change to this test or to either of them.

const MYID = "3f9e0c0d8a1b2c3d4e5f60718293a4b5c6d7e8f9";
const MONITOR = "sentinel monitor m 127.0.0.1 6379 2";
const withLines = (...l: string[]): string => `${[`sentinel myid ${MYID}`, ...l].join("\n")}\n`;

function load(text: string, dialect: string): PersistedState & { settings: MasterSettings } {
  const r = loadConfig(`vigil-dialect ${dialect}\n${text}`, "sentinel.conf", undefined, { isExecutable: () => true });
  if (!r.ok) throw new Error(`${r.error.lineText}: ${r.error.message}`);
  const state = { myId: r.config.myId!, currentEpoch: r.config.currentEpoch, global: r.config.global, masters: [...r.config.masters] };
  return { ...state, settings: r.config.masters[0]!.settings };
}

const withConfigLines = MASTER_OPTION_LIST.filter((o) => o.parseConfig !== undefined);

describe.each(SENTINEL_DIALECTS)("every registry option in a config file (%s)", (dialect) => {
  const naming = optionNaming(dialect);

  it.each(withConfigLines.map((o) => [o.name, o] as const))("%s: loads, is written back in the dialect's spelling, and reloads the same", (_name, option) => {
    const plain = load(withLines(MONITOR), dialect);
    const spelled = optionNameFor(option, naming);
    const line = formatLine(["sentinel", spelled, "m", ...option.example]);
    const loaded = load(withLines(MONITOR, line), dialect);
    expect(loaded.settings[option.field]).not.toEqual(plain.settings[option.field]);

    const rewritten = rewriteConfig(withLines(MONITOR), loaded, {}, { dialect });
    expect(rewritten.split("\n")).toContain(line);
    const reloaded = load(rewritten, dialect);
    expect(reloaded.settings).toEqual(loaded.settings);
    // Written once: the option's old line takes the new value's slot, another rewrite changes nothing.
    expect(rewriteConfig(rewritten, reloaded, {}, { dialect })).toBe(rewritten);
  });

  it.each(withConfigLines.map((o) => [o.name, o] as const))("%s: a line of it for an unknown master is refused", (_name, option) => {
    const text = withLines(MONITOR, formatLine(["sentinel", optionNameFor(option, naming), "other", ...option.example]));
    const r = loadConfig(`vigil-dialect ${dialect}\n${text}`, "sentinel.conf", undefined, { isExecutable: () => true });
    expect(r.ok ? "loaded" : r.error.message).toBe("No such master with specified name.");
  });
});
