import assert from "node:assert/strict";
import { readUplotDist, renderVendorModule, VENDOR_MODULE } from "../../../tools/vendor_uplot.ts";
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from "../../../outputs/html/_vendor_uplot.ts";

const ROOT = new URL("../../../", import.meta.url);
const STALE = `${VENDOR_MODULE} is stale: run "deno task vendor" (after "deno install")`;

Deno.test("vendored uPlot is exactly the copy in node_modules", async () => {
  const dist = await readUplotDist();
  assert.equal(UPLOT_VERSION, dist.version, STALE);
  assert.ok(UPLOT_JS === dist.js, `${STALE}: the script differs`);
  assert.ok(UPLOT_CSS === dist.css, `${STALE}: the stylesheet differs`);
  const text = await Deno.readTextFile(new URL(VENDOR_MODULE, ROOT));
  assert.ok(text === renderVendorModule(dist), `${STALE}: the module was edited by hand`);
});

Deno.test("vendored uPlot is the version deno.json pins", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  assert.equal(config.imports.uplot, `npm:uplot@${UPLOT_VERSION}`, STALE);
});

Deno.test("vendored uPlot script carries its MIT license", () => {
  assert.match(UPLOT_JS, /^\/\*! uPlot v\d+\.\d+\.\d+/);
  assert.match(UPLOT_JS, /Copyright \(c\) \d{4} Leon Sorokin/);
  assert.match(UPLOT_JS, /Permission is hereby granted, free of charge/);
  assert.match(UPLOT_JS, /var uPlot=function/);
});

Deno.test("the generated module reproduces any text exactly, across its line splits", async () => {
  // Quotes, backslashes, line breaks, "${", non-ASCII and a surrogate pair on a split point.
  const head = 'a"b\\c\nd`${e}` é ✓ ';
  // The emoji's high surrogate is the 1000th character: the end of the first literal.
  const tricky = head + "x".repeat(999 - head.length) + "😀" + "z".repeat(1500);
  assert.equal(tricky.charCodeAt(999), 0xd83d);
  const dist = { version: "9.9.9", js: tricky, css: tricky.slice(3, 1500) };
  const dir = await Deno.makeTempDir({ prefix: "rampa-vendor-" });
  try {
    const file = `${dir}/_vendor.ts`;
    await Deno.writeTextFile(file, renderVendorModule(dist));
    const mod = await import(new URL(`file://${file}`).href);
    assert.equal(mod.UPLOT_VERSION, "9.9.9");
    assert.ok(mod.UPLOT_JS === tricky, "script round-trips");
    assert.ok(mod.UPLOT_CSS === dist.css, "stylesheet round-trips");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
