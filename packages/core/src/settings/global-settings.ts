import { z } from "./zod-mini.js";

/** Process-wide Sentinel settings (§1.1, §17.1.2, §19.2). */
export const GlobalSettingsSchema = z.object({
  /** `announce-ip`; `undefined` = use the local address of the link (§7.1). */
  announceIp: z.optional(z.string()),
  /** `announce-port`; 0 = unset. */
  announcePort: z._default(z.int().check(z.gte(0), z.lte(65535)), 0),
  /** The port this sentinel listens on (used in hellos when announce-port is 0). */
  port: z._default(z.int().check(z.gte(0), z.lte(65535)), 26379),
  resolveHostnames: z._default(z.boolean(), false),
  announceHostnames: z._default(z.boolean(), false),
  denyScriptsReconfig: z._default(z.boolean(), true),
  sentinelUser: z.optional(z.string()),
  sentinelPass: z.optional(z.string()),
  /** `requirepass` of this sentinel; used towards peers when sentinel-pass is unset (§4). */
  requirePass: z.optional(z.string()),
  loglevel: z._default(z.enum(["debug", "verbose", "notice", "warning", "nothing"]), "notice"),
});

/** Validated global settings. */
export type GlobalSettings = z.infer<typeof GlobalSettingsSchema>;
/** Global settings as a caller may supply them. */
export type GlobalSettingsInput = z.input<typeof GlobalSettingsSchema>;
