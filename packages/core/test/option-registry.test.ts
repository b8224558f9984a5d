import { describe, expect, it } from "vitest";
import {
  type AnyMasterOption,
  applyLoadedOption,
  applyOptionChange,
  findConfigOption,
  findMasterOption,
  MASTER_OPTION_LIST,
  MASTER_OPTIONS,
  type MasterOptionName,
  type MasterSettings,
  MasterSettingsSchema,
  type OptionNaming,
  parseConfigOption,
  parseSetOption,
  rewriteOptions,
  showOptionChange,
} from "../src/index.js";

// The registry on its own: for every option, what SENTINEL SET and a config line accept (and what
// they store), the exact error for what they refuse, and that the rewrite reads back as it was.
// The texts are redis-sentinel's (the cli and transport-redis conformance tests hold them against it).

const isExecutable = (path: string): boolean => path.startsWith("/usr/");
const SET_ENV = { isExecutable, denyScriptsReconfig: false };
const REWRITE_ENV = { defaultDownAfterMs: 30000, defaultFailoverTimeoutMs: 180000 };
const INVALID = (typed: string, value: string): string => `ERR Invalid argument '${value}' for SENTINEL SET '${typed}'`;
const DENIED =
  "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration";

type Values = readonly string[];
interface Cases {
  /** SENTINEL SET: values → what the settings field then holds. */
  readonly setGood: readonly (readonly [Values, unknown])[];
  /** SENTINEL SET: values → the error reply; `invalid` stands for `Invalid argument '<first value>'`, `invalid-empty` for `Invalid argument ''`. */
  readonly setBad: readonly (readonly [Values, string])[];
  /** A config line's values → what the field holds; absent: the option has no config line. */
  readonly configGood?: readonly (readonly [Values, unknown])[];
  readonly configBad?: readonly (readonly [Values, string])[];
}

const NOT_INTEGERS: Values[] = [["abc"], ["5000ms"], ["+1"], ["01"], ["-0"], [" 1"], [""], ["9223372036854775808"]];
const timeCases = (zeroTurnsOff: boolean): Cases => ({
  setGood: [[["1"], 1], [["86400000"], 86400000], ...(zeroTurnsOff ? [[["0"], 0] as const] : []), [["9223372036854775807"], 2 ** 63]],
  setBad: [...NOT_INTEGERS.map((v) => [v, "invalid"] as const), [["-1"], "invalid"], ...(zeroTurnsOff ? [] : [[["0"], "invalid"] as const])],
  // atoi: garbage after the digits is ignored, and the value is an int.
  configGood: [[["5000ms"], 5000], [["  42"], 42], [["4294967297"], 1], ...(zeroTurnsOff ? [[["abc"], 0] as const] : [])],
  configBad: zeroTurnsOff
    ? [[["-1"], "negative time parameter."]]
    : [
        [["0"], "negative or zero time parameter."],
        [["abc"], "negative or zero time parameter."],
        [["-7"], "negative or zero time parameter."],
      ],
});
const scriptCases = (setError: string, configError: string): Cases => ({
  setGood: [[["/usr/bin/notify.sh"], "/usr/bin/notify.sh"], [[""], undefined]],
  setBad: [[["/tmp/not-executable"], setError]],
  configGood: [[["/usr/bin/notify.sh"], "/usr/bin/notify.sh"]],
  configBad: [[["/tmp/not-executable"], configError], [[""], configError]],
});
const textCases: Cases = {
  setGood: [[["s3cr3t word"], "s3cr3t word"], [[""], undefined]],
  setBad: [],
  // A config line keeps even an empty value (Redis does; SET clears instead).
  configGood: [[["s3cr3t"], "s3cr3t"], [[""], ""]],
};
const yesNoCases = (name: string): Cases => ({
  setGood: [[["YES"], true], [["no"], false]],
  setBad: [[["on"], "invalid"], [["1"], "invalid"], [[""], "invalid"]],
  configGood: [[["Yes"], true], [["NO"], false]],
  configBad: [[["true"], `Please specify yes or no for the ${name} option.`]],
});

