import { z } from "zod";

/** Process-wide Sentinel settings (§1.1, §17.1.2, §19.2). */
export const GlobalSettingsSchema = z.object({
  /** `announce-ip`; `undefined` = use the local address of the link (§7.1). */
  announceIp: z.string().optional(),
  /** `announce-port`; 0 = unset. */
  announcePort: z.number().int().min(0).max(65535).default(0),
  /** The port this sentinel listens on (used in hellos when announce-port is 0). */
  port: z.number().int().min(0).max(65535).default(26379),
  resolveHostnames: z.boolean().default(false),
  announceHostnames: z.boolean().default(false),
  denyScriptsReconfig: z.boolean().default(true),
  sentinelUser: z.string().optional(),
  sentinelPass: z.string().optional(),
  /** `requirepass` of this sentinel; used towards peers when sentinel-pass is unset (§4). */
  requirePass: z.string().optional(),
  loglevel: z.enum(["debug", "verbose", "notice", "warning", "nothing"]).default("notice"),
});

/** Validated global settings. */
export type GlobalSettings = z.infer<typeof GlobalSettingsSchema>;
/** Global settings as a caller may supply them. */
export type GlobalSettingsInput = z.input<typeof GlobalSettingsSchema>;
