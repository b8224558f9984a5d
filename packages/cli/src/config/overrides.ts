import { reprArg, tokenize } from "./tokenize.js";

/**
 * Group command-line arguments that follow the config file into override directives, exactly as
 * Redis's `main()` does: `--name` starts a directive, following words are its arguments.
 *
 * - `--port 26380` → `["port", "26380"]`; `"--port 26380"` (one word) → `["port 26380"]` (the
 *   name part is re-split when the line is read, as in Redis).
 * - After a bare `--name`, the next word is its value even if it starts with `--`
 *   (`--masterauth --secret`), except for `--save` and `--sentinel`, which may stand alone.
 * - Words before any `--name` form a group with an empty name (Redis then reports a bad directive).
 */
export function commandLineOverrides(argv: readonly string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] | undefined;
  // Redis's `handled_last_config_arg`: may the next `--word` start a new directive?
  let lastHandled = true;
  argv.forEach((arg, j) => {
    if (lastHandled && arg.startsWith("--")) {
      current = [arg.slice(2)];
      groups.push(current);
      const next = argv[j + 1];
      const nextIsOption = next?.startsWith("--") === true;
      const split = tokenize(arg);
      if (!split.ok || split.args.length !== 1) {
        // Name and value in one word.
        lastHandled = true;
      } else if (arg.toLowerCase() === "--save" && (next === undefined || nextIsOption)) {
        // `--save` with no value means `save ""` (pre-7.0 behaviour Redis keeps).
        current.push("");
        lastHandled = true;
      } else if (arg.toLowerCase() === "--sentinel" && (next === undefined || nextIsOption)) {
        // `--sentinel` is a flag (sentinel mode), not a directive waiting for a value.
        lastHandled = true;
      } else {
        lastHandled = false;
      }
    } else {
      if (current === undefined) {
        current = [""];
        groups.push(current);
      }
      current.push(arg);
      lastHandled = true;
    }
  });
  return groups;
}

/**
 * Render override directives as the config lines Redis appends after the file: the name as given,
 * each argument in `sdscatrepr` quotes (so `--port 26380` reads back as `port "26380"`, which is also
 * what an error report shows).
 */
export function overrideLines(overrides: readonly (readonly string[])[]): string[] {
  return overrides.map((group) => [group[0] ?? "", ...group.slice(1).map(reprArg)].join(" "));
}
