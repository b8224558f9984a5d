// zod/mini, the tree-shakable form of zod, with English messages. Classic zod (`import { z } from
// "zod"`) builds every schema class and method at import: 162 KB of code and ~0.6 MB of heap for the
// daemon's three schemas, against 45 KB and ~0.35 MB here (docs/performance.md, "Idle").
// zod/mini has no locale until one is configured: without this, every issue says "Invalid input".
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

export { z };
