/**
 * The topology page as a new user first meets it, in real headless Chromium against a real daemon:
 * the first HTTP response already shows the fleet (a `chromium --headless --screenshot` taken before
 * any Server-Sent Event arrives is not an empty page), the TILT badge is hidden outside TILT, and
 * every badge's text is legible on its background (WCAG AA contrast, 4.5:1).
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpsCluster, startOpsCluster, waitDiscovered } from "./support/ops-cluster.js";
import { killAll, requireBinary } from "./support/processes.js";

let browser: Browser;
let c: OpsCluster;
let url: string;
let masterAddr: string;
let replicaAddr: string;

beforeAll(async () => {
  c = await startOpsCluster({ replicas: 1, sentinels: 1, quorum: 1 });
  await waitDiscovered(c);
  url = `http://127.0.0.1:${c.vigils[0]!.httpPort}/`;
  masterAddr = `127.0.0.1:${c.master.port}`;
  replicaAddr = `127.0.0.1:${c.replicas[0]!.port}`;
  browser = await chromium.launch({
    executablePath: requireBinary("chromium"),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 120000);

afterAll(async () => {
  await browser?.close();
  await killAll();
});

/** Run `fn` on a page of a fresh browser context, closed afterwards. */
async function onPage<T>(options: Parameters<Browser["newContext"]>[0], fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

/** What the page shows of the fleet, read from the DOM. */
async function shown(page: Page) {
  const card = page.locator('article.master[data-name="mymaster"]');
  return {
    address: await card.locator(".master-address").textContent({ timeout: 2000 }).catch(() => null),
    replicas: await card.locator(".replicas tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.address)),
    failover: await card.locator(".failover").textContent({ timeout: 2000 }).catch(() => null),
    monitorEvents: await page.locator('#timeline li[data-type="+monitor"]').count(),
    sentinel: await page.locator("#sentinel-id").textContent(),
  };
}

describe("topology page, first response (headless Chromium, real processes)", () => {
  it("is already drawn without JavaScript", { timeout: 60000 }, async () => {
    await onPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(url);
      const s = await shown(page);
      expect(s).toMatchObject({ address: masterAddr, replicas: [replicaAddr], failover: "failover: none", monitorEvents: 1 });
      expect(s.sentinel).toMatch(/^sentinel [0-9a-f]{8} · port \d+ · \w+ timing$/);
    });
  });

  it("is drawn before any Server-Sent Event arrives, and the TILT badge is hidden outside TILT", { timeout: 60000 }, async () => {
    await onPage({}, async (page) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // No snapshot ever comes: what the user sees is the first response, drawn by the server.
      await page.route("**/events", (route) => route.abort());
      await page.goto(url, { waitUntil: "load" });
      expect(await shown(page)).toMatchObject({ address: masterAddr, replicas: [replicaAddr], monitorEvents: 1 });
      expect(await page.locator("#tilt").isVisible()).toBe(false);
      // The attribute the script toggles is what decides (no class overrides it).
      await page.evaluate(() => {
        (document.querySelector("#tilt") as HTMLElement).hidden = false;
    });
    expect(await page.locator("#tilt").isVisible()).toBe(true);
    expect(errors).toEqual([]);
    });
  });

  it("keeps every badge legible: contrast of at least 4.5:1, also in the dark header", { timeout: 60000 }, async () => {
    await onPage({}, async (page) => {
      await page.goto(url);
      await expect.poll(() => page.locator("#connection").textContent(), { timeout: 30000 }).toBe("live");
      await page.evaluate(() => {
        (document.querySelector("#tilt") as HTMLElement).hidden = false;
    });
    const badges = await page.locator(".badge").evaluateAll((els) =>
      els.map((el) => {
        const st = getComputedStyle(el);
        return { text: el.textContent, id: el.id, color: st.color, background: st.backgroundColor };
      }),
    );
    expect(badges.length).toBeGreaterThanOrEqual(5); // connection, TILT, health, odown, failover
    for (const b of badges) expect(contrast(b.color, b.background), JSON.stringify(b)).toBeGreaterThanOrEqual(4.5);
    });
  });
});

/** WCAG 2 contrast ratio of two opaque `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(css);
    if (!m || (m[4] !== undefined && Number(m[4]) < 1)) throw new Error(`not an opaque colour: ${css}`);
    const [r, g, bl] = [m[1], m[2], m[3]].map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
