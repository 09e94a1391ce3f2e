// Resource route: GET /healthz -> {"ok":true,"uptimeSeconds":…}. Used by start
// scripts and container health checks to know the server is up. Deliberately
// does no I/O (no database call) so it only reports that the app is serving;
// /readyz checks what it depends on.
export function loader() {
  return Response.json({ ok: true, uptimeSeconds: Math.round(process.uptime()) }, { headers: { "Cache-Control": "no-store" } });
}
