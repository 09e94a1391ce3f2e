// The layout of the stand-in's pages (hosted checkout, portal, controls):
// server-rendered, no JavaScript, readable at 375 px.
const STYLE = `body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#0f1115;color:#e6e8ee}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.4rem}small,.muted{color:#a3a9b7}
.card{background:#181b22;border:1px solid #2a2f3a;border-radius:.75rem;padding:1rem;margin:1rem 0}
button{font:inherit;padding:.6rem 1rem;border-radius:.5rem;border:1px solid #3b4252;background:#232836;color:#e6e8ee;cursor:pointer;margin:.25rem .25rem .25rem 0}
button.primary{background:#4f7cff;border-color:#4f7cff;color:#fff}button:focus-visible,a:focus-visible{outline:2px solid #9db4ff;outline-offset:2px}
a{color:#9db4ff}table{width:100%;border-collapse:collapse}td,th{text-align:left;white-space:nowrap;padding:.35rem .25rem;border-bottom:1px solid #2a2f3a;font-size:.9rem}
td:first-child{white-space:normal;overflow-wrap:anywhere;width:100%}form{display:inline}.banner{background:#3a2a10;border:1px solid #7a5a20;padding:.5rem .75rem;border-radius:.5rem}`;

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A template tag that escapes every interpolated value unless it is already markup (a Markup). */
export class Markup {
  constructor(readonly html: string) {}
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  const render = (value: unknown): string =>
    value instanceof Markup ? value.html : Array.isArray(value) ? value.map(render).join("") : escapeHtml(value);
  return new Markup(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ""), ""));
}

export function page(title: string, body: Markup): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body.html}<p><small>Local Stripe stand-in — test mode, no real payment is taken.</small></p></main></body></html>`;
}

export function money(cents: unknown): string {
  const value = Number(cents);
  return `${value < 0 ? "−" : ""}$${(Math.abs(value) / 100).toFixed(2)}`;
}

export function date(seconds: unknown): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
}
