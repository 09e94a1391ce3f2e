// Resource route: GET /healthz -> {"ok":true}. Used by start scripts and
// container health checks to know the server is up. Deliberately does no
// I/O (no database call) so it only reports that the app is serving.
export function loader() {
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
