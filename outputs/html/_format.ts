/**
 * Escaping and number formatting for the HTML report. Every string that came from a user or
 * a target (names, URLs, error messages, config values) goes through {@link escapeHtml}
 * before it reaches the page; data for the page script goes through {@link jsonForScript}.
 *
 * @module
 */

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * JSON for a `<script type="application/json">` element: `<` is written as `\u003c`, so no
 * value (an endpoint named `</script>`) can end the element early; the JSON still parses to
 * the same data.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Rounds to `digits` decimals, so embedded series carry no meaningless precision. */
export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** An integer with thousands separators: `14,961`. */
export function formatInt(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}

/** A duration in ms as people read it: `0.42 ms`, `12.3 ms`, `1.24 s`. */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

/** A length of time in ms, coarse: `250ms`, `1.5s`, `30s`, `2m30s`, `8h`. */
export function formatSpan(ms: number): string {
  if (ms === 0) return "0s";
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100) / 10;
  if (tenths < 60) return `${tenths}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return (h ? `${h}h` : "") + (m ? `${m}m` : "") + (r && !h ? `${r}s` : "");
}

/** A share (0–1) as a percentage: `0.27%`, `12.5%`. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return "–";
  const p = share * 100;
  return `${p === 0 || p >= 10 ? p.toFixed(1) : p.toFixed(2)}%`;
}

/** A per-second rate: `498.7/s`. */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return "–";
  return `${perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1)}/s`;
}

/** A byte count: `1.2 MB`. */
export function formatBytes(v: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** A config value as one line of text (objects and arrays as compact JSON, truncated). */
export function formatValue(v: unknown, max = 400): string {
  const text = typeof v === "string" ? v : JSON.stringify(v) ?? String(v);
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** Builds a table from a header row and body rows whose cells are already HTML. */
export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number> = new Set(),
): string {
  const cls = (i: number) => numeric.has(i) ? ' class="num"' : "";
  const th = head.map((h, i) => `<th${cls(i)}>${h}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join("")}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body.join("\n")}\n</tbody></table>`;
}

/** A section with a heading (already escaped) and HTML content. */
export function section(id: string, title: string, content: string, note = ""): string {
  const n = note ? `<p class="note">${note}</p>` : "";
  return `<section id="${id}"><h2>${title}</h2>${n}\n${content}\n</section>`;
}
