import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown } from "./markdown-lite.ts";

describe("markdown-lite", () => {
  it("reads headings with stable ids, paragraphs, lists and tables", () => {
    const blocks = parseMarkdown(
      "# Title\n\n## win-rate\n\nWins ÷ trades,\nbreakevens too.\n\n- one\n- two **bold**\n\n| a | b |\n|---|---|\n| 1 | `x` |\n",
    );
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "heading", "paragraph", "list", "table"]);
    expect(blocks[1]).toMatchObject({ kind: "heading", level: 2, id: "win-rate" });
    expect(blocks[2]).toEqual({ kind: "paragraph", children: [{ kind: "text", text: "Wins ÷ trades, breakevens too." }] });
    expect(blocks[4]).toMatchObject({ kind: "table", rows: [[[{ kind: "text", text: "1" }], [{ kind: "code", text: "x" }]]] });
  });

  it("passes no markup through and keeps only safe links", () => {
    expect(parseInline("<script>alert(1)</script>")).toEqual([{ kind: "text", text: "<script>alert(1)</script>" }]);
    expect(parseInline("[x](javascript:alert(1))")[0]).toMatchObject({ kind: "text" });
    expect(parseInline("see [Sharpe](#sharpe)")[1]).toEqual({ kind: "link", href: "#sharpe", children: [{ kind: "text", text: "Sharpe" }] });
  });
});
