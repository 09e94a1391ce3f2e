// SEO and the public pages (issue 19 item 8) against the built app on its own
// database: sitemap.xml and robots.txt as crawlers fetch them, canonical and
// Open Graph tags on the public pages written from SITE_URL, noindex (header
// and meta) on signed-in and sign-in pages; then the landing page in real
// Chromium at 375 px and 1280 px — one h1, landmarks, alt text, contrast in
// the dark theme, no console errors — and without JavaScript.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { cookiesOf, send } from "../support/http-client.ts";

const { app, browser } = browserSuite({ testTimeout: 120_000 });

type Tag = Record<string, string>;

/** The <meta> and <link> tags of a document's head, attributes decoded. */
function headTags(html: string): Tag[] {
  const head = html.slice(0, html.indexOf("</head>"));
  return [...head.matchAll(/<(meta|link)\b([^>]*?)\/?>/g)].map(([, tagName, attributes]) => {
    const tag: Tag = { tagName: tagName! };
    for (const [, name, value] of attributes!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      tag[name!] = value!
        .replace(/&amp;/g, "&")
        .replace(/&quot;/g, '"')
        .replace(/&#x27;/g, "'");
    }
    return tag;
  });
}

const meta = (tags: Tag[], key: "name" | "property", value: string) =>
  tags.filter((t) => t.tagName === "meta" && t[key] === value).map((t) => t.content);

/** The same server reached by its IP, so anything built from the Host header would differ from SITE_URL (localhost). */
const byAddress = (path: string) => `${app.url.replace("localhost", "127.0.0.1")}${path}`;

async function signedInCookie(from: string): Promise<string> {
  const user = await createConfirmedUser(app);
  const answer = await send(`${app.url}/login?index`, { method: "POST", from, form: user, headers: { origin: app.url } });
  expect(answer.status).toBe(302);
  return cookiesOf(answer);
}

describe("crawlers over HTTP", () => {
  it("serves sitemap.xml listing only the public pages at absolute SITE_URL addresses", async () => {
    const response = await fetch(byAddress("/sitemap.xml"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await response.text();
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect([...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1])).toEqual([`${app.url}/`, `${app.url}/pricing`]);
  });

  it("serves robots.txt that allows the public pages, disallows the app and names the sitemap", async () => {
    const response = await fetch(byAddress("/robots.txt"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const robots = await response.text();
    expect(robots).toMatch(/^User-agent: \*\nAllow: \/\n/);
    for (const path of ["/dashboard", "/trades", "/accounts", "/settings", "/analytics", "/webhooks", "/auth/"]) {
      expect(robots).toContain(`\nDisallow: ${path}\n`);
    }
    expect(robots).not.toMatch(/Disallow: \/(pricing|login|signup|sitemap)/);
    expect(robots).toContain(`\nSitemap: ${app.url}/sitemap.xml\n`);
  });

  for (const [path, canonicalPath] of [
    ["/", "/"],
    ["/pricing?interval=year", "/pricing"],
  ] as const) {
    it(`gives ${path} its canonical address, description, Open Graph and Twitter tags, and leaves it indexable`, async () => {
      const response = await fetch(byAddress(path));
      expect(response.status).toBe(200);
      expect(response.headers.get("x-robots-tag")).toBeNull();
      const html = await response.text();
      const tags = headTags(html);
      const canonical = `${app.url}${canonicalPath}`;
      expect(tags.filter((t) => t.rel === "canonical").map((t) => t.href)).toEqual([canonical]);
      expect(meta(tags, "property", "og:url")).toEqual([canonical]);
      expect(meta(tags, "property", "og:type")).toEqual(["website"]);
      expect(meta(tags, "property", "og:title")[0]).toMatch(/RawJournal/);
      expect(meta(tags, "name", "description")).toHaveLength(1);
      expect(meta(tags, "name", "description")[0]!.length).toBeGreaterThan(60);
      expect(meta(tags, "property", "og:description")).toEqual(meta(tags, "name", "description"));
      expect(meta(tags, "name", "twitter:card")).toEqual(["summary_large_image"]);
      expect(meta(tags, "property", "og:image")).toEqual([`${app.url}/og-image.png`]);
      expect(meta(tags, "name", "twitter:image")).toEqual([`${app.url}/og-image.png`]);
      expect(meta(tags, "name", "robots")).toEqual([]);
      expect(html.match(/<h1\b/g)).toHaveLength(1);
    });
  }

  it("serves the preview image the tags name", async () => {
    const response = await fetch(`${app.url}/og-image.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await response.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
  });

  it("marks sign-in, sign-up and password reset noindex, by header and by meta", async () => {
    for (const path of ["/login", "/signup", "/forgot-password"]) {
      const answer = await send(`${app.url}${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers["x-robots-tag"], path).toBe("noindex");
      expect(meta(headTags(answer.body), "name", "robots"), path).toEqual(["noindex"]);
    }
  });

  it("marks every signed-in page and its data requests noindex, by header and by meta", async () => {
    const cookie = await signedInCookie("127.0.0.61");
    for (const path of ["/dashboard", "/trades", "/settings/profile", "/analytics"]) {
      const page = await send(`${app.url}${path}`, { headers: { cookie } });
      expect(page.status, path).toBe(200);
      expect(page.headers["x-robots-tag"], path).toBe("noindex");
      expect(meta(headTags(page.body), "name", "robots"), path).toEqual(["noindex"]);
    }
    // A client-side navigation's single-fetch data request carries the header too.
    const data = await send(`${app.url}/trades.data`, { headers: { cookie } });
    expect(data.status).toBe(200);
    expect(data.headers["x-robots-tag"]).toBe("noindex");
    // Signed in, the public pages stay indexable and canonical.
    const landing = await send(`${app.url}/`, { headers: { cookie } });
    expect(landing.headers["x-robots-tag"]).toBeUndefined();
    expect(meta(headTags(landing.body), "name", "robots")).toEqual([]);
  });
});

/** Visible text whose colour against its painted background is under WCAG AA (4.5:1; 3:1 for large text). */
function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (colour: string): Rgba => {
      const n = colour.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const background = (element: Element | null): Rgba => {
      if (!element) return [255, 255, 255, 1];
      const own = parse(getComputedStyle(element).backgroundColor);
      return own[3] >= 1 ? own : over(own, background(element.parentElement));
    };
    const luminance = ([r, g, b]: Rgba) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const failures: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const text = Array.from(element.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? "")
        .join("")
        .trim();
      if (!text) continue;
      const rect = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (rect.width <= 1 || rect.height <= 1 || style.visibility === "hidden" || style.opacity === "0") continue;
      const colour = parse(style.color);
      // Fully transparent text is a spacer, not something to read.
      if (colour[3] === 0) continue;
      const bg = background(element);
      const fg = over(colour, bg);
      const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
      const ratio = (light + 0.05) / (dark + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)}:1 "${text.slice(0, 40)}"`);
    }
    return failures;
  });
}

describe("the landing page in Chromium", () => {
  for (const [width, height] of [
    [375, 812],
    [1280, 800],
  ] as const) {
    it(`at ${width} px: one h1, landmarks, alt text, readable contrast, no console errors`, async () => {
      const context = await browser.newContext({ viewport: { width, height }, ...(width < 400 ? { isMobile: true, hasTouch: true } : {}) });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const response = await page.goto(`${app.url}/`, { waitUntil: "networkidle" });
      expect(response?.status()).toBe(200);
      expect(await page.locator("h1").count()).toBe(1);
      expect(await page.locator("h1").innerText()).toBe("Your MT5 trading journal, exact to the cent");
      expect(await page.getByRole("banner").count()).toBe(1);
      expect(await page.getByRole("main").count()).toBe(1);
      expect(await page.getByRole("contentinfo").count()).toBe(1);
      expect(await page.getByRole("navigation").count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator("img:not([alt])").count()).toBe(0);
      expect(await page.locator("svg:not([aria-hidden='true']):not([role='img'][aria-label])").count()).toBe(0);
      // The claims the page is for, and no invented proof.
      const main = await page.locator("main").innerText();
      for (const claim of ["exact to the cent", "investor password", "Open source", "HTML or Excel", "CSV and JSON", "heatmap", "chart"]) {
        expect(main.toLowerCase(), claim).toContain(claim.toLowerCase());
      }
      expect(main).not.toMatch(/testimonial|trusted by|★/i);
      expect(await lowContrastText(page)).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await saveScreenshot(page, `public-pages-landing-${width}`);
      await page.screenshot({ path: `/tmp/seo-landing-${width}.png`, fullPage: true });
      await page.screenshot({ path: `/tmp/seo-landing-${width}-fold.png` });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("/pricing signed out: one h1, readable contrast, no console errors, fits 375 px", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/pricing`, { waitUntil: "networkidle" });
    expect(await page.locator("h1").count()).toBe(1);
    expect(await page.getByRole("main").count()).toBe(1);
    expect(await lowContrastText(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "/tmp/seo-pricing-375.png", fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("works without JavaScript: the links lead to pricing and to a sign-up form that submits", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    await page.getByRole("main").getByRole("link", { name: "See pricing" }).click();
    await page.getByRole("heading", { level: 1, name: "Pricing" }).waitFor();
    expect(page.url()).toBe(`${app.url}/pricing`);

    await page.goto(`${app.url}/`);
    await page.getByRole("main").getByRole("link", { name: "Start free" }).first().click();
    await page.getByRole("button", { name: "Create account" }).waitFor();
    expect(page.url()).toBe(`${app.url}/signup`);
    await page.getByLabel("Name").fill("Ada No-Script");
    await page.getByLabel("Email").fill(`no-script-${Date.now()}@example.test`);
    await page.getByLabel("Password", { exact: true }).fill("correct-horse-battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Check your email").waitFor();
    await context.close();
  });
});