const CASES: Record<MasterOptionName, Cases> = {
  "down-after-milliseconds": timeCases(false),
  "failover-timeout": timeCases(false),
  "parallel-syncs": {
    // Stored in a C int: truncated, not refused (Redis's behaviour).
    setGood: [[["4"], 4], [["2147483648"], -2147483648], [["4294967296"], 0]],
    setBad: [[["0"], "invalid"], [["-1"], "invalid"], [["4x"], "invalid"]],
    configGood: [[["-3"], -3], [["abc"], 0], [["5"], 5]],
  },
  quorum: {
    // Stored in an unsigned int; a value that truncates to 0 is refused (Vigil's settings need ≥ 1).
    setGood: [[["3"], 3], [["4294967297"], 1]],
    setBad: [[["0"], "invalid"], [["4294967296"], "invalid"], [["-1"], "invalid"], [["two"], "invalid"]],
  },
  "notification-script": scriptCases("ERR Notification script seems non existing or non executable", "Notification script seems non existing or non executable."),
  "client-reconfig-script": scriptCases(
    "ERR Client reconfiguration script seems non existing or non executable",
    "Client reconfiguration script seems non existing or non executable.",
  ),
  "auth-pass": textCases,
  "auth-user": textCases,
  "master-reboot-down-after-period": timeCases(true),
  "vigil-fence-writes": yesNoCases("vigil-fence-writes"),
  "vigil-crash-down-after": timeCases(true),
  "vigil-fence-max-lag": timeCases(false),
  "vigil-fence-stale-master": yesNoCases("vigil-fence-stale-master"),
  "rename-command": {
    setGood: [[["CONFIG", "GUARDED"], { CONFIG: "GUARDED" }], [["config", "Config"], {}]],
    setBad: [[["", "GUARDED"], "invalid-empty"], [["CONFIG", ""], "invalid-empty"]],
    // A config file keeps even a rename to itself.
    configGood: [[["Config", "config"], { Config: "config" }]],
  },
};

function baseSettings(): MasterSettings {
  return MasterSettingsSchema.parse({ name: "m", host: "127.0.0.1", port: 6379, quorum: 2 });
}

function field(option: AnyMasterOption, s: Partial<MasterSettings>): unknown {
  return s[option.field];
}

