/**
 * The rest of k6's run flags through the real CLI against a counting Deno.serve target:
 * `--rps` caps requests (ad-hoc and scenario), `--http-debug` prints exchanges without their
 * secrets, `--summary-trend-stats` picks the console's columns, `--console-output` takes the
 * scenario's console, and `RAMPA_<FLAG>` variables stand in for flags.
 */
import { equal, match, ok } from "node:assert/strict";
import { readSummary, runCli } from "./_cli.ts";

/** A server that counts what it receives, on a free loopback port. */
function countingServer(): { url: string; hits: () => number; close: () => Promise<void> } {
  let hits = 0;
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    (req) => {
      hits++;
      const u = new URL(req.url);
      if (u.pathname === "/login") {
        return new Response(JSON.stringify({ ok: true, access_token: "RESPTOKEN123" }), {
          headers: { "content-type": "application/json", "set-cookie": "sid=COOKIESECRET9" },
        });
      }
      return new Response("hello");
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    hits: () => hits,
    close: async () => {
      ac.abort();
      await server.finished;
    },
  };
}

function within(actual: number, expected: number, share: number, what: string): void {
  ok(
    Math.abs(actual - expected) <= expected * share,
    `${what}: ${actual} requests, expected ${expected} ±${share * 100}%`,
  );
}

Deno.test("--rps 50 caps 20 VUs over 2 s at about 100 requests (ad-hoc URL)", async () => {
  const srv = countingServer();
  try {
    // --graceful-stop 0s: requests still queued under the cap at the end are not sent after it.
    const r = await runCli([
      "run",
      srv.url + "/",
      "--vus",
      "20",
      "-d",
      "2s",
      "--rps",
      "50",
      "--graceful-stop",
      "0s",
      "--no-summary",
    ]);
    equal(r.code, 0, r.stderr);
    within(srv.hits(), 100, 0.1, "server count");
  } finally {
    await srv.close();
  }
});

Deno.test("RAMPA_RPS caps a scenario's ctx.http requests over two workers", async () => {
  const srv = countingServer();
  const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-" });
  try {
    await Deno.writeTextFile(
      `${dir}/s.ts`,
      `import { http } from "rampa";\nexport const options = { scenarios: { s: {\n` +
        `  executor: "constant-vus", vus: 20, duration: "2s", gracefulStop: "0s" } } };\n` +
        `export default async function (ctx) {\n  await http.get(ctx.env.BASE_URL + "/");\n}\n`,
    );
    // gracefulStop 0s: requests still queued under the cap at the end are not sent after it.
    const r = await runCli(
      ["run", "s.ts", "--workers", "2", "--env", `BASE_URL=${srv.url}`],
      dir,
      { RAMPA_RPS: "50" },
    );
    equal(r.code, 0, r.stderr);
    // Each of the two threads may send its first request at once: 100 plus at most 2.
    within(srv.hits(), 100, 0.1, "server count");
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.run.config.rps, 50);
  } finally {
    await srv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--http-debug=full prints exchanges with every secret redacted", async () => {
  const srv = countingServer();
  try {
    const r = await runCli([
      "run",
      `http://user:URLPASS77@${srv.url.slice(7)}/login?token=URLTOKEN42&page=2`,
      "--iterations",
      "3",
      "--rate",
      "10/s",
      "-H",
      "Authorization: Bearer HEADERTOKEN31",
      "-H",
      "X-Api-Key: APIKEY55",
      "--body",
      '{"user":"u","password":"BODYPASS66"}',
      "-H",
      "Content-Type: application/json",
      "--http-debug=full",
      "--no-summary",
    ]);
    equal(r.code, 0, r.stderr);
    const all = r.stdout + r.stderr;
    for (
      const secret of [
        "URLPASS77",
        "URLTOKEN42",
        "HEADERTOKEN31",
        "APIKEY55",
        "BODYPASS66",
        "COOKIESECRET9",
        "RESPTOKEN123",
      ]
    ) ok(!all.includes(secret), `${secret} leaked:\n${r.stderr}`);
    match(r.stderr, /> POST http:\/\/127\.0\.0\.1:\d+\/login\?token=REDACTED&page=2/);
    match(r.stderr, /> Authorization: REDACTED/);
    match(r.stderr, /< 200 /);
    match(r.stderr, /"access_token":"REDACTED"/);
    equal(r.stderr.match(/^> POST /gm)?.length, 3);
  } finally {
    await srv.close();
  }
});

