// The ticket index gives back exactly what a Map<string, number> would, for
// the tickets a report can hold: plain digits of any length, leading zeros,
// spaces and letters, "0", and more entries than its first table holds.
import { describe, expect, it } from "vitest";
import { TicketIndex } from "./ticket-index.ts";

describe("TicketIndex", () => {
  it("finds each ticket only under its own text", () => {
    const index = new TicketIndex();
    const tickets = ["7", "007", "70", "0", "00", "123456789012345", "1234567890123456", "9007199254740993", "12 345", "A-17", ""];
    tickets.forEach((ticket, i) => index.set(ticket, i));
    tickets.forEach((ticket, i) => expect(index.get(ticket), ticket).toBe(i));
    expect(index.size).toBe(tickets.length);
    for (const missing of ["8", "07", "000", "123456789012346", "9007199254740992", "12345", "a-17", " 7"]) {
      expect(index.get(missing), missing).toBeUndefined();
      expect(index.has(missing)).toBe(false);
    }
  });

  it("agrees with a Map over 300,000 tickets set, overwritten and looked up, as it grows", () => {
    const index = new TicketIndex();
    const map = new Map<string, number>();
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const ticket = () => {
      const r = random();
      if (r % 50 === 0) return `0${r % 1000}`;
      if (r % 97 === 0) return `T${r}`;
      return String((r % 3 === 0 ? 5_000_000_000 : 10_000_000) + (r % 200_000));
    };
    const disagreements: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const text = ticket();
      if (i % 3 === 0) {
        if (index.get(text) !== map.get(text)) disagreements.push(text);
      } else {
        index.set(text, i);
        map.set(text, i);
      }
    }
    for (const [text, value] of map) if (index.get(text) !== value) disagreements.push(text);
    expect(disagreements).toEqual([]);
    expect(index.size).toBe(map.size);
  });
});
