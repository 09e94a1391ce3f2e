// Plain HTTP requests for tests that check what a server answers (status,
// headers) rather than what a browser shows: from a chosen loopback address
// (127.0.0.x, so rate limits see distinct clients), redirects not followed.
import http from "node:http";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request from a chosen loopback address, redirects not followed. */
export function send(
  url: string,
  {
    method = "GET",
    form,
    body: raw,
    headers = {},
    from = "127.0.0.1",
  }: { method?: string; form?: Record<string, string>; body?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : raw;
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        localAddress: from,
        headers: {
          ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
          ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

export function cookiesOf(answer: Answer): string {
  return (answer.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
}
