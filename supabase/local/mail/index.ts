// The local mail catcher. Nothing sends real email: the Auth service stores
// every message in `_local.mail_outbox` and this service shows them.
//   GET    /_mail                  HTML page, newest first, links clickable
//   GET    /_mail/api/messages     JSON list, newest first (optional ?to=<address>)
//   DELETE /_mail/api/messages     clears the outbox (optional ?to=<address>)
import type { ServerResponse } from "node:http";
import type { LocalService, ServiceContext } from "../context.ts";
import { clearMail, ensureOutbox, listMail, type StoredMail } from "./outbox.ts";

export { ensureOutbox } from "./outbox.ts";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function renderPage(messages: StoredMail[]): string {
  const items = messages
    .map((m) => {
      const links = m.links.map((link) => `<li><a href="${escapeHtml(link)}" target="_blank" rel="noopener">${escapeHtml(link)}</a></li>`).join("");
      return `<article>
  <header><strong>${escapeHtml(m.subject)}</strong><span>to ${escapeHtml(m.to)}</span><time>${escapeHtml(m.created_at)}</time></header>
  ${links ? `<ul class="links">${links}</ul>` : ""}
  <iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(
    `<base target="_blank"><style>body{font-family:system-ui,sans-serif;color:#ddd;background:#1b1d22}a{color:#7cb7ff}</style>${m.html}`,
  )}"></iframe>
</article>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local mail (${messages.length})</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body{margin:0;padding:24px;font-family:system-ui,sans-serif;background:#111317;color:#e6e6e6}
  h1{font-size:20px;margin:0 0 4px} p.hint{color:#9aa0a6;margin:0 0 20px}
  a{color:#7cb7ff} button{background:#2a2d34;color:#e6e6e6;border:1px solid #3a3e47;border-radius:6px;padding:6px 12px;cursor:pointer}
  article{background:#1b1d22;border:1px solid #2a2d34;border-radius:8px;padding:16px;margin:0 0 16px}
  article header{display:flex;gap:16px;flex-wrap:wrap;align-items:baseline}
  article header span,article header time{color:#9aa0a6;font-size:14px}
  ul.links{margin:10px 0;padding-left:20px;word-break:break-all;font-size:14px}
  iframe{width:100%;height:220px;border:1px solid #2a2d34;border-radius:6px;background:#1b1d22}
  .empty{color:#9aa0a6}
</style></head>
<body>
<h1>Local mail catcher</h1>
<p class="hint">Emails the local Supabase would have sent, newest first. Nothing leaves this machine.
 <a href="/_mail">Refresh</a> · <button id="clear" type="button">Clear all</button></p>
${items || '<p class="empty">No messages yet.</p>'}
<script>
document.getElementById("clear").addEventListener("click", async () => {
  await fetch("/_mail/api/messages", { method: "DELETE" });
  location.reload();
});
</script>
</body></html>`;
}

export async function mailService(ctx: ServiceContext): Promise<LocalService> {
  await ensureOutbox(ctx.pool);
  return {
    name: "mail",
    http: async (req, res, url) => {
      const path = url.pathname.replace(/\/+$/, "") || "/";
      if (path !== "/_mail" && !path.startsWith("/_mail/")) return false;
      const to = url.searchParams.get("to") ?? undefined;
      if (path === "/_mail" && req.method === "GET") {
        const messages = await listMail(ctx.pool, { to });
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
        res.end(renderPage(messages));
        return true;
      }
      if (path === "/_mail/api/messages") {
        if (req.method === "GET") {
          sendJson(res, 200, await listMail(ctx.pool, { to }));
          return true;
        }
        if (req.method === "DELETE") {
          const deleted = await clearMail(ctx.pool, { to });
          sendJson(res, 200, { deleted });
          return true;
        }
        res.writeHead(405, { allow: "GET, DELETE" }).end();
        return true;
      }
      sendJson(res, 404, { message: "not found" });
      return true;
    },
  };
}
