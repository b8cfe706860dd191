/**
 * The HTML renderer (with uPlot's 55 KB inlined, ~45 ms of start-up CPU) is imported only by
 * runs that write a report: the output registry, which every run imports, must not pull it in,
 * and the output loads it in `start`, before any load.
 */

import { equal, ok } from "node:assert/strict";
import { staticGraph } from "../../_support/static_graph.ts";
import { createHtmlOutput } from "../../../outputs/html/mod.ts";
import { builtSummary } from "../console/_fixture.ts";

Deno.test("the output registry does not import the HTML renderer", async () => {
  const graph = await staticGraph(new URL("../../../outputs/registry.ts", import.meta.url));
  const heavy = [...graph].filter((s) => /\/outputs\/html\/(render|_vendor_uplot)\.ts$/.test(s));
  equal(heavy.length, 0, heavy.join(", "));
});

Deno.test("the HTML output renders the report it loaded in start", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/report.html`;
    const out = createHtmlOutput(path);
    await out.start({} as Parameters<typeof out.start>[0]);
    await out.stop(builtSummary());
    const html = await Deno.readTextFile(path);
    ok(html.startsWith("<!doctype html>") || html.startsWith("<!DOCTYPE html>"), html.slice(0, 40));
    ok(html.includes("uPlot"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
