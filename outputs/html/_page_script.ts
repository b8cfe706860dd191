/**
 * The script inside the HTML report that draws its charts with uPlot from the embedded JSON.
 * Plain ES2017, no modules, no network. It reports its own outcome on `<body>`:
 * `data-rendered="ok"` once every chart has drawn, `data-rendered="error: …"` when anything
 * throws, so a headless browser test turns console errors into assertion failures.
 *
 * @module
 */

/** Chart container ids the page script fills, in page order. */
export const CHART_IDS = [
  "chart-rate",
  "chart-latency",
  "chart-errors",
  "chart-vus",
  "chart-distribution",
  "chart-endpoints",
  "chart-lag",
] as const;

/** The page script (inlined after uPlot). */
export const PAGE_SCRIPT = `(function () {
  "use strict";
  var body = document.body;
  var failed = false;
  function fail(err) {
    if (failed) return;
    failed = true;
    var msg = String(err && err.message ? err.message : err);
    body.setAttribute("data-rendered", "error: " + msg);
    var box = document.getElementById("render-error");
    if (box) { box.textContent = "Charts could not be drawn: " + msg; box.hidden = false; }
  }
  window.addEventListener("error", function (ev) { fail(ev.error || ev.message); });
  var expected = 0, drawn = 0, created = false, charts = [];
  function check() {
    if (created && !failed && drawn === expected) body.setAttribute("data-rendered", "ok");
  }
  function fmtT(s) {
    if (s == null) return "–";
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h) return h + "h" + (m ? (m < 10 ? "0" : "") + m + "m" : "");
    if (m) return m + "m" + (r ? (r < 10 ? "0" : "") + r + "s" : "");
    return r + "s";
  }
  function ms(v) {
    if (v == null) return "–";
    if (v >= 1000) return (v / 1000).toFixed(v >= 10000 ? 1 : 2) + " s";
    return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + " ms";
  }
  function num(v, unit) {
    if (v == null) return "–";
    return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + unit;
  }
  function pct(x) {
    if (x == null || !(x >= 1)) return "–";
    return (100 * (1 - 1 / x)).toFixed(3).replace(/[.]?0+$/, "") + "%";
  }
  // Log axes pass null for unlabelled ticks.
  function labels(fmt) {
    return function (u, splits) { return splits.map(function (v) { return v == null ? "" : fmt(v); }); };
  }
  var TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  // Rates, counts and lag read against zero: a 297-302 axis would make noise look like a trend.
  function fromZero(u, min, max) {
    return [0, max > 0 ? max * 1.08 : 1];
  }
  function positive(col) {
    return col.map(function (v) { return v > 0 ? v : null; });
  }
  function line(label, color, values, extra) {
    var s = { label: label, stroke: color, width: 1.5, value: function (u, v) { return values(v); } };
    for (var k in extra || {}) s[k] = extra[k];
    return s;
  }
  function chart(id, cols, series, opts) {
    var el = document.getElementById(id);
    if (!el) return;
    opts = opts || {};
    expected++;
    var first = true;
    var yFmt = opts.yFmt || function (v) { return String(v); };
    var o = {
      width: Math.max(320, el.clientWidth),
      height: opts.height || 240,
      series: [{ label: opts.xLabel || "time", value: function (u, v) { return (opts.xFmt || fmtT)(v); } }]
        .concat(series),
      scales: { x: opts.xScale || { time: false }, y: opts.yScale || { range: fromZero } },
      axes: [
        { values: labels(opts.xFmt || fmtT), splits: opts.xSplits, incrs: opts.xSplits ? undefined : TIME_INCRS,
          stroke: "#555", grid: { stroke: "#eee" } },
        { values: labels(yFmt), size: 64,
          label: opts.yLabel, stroke: "#555", grid: { stroke: "#eee" } },
      ],
      cursor: { drag: { x: true, y: false } },
      hooks: { draw: [function () { if (first) { first = false; drawn++; check(); } }] },
    };
    charts.push({ el: el, u: new uPlot(o, cols, el), h: o.height });
  }
  try {
    var data = JSON.parse(document.getElementById("rampa-data").textContent);
    if (typeof uPlot !== "function") throw new Error("uPlot did not load");
    var t = data.t, rate = function (v) { return num(v, "/s"); };
    if (t.length) {
      var rs = [], rc = [t];
      if (data.offered) {
        rs.push(line("offered iterations/s", "#6b7280", rate, { dash: [6, 4] }));
        rc.push(data.offered);
      }
      if (data.iterations) {
        rs.push(line("iterations/s", "#0d9488", rate));
        rc.push(data.iterations);
      }
      rs.push(line("requests/s", "#2563eb", rate, { fill: "rgba(37,99,235,0.08)" }));
      rc.push(data.achieved);
      chart("chart-rate", rc, rs, { yLabel: "per second" });

      var logY = data.max.some(function (v) { return v > 0; });
      var lc = [t], ls = [];
      [["p50", "#0ea5e9"], ["p90", "#6366f1"], ["p95", "#a855f7"], ["p99", "#db2777"],
        ["max", "#9ca3af"]].forEach(function (p) {
        ls.push(line(p[0], p[1], ms));
        lc.push(logY ? positive(data[p[0]]) : data[p[0]]);
      });
      var dashes = [[8, 5], [3, 3], [12, 4, 2, 4]], reds = ["#dc2626", "#b91c1c", "#ea580c"];
      data.thresholds.forEach(function (th, i) {
        ls.push(line(th.label, reds[i % 3], ms, { dash: dashes[i % 3], width: 1.25, points: { show: false } }));
        lc.push(t.map(function () { return th.value; }));
      });
      chart("chart-latency", lc, ls, {
        yLabel: "latency", yFmt: ms, yScale: logY ? { distr: 3, log: 10 } : undefined,
      });

      chart("chart-errors", [t, data.failed, data.dropped], [
        line("failed/s", "#dc2626", rate, { fill: "rgba(220,38,38,0.12)" }),
        line("dropped/s", "#d97706", rate),
      ], { yLabel: "per second" });
      chart("chart-vus", [t, data.vus], [
        line("VUs", "#0d9488", function (v) { return num(v, ""); }, { fill: "rgba(13,148,136,0.1)" }),
      ], { yLabel: "VUs" });
      chart("chart-lag", [t, data.lagP99], [line("scheduler lag p99", "#7c3aed", ms)], {
        yLabel: "lag", yFmt: ms, height: 180,
      });
    }
    if (data.distribution) {
      var d = data.distribution, colors = ["#2563eb", "#9ca3af"];
      chart("chart-distribution", [d.x].concat(d.series.map(function (s) { return positive(s.y); })),
        d.series.map(function (s, i) { return line(s.label, colors[i % 2], ms); }), {
          xLabel: "percentile", xFmt: pct, xScale: { time: false, distr: 3, log: 10 },
          xSplits: function () { return [1, 10, 100, 1000, 10000, 100000]; },
          yLabel: "latency", yFmt: ms, yScale: { distr: 3, log: 10 }, height: 280,
        });
    }
    if (data.endpoints) {
      var ep = data.endpoints, palette = ["#2563eb", "#db2777", "#0d9488", "#d97706", "#7c3aed",
        "#dc2626", "#0ea5e9", "#4b5563"];
      chart("chart-endpoints", [ep.x].concat(ep.series.map(function (s) { return positive(s.y); })),
        ep.series.map(function (s, i) { return line(s.label, palette[i % palette.length], ms); }), {
          xLabel: "percentile", xFmt: pct, xScale: { time: false, distr: 3, log: 10 },
          xSplits: function () { return [1, 10, 100, 1000, 10000, 100000]; },
          yLabel: "latency", yFmt: ms, yScale: { distr: 3, log: 10 }, height: 280,
        });
    }
    created = true;
    check();
    setTimeout(function () {
      if (!failed && drawn < expected) fail("only " + drawn + " of " + expected + " charts drew");
    }, 5000);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.u.setSize({ width: Math.max(320, c.el.clientWidth), height: c.h }); });
    });
  } catch (e) {
    fail(e);
  }
})();
`;
