import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { startOpsCluster, waitDiscovered } from "./support/ops-cluster.js";
import { cmd, killAll, requireBinary, tempDir } from "./support/processes.js";

let browser: BrowserContext | undefined;
afterAll(async () => {
  await browser?.close();
  await killAll();
});

/** Debian's chromium, headless, with a fresh profile and nothing that phones home. */
async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir("vigil-chromium-"), {
    executablePath: requireBinary("chromium"),
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

describe("live topology page (headless Chromium, real processes)", () => {
  // Six processes and a browser: generous limits, CI machines are often shared.
  it("shows masters, replicas, sentinels and events, and follows a failover live", { timeout: 240000 }, async () => {
    const c = await startOpsCluster({ replicas: 2, sentinels: 3, quorum: 2 });
    await waitDiscovered(c);
    const old = `127.0.0.1:${c.master.port}`;
    const replicas = c.replicas.map((r) => `127.0.0.1:${r.port}`);

    browser = await launch();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${c.vigils[0]!.httpPort}/`);
    const card = page.locator('article.master[data-name="mymaster"]');
    await expect.poll(() => card.locator(".master-address").textContent(), { timeout: 30000 }).toBe(old);
    await expect.poll(() => page.locator("#connection").textContent(), { timeout: 30000 }).toBe("live");
    expect((await card.locator(".replicas tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.address))).sort()).toEqual([...replicas].sort());
    expect(await card.locator(".sentinels tbody tr").count()).toBe(2);
    expect(await card.locator(".failover").textContent()).toBe("failover: none");
    expect(await page.locator('#timeline li[data-type="+monitor"]').count()).toBe(1);

    c.master.kill("SIGKILL");
    // The page must follow on its own (Server-Sent Events): no reload.
    await expect.poll(() => card.locator(".master-address").textContent(), { timeout: 60000 }).not.toBe(old);
    const shown = (await card.locator(".master-address").textContent())!;
    expect(replicas).toContain(shown);
    const switched = page.locator('#timeline li[data-type="+switch-master"]');
    await expect.poll(() => switched.count(), { timeout: 30000 }).toBeGreaterThan(0);
    expect(await switched.first().locator(".payload").textContent()).toBe(`mymaster 127.0.0.1 ${c.master.port} ${shown.replace(":", " ")}`);
    // What the page shows is what the Sentinel answers.
    expect(await cmd(c.vigils[0]!.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).toEqual(shown.split(":"));
    // The old master is listed as a replica of the new one, and seen down.
    await expect.poll(() => card.locator(`.replicas tbody tr[data-address="${old}"] td:nth-child(2)`).textContent(), { timeout: 30000 }).toBe("sdown");
    // ...and its +sdown reached the timeline. (Whether this sentinel saw the *master* SDOWN before the
    // others finished the failover is a race: a failover takes ~60 ms after ODOWN.)
    await expect.poll(() => page.locator(`#timeline li[data-type="+sdown"]`).count(), { timeout: 10000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