Deno.test("--http-debug without =full prints headers, not bodies, for scenario requests", async () => {
  const srv = countingServer();
  const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-" });
  try {
    await Deno.writeTextFile(
      `${dir}/s.ts`,
      `import { http } from "rampa";\nexport const options = { iterations: 2 };\n` +
        `export default async function (ctx) {\n  await http.get(ctx.env.BASE_URL + ` +
        `"/login?session=SESS88", { headers: { Cookie: "a=COOKIE77" } });\n}\n`,
    );
    const r = await runCli(
      ["run", "s.ts", "--http-debug", "--env", `BASE_URL=${srv.url}`, "--no-summary"],
      dir,
    );
    equal(r.code, 0, r.stderr);
    ok(!/SESS88|COOKIE77|COOKIESECRET9|RESPTOKEN123/.test(r.stdout + r.stderr), r.stderr);
    match(r.stderr, /> GET http:\/\/127\.0\.0\.1:\d+\/login\?session=REDACTED/);
    match(r.stderr, /< set-cookie: REDACTED/);
    ok(!r.stderr.includes("access_token"), "no body without =full");
  } finally {
    await srv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--http-debug on a URL prints response headers but no body", async () => {
  const srv = countingServer();
  try {
    const r = await runCli(["run", srv.url + "/", "-i", "1", "--http-debug", "--no-summary"]);
    equal(r.code, 0, r.stderr);
    match(r.stderr, /^> GET http:\/\/127\.0\.0\.1:\d+\/$/m);
    match(r.stderr, /^< content-type: text\/plain/m);
    ok(!/^hello$/m.test(r.stderr), r.stderr);
  } finally {
    await srv.close();
  }
});

Deno.test("--summary-trend-stats picks the console's timing columns; a bad name exits 2", async () => {
  const srv = countingServer();
  try {
    const r = await runCli([
      "run",
      srv.url + "/",
      "--iterations",
      "5",
      "--rate",
      "50/s",
      "--summary-trend-stats",
      "avg,min,med,max,p(90),p(95),p(99.9)",
      "--no-summary",
    ]);
    equal(r.code, 0, r.stderr);
    match(r.stdout, /^timings\s+avg\s+min\s+med\s+max\s+p90\s+p95\s+p99\.9$/m);
    const bad = await runCli(["run", srv.url, "--summary-trend-stats", "avg,p(42)"]);
    equal(bad.code, 2);
    match(bad.stderr, /Cannot use --summary-trend-stats "p\(42\)"/);
    equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  } finally {
    await srv.close();
  }
});

const LOGGING = `import { http } from "rampa";
console.log("imported");
export const options = { vus: 2, iterations: 4 };
export function setup() { console.info("in setup"); return { n: 1 }; }
export default async function (ctx) {
  console.log("iteration", { vu: ctx.vu > 0 });
  console.error("oops");
}
export function teardown() { console.warn("in teardown"); }
`;

Deno.test("--console-output takes scenario console lines from every thread", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-" });
  try {
    await Deno.writeTextFile(`${dir}/s.ts`, LOGGING);
    const r = await runCli(
      ["run", "s.ts", "--console-output", "console.log", "--workers", "2", "--no-summary"],
      dir,
    );
    equal(r.code, 0, r.stderr);
    ok(!/imported|in setup|iteration \{|oops|in teardown/.test(r.stdout + r.stderr), r.stderr);
    const text = await Deno.readTextFile(`${dir}/console.log`);
    match(text, /^in setup$/m);
    match(text, /^\[warn\] in teardown$/m);
    equal(text.match(/^iteration \{ vu: true \}$/gm)?.length, 4, text);
    equal(text.match(/^\[error\] oops$/gm)?.length, 4, text);
    ok((text.match(/^imported$/gm)?.length ?? 0) >= 2, text); // lifecycle and load threads
    // Without the flag: on stderr, never on stdout (the summary's).
    const plain = await runCli(["run", "s.ts", "--no-summary"], dir);
    equal(plain.code, 0, plain.stderr);
    ok(!/in setup|iteration \{|oops/.test(plain.stdout), plain.stdout);
    match(plain.stderr, /in setup/);
    equal(plain.stderr.match(/^iteration/gm)?.length, 4, plain.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RAMPA_ variables stand in for flags, and a flag wins", async () => {
  const srv = countingServer();
  const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-" });
  try {
    const r = await runCli(["run", srv.url + "/", "--iterations", "3"], dir, {
      RAMPA_ITERATIONS: "50",
      RAMPA_RATE: "100/s",
      RAMPA_OUT: "csv=m.csv,json=copy.json",
      RAMPA_NO_SUMMARY: "true",
    });
    equal(r.code, 0, r.stderr);
    equal(srv.hits(), 3);
    ok((await Deno.stat(`${dir}/m.csv`)).isFile);
    ok((await Deno.stat(`${dir}/copy.json`)).isFile);
    ok(!(await Deno.stat(`${dir}/rampa-summary.json`).catch(() => null)));
    const bad = await runCli(["run", srv.url, "--iterations", "1"], dir, {
      RAMPA_INSECURE: "maybe",
    });
    equal(bad.code, 2);
    match(bad.stderr, /RAMPA_INSECURE "maybe"/);
  } finally {
    await srv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
