/**
 * Opens the HTML report in a real headless browser (Debian's chromium) from a file:// URL:
 * the charts must draw (uPlot's canvases exist and the page script marks `data-rendered="ok"`,
 * or `"error: …"` with the message when anything threw), and a screenshot is saved to
 * `tests/outputs/html/artifacts/` for people to look at. Skipped when chromium is missing.
 *
 * @module
 */
import assert from "node:assert/strict";
import { renderHtmlReport } from "../../../outputs/html/mod.ts";
import { UPLOT_JS } from "../../../outputs/html/_vendor_uplot.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { builtSummary } from "../console/_fixture.ts";
import { rampSummary } from "./_fixture.ts";

const ARTIFACTS = new URL("./artifacts/", import.meta.url);

/** The browser binary, or null when it is not installed. */
async function findChromium(): Promise<string | null> {
  for (const bin of [Deno.env.get("CHROMIUM_BIN"), "chromium", "chromium-browser"]) {
    if (!bin) continue;
    try {
      const out = await new Deno.Command(bin, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      })
        .output();
      if (out.success) return bin;
    } catch {
      // Not on PATH: try the next name.
    }
  }
  return null;
}

const CHROMIUM = await findChromium();
if (!CHROMIUM) {
  console.warn(
    "SKIPPED: HTML browser tests need chromium " +
      "(apt-get install -y --no-install-recommends chromium), which is not installed",
  );
}

/** Runs headless chromium on `file` with the flags CI uses; returns stdout. */
async function chromium(profile: string, file: string, extra: string[]): Promise<string> {
  const out = await new Deno.Command(CHROMIUM!, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      "--virtual-time-budget=2000",
      ...extra,
      `file://${file}`,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  }).output();
  const text = new TextDecoder();
  if (!out.success) {
    throw new Error(`chromium exited ${out.code}: ${text.decode(out.stderr).slice(-2000)}`);
  }
  return text.decode(out.stdout);
}

/** What the page script reported on `<body data-rendered>`. */
function renderedState(dom: string): string | undefined {
  return /<body[^>]*data-rendered="([^"]*)"/.exec(dom)?.[1];
}

/** Writes the report for `summary`, opens it, and checks that every chart drew. */
async function openReport(
  dir: string,
  name: string,
  summary: Summary,
): Promise<{ file: string; dom: string }> {
  const file = `${dir}/${name}.html`;
  await Deno.writeTextFile(file, await renderHtmlReport(summary));
  const dom = await chromium(`${dir}/profile-${name}`, file, ["--dump-dom"]);
  const rendered = renderedState(dom);
  assert.equal(rendered, "ok", `page script reported: ${rendered ?? "(no body attribute)"}`);
  const canvases = dom.match(/<canvas/g)?.length ?? 0;
  assert.ok(canvases >= 4, `${canvases} canvases in the rendered DOM`);
  return { file, dom };
}

Deno.test({
  name: "report renders every chart in headless chromium and is screenshotted",
  ignore: !CHROMIUM,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rampa-html-browser-" });
    try {
      const { file } = await openReport(dir, "report", rampSummary());
      await chromium(`${dir}/profile-shot`, file, [
        `--screenshot=${dir}/report.png`,
        "--window-size=1280,2400",
      ]);
      const png = await Deno.readFile(`${dir}/report.png`);
      assert.deepEqual([...png.slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");
      assert.ok(png.length > 50_000, `${png.length} bytes: a page with charts, not a blank one`);
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await Deno.writeFile(new URL("report.png", ARTIFACTS), png);
      await Deno.copyFile(file, new URL("report.html", ARTIFACTS));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "hostile names render as text in chromium and run no script",
  ignore: !CHROMIUM,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rampa-html-browser-" });
    try {
      const s = builtSummary();
      const evil =
        `<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=2</script>`;
      const { dom } = await openReport(dir, "hostile", {
        ...s,
        endpoints: s.endpoints.map((e) => ({ ...e, name: evil })),
        scenarios: s.scenarios.map((x) => ({ ...x, name: evil })),
        checks: [{ name: evil, passes: 1, fails: 0 }],
      });
      assert.ok(!dom.includes("data-pwned"), "no injected script ran");
      assert.ok(dom.includes("&lt;img src=x onerror="), "the name is shown as text");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a page whose charts cannot draw says so on its body instead of passing silently",
  ignore: !CHROMIUM,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rampa-html-browser-" });
    try {
      const file = `${dir}/broken.html`;
      const html = await renderHtmlReport(builtSummary());
      assert.ok(html.includes(UPLOT_JS));
      await Deno.writeTextFile(file, html.replace(UPLOT_JS, ""));
      const dom = await chromium(`${dir}/profile-broken`, file, ["--dump-dom"]);
      assert.equal(renderedState(dom), "error: uPlot did not load");
      assert.match(dom, /<p id="render-error">Charts could not be drawn: uPlot did not load<\/p>/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
