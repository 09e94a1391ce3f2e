// cachedSessionTag must be sessionTag, minute for minute: around every DST
// switch of the four markets and at random instants over four decades.
import { describe, expect, it } from "vitest";
import { cachedSessionTag } from "./session-tag-cache.ts";
import { sessionTag } from "./sessions.ts";

const SWITCHES = [
  "2025-03-09",
  "2025-03-30",
  "2025-04-06",
  "2025-10-05",
  "2025-10-26",
  "2025-11-02",
  "2026-03-08",
  "2026-03-29",
  "2026-04-05",
  "2026-10-04",
  "2026-10-25",
  "2026-11-01",
];

describe("cachedSessionTag", () => {
  it.each(SWITCHES)("agrees with sessionTag every minute from two days before to two days after %s", (day) => {
    const start = Date.parse(`${day}T00:00:00Z`) - 2 * 86_400_000;
    const disagreements: string[] = [];
    for (let ms = start; ms < start + 4 * 86_400_000; ms += 60_000) {
      // Odd seconds too: a trade opens at any second of its minute.
      const at = new Date(ms + ((ms / 60_000) % 60) * 1000);
      if (cachedSessionTag(at) !== sessionTag(at)) disagreements.push(at.toISOString());
    }
    expect(disagreements).toEqual([]);
  });

  it("agrees with sessionTag at 20 000 random instants from 1995 to 2035", () => {
    let state = 7;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const from = Date.parse("1995-01-01T00:00:00Z");
    const span = Date.parse("2035-01-01T00:00:00Z") - from;
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const at = new Date(from + Math.floor(random() * span));
      if (cachedSessionTag(at) !== sessionTag(at)) disagreements.push(at.toISOString());
    }
    expect(disagreements).toEqual([]);
  });

  it("gives every tag", () => {
    expect(
      ["2026-07-15T02:00:00Z", "2026-07-15T09:00:00Z", "2026-07-15T13:00:00Z", "2026-07-15T18:00:00Z", "2026-07-15T22:30:00Z"].map((iso) =>
        cachedSessionTag(new Date(iso)),
      ),
    ).toEqual(["asian", "london", "overlap", "newyork", "late-ny"]);
  });
});
