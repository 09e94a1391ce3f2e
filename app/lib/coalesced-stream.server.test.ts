import { describe, expect, it } from "vitest";
import { createCoalescedStream } from "./coalesced-stream.server.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createCoalescedStream", () => {
  it("joins what is written in one turn into one chunk, and sends a later write on its own", async () => {
    const stream = createCoalescedStream();
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    for (let i = 0; i < 100; i++) stream.write(new TextEncoder().encode(`<p>${i}</p>`));
    await tick();
    await tick();
    expect(chunks).toEqual([Array.from({ length: 100 }, (_, i) => `<p>${i}</p>`).join("")]);
    // A Suspense boundary's content, written later: it leaves without waiting for the end.
    stream.write("<template>late</template>");
    await tick();
    await tick();
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toBe("<template>late</template>");
    stream.write("tail");
    stream.end();
    await ended;
    expect(chunks.join("")).toMatch(/late<\/template>tail$/);
  });
});
