import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { noindexHandle, noindexHeaders, OG_IMAGE, publicPageMeta, robotsDirective } from "./seo-meta.ts";

type Tag = Record<string, string>;
const find = (tags: Tag[], key: string, value: string) => tags.find((tag) => tag[key] === value);

describe("publicPageMeta", () => {
  const tags = publicPageMeta({
    siteUrl: "https://rawjournal.example/",
    path: "/pricing",
    title: "Pricing — RawJournal",
    description: "Plans.",
  }) as Tag[];

  it("gives the canonical address on SITE_URL and the Open Graph and Twitter tags with the preview image", () => {
    expect(find(tags, "rel", "canonical")).toEqual({ tagName: "link", rel: "canonical", href: "https://rawjournal.example/pricing" });
    expect(find(tags, "property", "og:url")?.content).toBe("https://rawjournal.example/pricing");
    expect(find(tags, "property", "og:title")?.content).toBe("Pricing — RawJournal");
    expect(find(tags, "property", "og:description")?.content).toBe("Plans.");
    expect(find(tags, "property", "og:image")?.content).toBe(`https://rawjournal.example${OG_IMAGE.path}`);
    expect(find(tags, "property", "og:image:width")?.content).toBe("1200");
    expect(find(tags, "name", "twitter:card")?.content).toBe("summary_large_image");
    expect(find(tags, "name", "twitter:image")?.content).toBe(`https://rawjournal.example${OG_IMAGE.path}`);
    expect(find(tags, "name", "description")?.content).toBe("Plans.");
    expect(tags[0]).toEqual({ title: "Pricing — RawJournal" });
  });

  it("keeps only title and description when the loader failed", () => {
    expect(publicPageMeta({ siteUrl: undefined, path: "/", title: "T", description: "D" })).toEqual([
      { title: "T" },
      { name: "description", content: "D" },
    ]);
  });
});

describe("noindex", () => {
  it("asks for noindex when any matched route's handle does", () => {
    expect(robotsDirective([{ handle: undefined }, { handle: noindexHandle }, { handle: { other: 1 } }])).toBe("noindex");
    expect(robotsDirective([{ handle: undefined }, { handle: { robots: "index" } }])).toBeNull();
    expect(new Headers(noindexHeaders()).get("x-robots-tag")).toBe("noindex");
  });
});

describe("the preview image", () => {
  it("is the committed PNG at the size the Open Graph tags announce, and small", () => {
    const png = readFileSync(new URL(`../../public${OG_IMAGE.path}`, import.meta.url));
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([OG_IMAGE.width, OG_IMAGE.height]);
    expect(png.length).toBeLessThan(150_000);
  });
});
