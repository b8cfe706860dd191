import { equal, match, ok } from "node:assert/strict";
import { count, readSummary, ROOT, runCli } from "./_cli.ts";
import { refusedUrl, wsPackageServer } from "../engines/ws/_servers.ts";
import { startTarget } from "../../target/mod.ts";

Deno.test("rampa run ws:// opens one session per arrival and counts messages each way", async () => {
  const server = await wsPackageServer();
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      [
        "run",
        `${server.url}/chat`,
        "--rate",
        "20/s",
        "-d",
        "2s",
        "--ws-send",
        "hello",
        "--ws-messages",
        "3",
        "--ws-expect",
        "echo",
        "--out",
        "html=report.html",
      ],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "ws_sessions"), 40);
    equal(count(s, "ws_msgs_sent"), 120);
    equal(count(s, "ws_msgs_received"), 120);
    const rtt = s.metrics.ws_msg_rtt;
    ok(rtt?.type === "trend" && rtt.count === 120);
    const failed = s.metrics.ws_session_failed;
    ok(failed?.type === "rate" && failed.passes === 0, "no failed session");
    ok(s.sections?.some((x) => x.protocol === "ws" && x.title === "WebSocket"));
    equal(s.endpoints.find((e) => e.name === `${server.url}/chat`)?.requests, 40);
    match(r.stdout, /ws_msg_rtt/);
    equal(server.handshakes.length, 40);
    match(await Deno.readTextFile(`${dir}/report.html`), /<h2>WebSocket<\/h2>/);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a handshake stalling 1 s every 5 s shows in ws_connecting p99 at 20 sessions/s", async () => {
  // Deno.upgradeWebSocket, holding handshakes that arrive in [2 s, 3 s) of every 5 s after the
  // first one until that window ends. A 4 s run crosses one window.
  let first = NaN;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const now = performance.now();
    if (first !== first) first = now;
    const phase = (now - first) % 5000;
    if (phase >= 2000 && phase < 3000) {
      await new Promise((r) => setTimeout(r, 3000 - phase));
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onmessage = (e) => socket.send(e.data);
    return response;
  });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", `ws://127.0.0.1:${server.addr.port}/`, "--rate", "20/s", "-d", "4s"],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "ws_sessions"), 80);
    const c = s.metrics.ws_connecting;
    ok(c?.type === "trend" && c.p99 >= 900, `p99 ${c?.type === "trend" && c.p99} ms`);
    ok(c?.type === "trend" && c.p50 < 100, "sessions outside the stall connect fast");
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a scenario on ctx.ws records sessions, checks and closes what iterations left open", async () => {
  const server = await wsPackageServer();
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", ROOT + "tests/_support/ws/scenario.ts", "-e", `WS_URL=${server.url}/room`],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "ws_sessions"), 10);
    equal(count(s, "ws_msgs_sent"), 20);
    equal(count(s, "ws_msgs_received"), 20);
    equal(count(s, "ws_sessions_left_open"), 5);
    equal(s.checks.find((c) => c.name === "echoed both")?.passes, 10);
    match(r.stdout, /WebSocket/i);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the chat example passes its checks and thresholds against the embedded target", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", ROOT + "examples/chat.ts", "--env", `BASE_URL=${target.url}`],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "ws_sessions"), 60, "two sessions per arrival, 10/s for 3 s");
    equal(count(s, "ws_msgs_sent"), 90);
    equal(s.thresholds.length, 3);
    ok(s.thresholds.every((t) => t.passed));
    ok(s.checks.every((c) => c.fails === 0), JSON.stringify(s.checks));
    const echo = s.endpoints.find((e) => e.name.endsWith("/ws/echo"));
    equal(echo?.requests, 30);
    ok(echo && echo.duration.count === 30, "the endpoint list has the handshake latency");
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rampa run against a refused ws:// port exits 8 with the refused sessions counted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(["run", refusedUrl() + "/", "--rate", "50/s", "-d", "1s"], dir);
    equal(r.code, 8, r.stdout + r.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    ok(count(s, "ws_sessions") >= 20);
    const failed = s.metrics.ws_session_failed;
    ok(failed?.type === "rate" && failed.fails === 0, "every session failed");
    ok(s.errors.some((e) => e.kind === "refused"), JSON.stringify(s.errors));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
