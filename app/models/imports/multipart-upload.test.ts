// The upload form's multipart reader against bodies built by the platform's
// own FormData encoder (what browsers send), and against cut-off, oversized
// and malformed ones.
import { describe, expect, it } from "vitest";
import { multipartBoundary, readMultipartUpload } from "./multipart-upload.server.ts";

const limits = { maxBodyBytes: 1024 * 1024, maxFileBytes: 512 * 1024 };

/** A request whose body is what `fetch` would send for this form. */
async function formRequest(form: FormData): Promise<Request> {
  const encoded = new Request("http://localhost/upload", { method: "POST", body: form });
  const body = new Uint8Array(await encoded.arrayBuffer());
  return new Request("http://localhost/upload", {
    method: "POST",
    body,
    headers: { "content-type": encoded.headers.get("content-type")!, "content-length": String(body.length) },
  });
}

function rawRequest(body: string | Uint8Array, contentType: string, headers: Record<string, string> = {}): Request {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return new Request("http://localhost/upload", {
    method: "POST",
    body: bytes as Uint8Array<ArrayBuffer>,
    headers: { "content-type": contentType, ...headers },
  });
}

describe("readMultipartUpload", () => {
  it("reads the fields and the file byte for byte, whatever the file holds", async () => {
    // Bytes that look like delimiters and line ends, and every byte value.
    const content = new Uint8Array(70_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7919) % 256;
    content.set(new TextEncoder().encode("\r\n--\r\n\r\n--x"), 100);
    const form = new FormData();
    form.set("accountId", "0b6f7b2e-9c1d-4f3a-8e2b-5a4c3d2e1f00");
    form.set("file", new Blob([content]), 'Report Hístory "2025".xlsx');
    const upload = await readMultipartUpload(await formRequest(form), limits);
    if (!upload.ok) throw new Error(upload.reason);
    expect(upload.fields.get("accountId")).toBe("0b6f7b2e-9c1d-4f3a-8e2b-5a4c3d2e1f00");
    const file = upload.files.get("file")!;
    expect(file.name).toBe("Report Hístory %222025%22.xlsx");
    expect(Buffer.from(file.bytes).equals(Buffer.from(content))).toBe(true);
  });

  it("treats a file input left empty as no file", async () => {
    const form = new FormData();
    form.set("accountId", "x");
    form.set("file", new Blob([]), "");
    const upload = await readMultipartUpload(await formRequest(form), limits);
    expect(upload.ok && upload.files.size).toBe(0);
  });

  it("refuses a body over the limit, declared or not, and a file part over its own limit", async () => {
    const big = new FormData();
    big.set("file", new Blob([new Uint8Array(limits.maxBodyBytes + 1)]), "big.csv");
    expect(await readMultipartUpload(await formRequest(big), limits)).toEqual({ ok: false, reason: "too-large" });
    const request = await formRequest(big);
    const undeclared = new Request(request.url, {
      method: "POST",
      body: request.body,
      headers: { "content-type": request.headers.get("content-type")! },
      duplex: "half",
    } as RequestInit);
    expect(await readMultipartUpload(undeclared, limits)).toEqual({ ok: false, reason: "too-large" });
    const file = new FormData();
    file.set("file", new Blob([new Uint8Array(limits.maxFileBytes + 1)]), "file.csv");
    expect(await readMultipartUpload(await formRequest(file), limits)).toEqual({ ok: false, reason: "too-large" });
  });

  it("calls a cut-off or malformed body incomplete and another content type not multipart", async () => {
    const form = new FormData();
    form.set("file", new Blob(["Ticket,Symbol\n1,EURUSD\n"]), "trades.csv");
    const request = await formRequest(form);
    const whole = new Uint8Array(await request.arrayBuffer());
    const type = request.headers.get("content-type")!;
    expect(await readMultipartUpload(rawRequest(whole.subarray(0, whole.length - 10), type), limits)).toEqual({ ok: false, reason: "incomplete" });
    expect(await readMultipartUpload(rawRequest("no delimiter here", type), limits)).toEqual({ ok: false, reason: "incomplete" });
    expect(await readMultipartUpload(rawRequest(whole, type, { "content-length": String(whole.length + 5) }), limits)).toEqual({
      ok: false,
      reason: "incomplete",
    });
    expect(await readMultipartUpload(rawRequest("a=1", "application/x-www-form-urlencoded"), limits)).toEqual({ ok: false, reason: "not-multipart" });
  });

  it("reads a quoted boundary and a hand-written body", async () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b;c"')).toBe("a b;c");
    expect(multipartBoundary("text/plain")).toBeNull();
    const body =
      'preamble\r\n--XYZ\r\nContent-Disposition: form-data; name="accountId"\r\n\r\nabc\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="r.htm"\r\nContent-Type: text/html\r\n\r\n<html></html>\r\n--XYZ--\r\n';
    const upload = await readMultipartUpload(rawRequest(body, "multipart/form-data; boundary=XYZ"), limits);
    if (!upload.ok) throw new Error(upload.reason);
    expect(upload.fields.get("accountId")).toBe("abc");
    expect(new TextDecoder().decode(upload.files.get("file")!.bytes)).toBe("<html></html>");
  });
});
