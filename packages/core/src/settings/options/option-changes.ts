import type { MasterSettings } from "../master-settings.js";
import { type AnyMasterOption, findMasterOption, MASTER_OPTION_LIST, type MasterOptionChange, optionNameFor } from "./master-options.js";
import type { ConfigEnv, OptionNaming, OptionSpec, OptionTarget, Parsed, RewriteEnv, SetEnv } from "./option-spec.js";

// The registry's operations on whole changes. Each option's spec is typed by its own value; here a
// change carries its option, so the value is handed back to the spec it came from (the casts say
// only that: a spec and the value it parsed always travel together).

/** The spec of a change's option. */
function specOf(change: MasterOptionChange): OptionSpec<unknown> {
  return findMasterOption(change.option, "redis") as OptionSpec<unknown>;
}

/** A parsed value as the change of its option. */
function changeOf(option: AnyMasterOption, parsed: Parsed<unknown>, spelled: string): Parsed<MasterOptionChange> {
  if (!parsed.ok) return parsed;
  return { ok: true, value: { option: option.name, value: parsed.value, spelled } as MasterOptionChange };
}

/**
 * One `SENTINEL SET` option with its values (`typed` as the client wrote it): the change, or the
 * exact error reply. Callers look the option up with {@link findMasterOption} to know its arity.
 */
export function parseSetOption(option: AnyMasterOption, typed: string, values: readonly string[], env: SetEnv): Parsed<MasterOptionChange> {
  const spec = option as OptionSpec<unknown>;
  return changeOf(option, spec.parseSet(values, env, typed), typed.toLowerCase());
}

/** How a config line `sentinel <name> <master> <values...>` relates to the per-master options. */
export type ConfigOptionLookup =
  /** Not a per-master option line (or not with this many values): the loader tries its other directives. */
  | { readonly kind: "other" }
  /** An option line: read its values with {@link parseConfigOption} once its master is found. */
  | { readonly kind: "option"; readonly option: AnyMasterOption }
  /** Valkey's spelling read under Redis's names: Redis's "unrecognized", with the way out. */
  | { readonly kind: "foreign-spelling"; readonly option: AnyMasterOption };

/** Which option a config line sets (`name` lower case, `valueCount` values after the master name). */
export function findConfigOption(name: string, valueCount: number, naming: OptionNaming): ConfigOptionLookup {
  const option = findMasterOption(name, "valkey");
  if (option === undefined || option.parseConfig === undefined || valueCount !== option.arity) return { kind: "other" };
  if (naming === "redis" && option.name !== name) return { kind: "foreign-spelling", option };
  return { kind: "option", option };
}

/** A config line's values for `option` (spelled `name`): the change, or Redis's message for the line. */
export function parseConfigOption(option: AnyMasterOption, name: string, values: readonly string[], env: ConfigEnv): Parsed<MasterOptionChange> {
  const spec = option as OptionSpec<unknown>;
  return changeOf(option, spec.parseConfig!(values, env), name);
}

/** Store a change made by SENTINEL SET. */
export function applyOptionChange(target: OptionTarget, change: MasterOptionChange): void {
  specOf(change).store(target, change.value);
}

/** Store a change read from a config line. */
export function applyLoadedOption(target: OptionTarget, change: MasterOptionChange): void {
  const spec = specOf(change);
  (spec.storeLoaded ?? spec.store)(target, change.value);
}

/** The change as the `+set` event shows it: `<option as spelled> <value>`. */
export function showOptionChange(change: MasterOptionChange): string {
  return `${change.spelled ?? change.option} ${specOf(change).show(change.value)}`;
}

/** One line of a master's options in a rewrite. */
export interface OptionLine {
  /** The option (its Redis name): old lines of either spelling share its slot. */
  readonly option: string;
  /** Everything after `sentinel`: the name as `naming` spells it, the master name, the values. */
  readonly args: readonly string[];
}

/**
 * The rewrite of a master's options, in Sentinel's order: `first` goes right after `sentinel
 * monitor`, `last` after the master's known-replica and known-sentinel lines.
 */
export function rewriteOptions(settings: MasterSettings, env: RewriteEnv, naming: OptionNaming): { first: OptionLine[]; last: OptionLine[] } {
  const first: OptionLine[] = [];
  const last: OptionLine[] = [];
  for (const option of MASTER_OPTION_LIST) {
    if (option.rewrite === undefined) continue;
    const name = optionNameFor(option, naming);
    for (const values of option.rewrite(settings, env)) (option.rewriteLast ? last : first).push({ option: option.name, args: [name, settings.name, ...values] });
  }
  return { first, last };
}

/** The options a rewrite owns (their Redis names): old lines of them without a new value are removed. */
export function rewrittenOptionNames(): readonly string[] {
  return MASTER_OPTION_LIST.filter((o) => o.rewrite !== undefined).map((o) => o.name);
}