describe("the per-master option registry", () => {
  it("has test cases for every option, each keyed by its Redis name", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(MASTER_OPTIONS).sort());
    for (const [key, option] of Object.entries(MASTER_OPTIONS)) expect(option.name).toBe(key);
    expect(MASTER_OPTION_LIST.map((o) => o.name)).toEqual(Object.keys(MASTER_OPTIONS));
  });

  describe.each(MASTER_OPTION_LIST.map((o) => [o.name, o] as const))("%s", (name, option) => {
    const cases = CASES[name as MasterOptionName];

    it("SENTINEL SET stores what it accepts, in the option's field", () => {
      for (const [values, stored] of cases.setGood) {
        const parsed = parseSetOption(option, name.toUpperCase(), values, SET_ENV);
        expect(parsed, `${name} ${values.join(" ")}`).toMatchObject({ ok: true });
        if (!parsed.ok) continue;
        const s = baseSettings();
        applyOptionChange(s, parsed.value);
        expect(field(option, s), `${name} ${values.join(" ")}`).toEqual(stored);
      }
    });

    it("SENTINEL SET refuses what it does not accept, with Sentinel's error (the option quoted as typed)", () => {
      const typed = name.toUpperCase();
      for (const [values, error] of cases.setBad) {
        expect(parseSetOption(option, typed, values, SET_ENV), `${name} ${values.join(" ")}`).toEqual({
          ok: false,
          error: error === "invalid" ? INVALID(typed, values[0]!) : error === "invalid-empty" ? INVALID(typed, "") : error,
        });
      }
    });

    it("a config line stores what it accepts and refuses the rest with Redis's message", () => {
      const found = findConfigOption(name, option.arity, "redis");
      if (cases.configGood === undefined) {
        expect(found.kind).toBe("other");
        return;
      }
      expect(found).toEqual({ kind: "option", option });
      // Wrong number of values: not this option's line (Redis: unrecognized).
      expect(findConfigOption(name, option.arity + 1, "redis").kind).toBe("other");
      for (const [values, stored] of cases.configGood) {
        const parsed = parseConfigOption(option, name, values, { isExecutable, current: {} });
        expect(parsed, `${name} ${values.join(" ")}`).toMatchObject({ ok: true });
        if (!parsed.ok) continue;
        const s: Partial<MasterSettings> = {};
        applyLoadedOption(s, parsed.value);
        expect(field(option, s), `${name} ${values.join(" ")}`).toEqual(stored);
      }
      for (const [values, error] of cases.configBad ?? []) {
        expect(parseConfigOption(option, name, values, { isExecutable, current: {} })).toEqual({ ok: false, error });
      }
    });

    it("the rewrite writes nothing for the default, and what it writes reads back to the same value", () => {
      if (option.rewrite === undefined) return;
      const lines = (s: MasterSettings) => {
        const { first, last } = rewriteOptions(s, REWRITE_ENV, "redis");
        return [...first, ...last].filter((l) => l.option === name);
      };
      expect(lines(baseSettings())).toEqual([]);
      for (const [values] of [[option.example], ...(cases.configGood ?? [])]) {
        const s = baseSettings();
        const parsed = parseConfigOption(option, name, values, { isExecutable, current: {} });
        if (!parsed.ok) throw new Error(parsed.error);
        applyLoadedOption(s, parsed.value);
        const written = lines(s);
        if (field(option, s) === field(option, baseSettings())) continue;
        expect(written).toHaveLength(1);
        expect(written[0]!.args.slice(0, 2)).toEqual([name, "m"]);
        const again = baseSettings();
        const reread = parseConfigOption(option, name, written[0]!.args.slice(2), { isExecutable, current: {} });
        if (!reread.ok) throw new Error(reread.error);
        applyLoadedOption(again, reread.value);
        expect(field(option, again)).toEqual(field(option, s));
      }
    });

    it("its example is accepted by SET and by a config line, away from the default", () => {
      const parsed = parseSetOption(option, name, option.example, SET_ENV);
      if (!parsed.ok) throw new Error(parsed.error);
      const s = baseSettings();
      applyOptionChange(s, parsed.value);
      expect(field(option, s)).not.toEqual(field(option, baseSettings()));
      if (option.parseConfig !== undefined) expect(parseConfigOption(option, name, option.example, { isExecutable, current: {} }).ok).toBe(true);
    });
  });

  it("Valkey's spelling is an option under Valkey's names only; a config line in it says so under Redis's", () => {
    const reboot = MASTER_OPTIONS["master-reboot-down-after-period"];
    const byName = (n: string, naming: OptionNaming) => findMasterOption(n, naming);
    expect(byName("primary-reboot-down-after-period", "valkey")).toBe(reboot);
    expect(byName("master-reboot-down-after-period", "valkey")).toBe(reboot);
    expect(byName("primary-reboot-down-after-period", "redis")).toBeUndefined();
    expect(findConfigOption("primary-reboot-down-after-period", 1, "redis")).toEqual({ kind: "foreign-spelling", option: reboot });
    const s = baseSettings();
    s.masterRebootDownAfterMs = 5;
    expect(rewriteOptions(s, REWRITE_ENV, "valkey").first).toEqual([{ option: "master-reboot-down-after-period", args: ["primary-reboot-down-after-period", "m", "5"] }]);
    expect(rewriteOptions(s, REWRITE_ENV, "redis").first).toEqual([{ option: "master-reboot-down-after-period", args: ["master-reboot-down-after-period", "m", "5"] }]);
  });

  it("names are own keys only", () => {
    for (const naming of ["redis", "valkey"] as const) {
      for (const n of ["constructor", "__proto__", "toString", "hasOwnProperty"]) expect(findMasterOption(n, naming)).toBeUndefined();
    }
  });

  it("script options are refused outright while deny-scripts-reconfig is on, even to clear them", () => {
    for (const name of ["notification-script", "client-reconfig-script"] as const) {
      for (const path of ["/usr/bin/notify.sh", ""]) {
        expect(parseSetOption(MASTER_OPTIONS[name], name, [path], { isExecutable, denyScriptsReconfig: true })).toEqual({ ok: false, error: DENIED });
      }
    }
  });

  it("a config file renames a command only once, whatever its case", () => {
    const option = MASTER_OPTIONS["rename-command"];
    const current = { renamedCommands: { Config: "X" } };
    expect(parseConfigOption(option, "rename-command", ["CONFIG", "Y"], { isExecutable, current })).toEqual({
      ok: false,
      error: "Same command renamed multiple times with rename-command.",
    });
  });

  it("the +set event shows the option as spelled and the value as stored, the password masked", () => {
    const show = (name: MasterOptionName, typed: string, values: Values): string => {
      const parsed = parseSetOption(MASTER_OPTIONS[name], typed, values, SET_ENV);
      if (!parsed.ok) throw new Error(parsed.error);
      return showOptionChange(parsed.value);
    };
    expect(show("auth-pass", "AUTH-PASS", ["hunter2"])).toBe("auth-pass ******");
    expect(show("auth-user", "auth-user", ["admin"])).toBe("auth-user admin");
    expect(show("parallel-syncs", "parallel-syncs", ["4294967297"])).toBe("parallel-syncs 1");
    expect(show("master-reboot-down-after-period", "Primary-Reboot-Down-After-Period", ["9"])).toBe("primary-reboot-down-after-period 9");
    expect(show("vigil-fence-writes", "vigil-fence-writes", ["YES"])).toBe("vigil-fence-writes yes");
    expect(show("notification-script", "notification-script", [""])).toBe("notification-script ");
    expect(show("rename-command", "rename-command", ["CONFIG", "GUARDED"])).toBe("rename-command CONFIG GUARDED");
  });
});
