import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { MetricRegistry } from "../../../core/metrics/registry.ts";
import { EvidenceLog } from "../../../core/run/evidence.ts";
import { closeVu, createRuntime, createVuState } from "../../../core/scenario/vu_state.ts";
import { createGrpcApi } from "../../../engines/grpc/api.ts";
import { type ChannelOptions, openChannel, waitConnected } from "../../../engines/grpc/channel.ts";
import { GrpcClient } from "../../../engines/grpc/client.ts";
import { loadProtoFiles } from "../../../engines/grpc/loader.ts";
import { grpcProtocol } from "../../../engines/grpc/protocol.ts";
import { GrpcRecorder } from "../../../engines/grpc/recorder.ts";
import { TEST_CA_CERT } from "../http1/_tls_fixtures.ts";
import { GREETER_PROTO, greeterServer, PROTO_DIR, refusedAddr } from "./_servers.ts";

type Reply = { message: string; count: number; token: string };

function setup() {
  const registry = new MetricRegistry();
  const evidence = new EvidenceLog();
  const recorder = new GrpcRecorder(registry, evidence, { scenario: "t" });
  const methods = loadProtoFiles([GREETER_PROTO], [PROTO_DIR]);
  const totals: { metric: string; value: number; count: number; tags: Record<string, string> }[] =
    [];
  const drain = () => {
    for (const s of registry.drain().series.values()) {
      totals.push({ metric: s.metric, value: s.value, count: s.count, tags: { ...s.tags } });
    }
  };
  /** Sum of a metric's values (or counts) over series whose tags match `where`. */
  const sum = (
    metric: string,
    where: Record<string, string> = {},
    field: "value" | "count" = "value",
  ) =>
    totals.filter((s) =>
      s.metric === metric && Object.entries(where).every(([k, v]) => s.tags[k] === v)
    ).reduce((a, s) => a + s[field], 0);
  const clients: GrpcClient[] = [];
  const connect = async (addr: string, o: ChannelOptions = {}, wait = true) => {
    const ch = openChannel(addr, o);
    const connected = wait ? await waitConnected(ch, 3000) : false;
    const c = new GrpcClient(ch, methods, {
      recorder,
      group: () => "",
      metadata: { "x-token": "t0" },
    }, connected);
    clients.push(c);
    return c;
  };
  const close = () => clients.forEach((c) => c.close());
  return { registry, evidence, drain, sum, connect, close };
}

Deno.test("unary, server, client and bidi calls against grpc-js count exactly", async () => {
  const server = await greeterServer();
  const t = setup();
  try {
    const c = await t.connect(server.addr);
    ok(c.connected);
    for (let i = 0; i < 5; i++) {
      const r = await c.invoke<Reply>("test.v1.Greeter/Hello", { name: `n${i}` });
      equal(r.status, "OK");
      equal(r.code, 0);
      equal(r.message, "");
      equal(r.body?.message, `hello n${i}`);
      equal(r.body?.token, "t0", "the connection's metadata is sent");
      equal(r.headers["x-served-by"], "greeter");
      equal(r.trailers["x-trailer"], "bye");
    }
    for (let i = 0; i < 3; i++) {
      const s = c.stream<Reply>("test.v1.Greeter/Watch", { name: "w", shape: { count: 4 } });
      const got: number[] = [];
      for await (const m of s) got.push(m.count);
      deepEqual(got, [0, 1, 2, 3]);
      equal((await s.done).status, "OK");
    }
    for (let i = 0; i < 2; i++) {
      const up = c.clientStream<Reply>("test.v1.Greeter/Collect");
      for (const n of ["a", "b", "c"]) up.send({ name: n });
      const r = await up.end();
      equal(r.status, "OK");
      deepEqual([r.body?.message, r.body?.count], ["a,b,c", 3]);
    }
    for (let i = 0; i < 2; i++) {
      const bi = c.bidi<Reply>("test.v1.Greeter/Chat");
      const got: string[] = [];
      for (const n of ["x", "y", "z"]) bi.send({ name: n });
      bi.end();
      for await (const m of bi) got.push(m.message);
      deepEqual(got, ["x", "y", "z"]);
      equal((await bi.done).status, "OK");
    }
    t.drain();
    equal(t.sum("grpc_reqs", { status: "OK", name: "test.v1.Greeter/Hello", method: "GRPC" }), 5);
    equal(t.sum("grpc_reqs"), 5, "only unary calls are requests");
    equal(t.sum("grpc_req_failed"), 0);
    equal(t.sum("grpc_req_duration", {}, "count"), 5);
    equal(t.sum("grpc_req_service_time", {}, "count"), 5);
    equal(t.sum("grpc_streams", { type: "server_stream", status: "OK" }), 3);
    equal(t.sum("grpc_streams", { type: "client_stream", status: "OK" }), 2);
    equal(t.sum("grpc_streams", { type: "bidi", status: "OK" }), 2);
    equal(t.sum("grpc_stream_duration", {}, "count"), 7);
    // Watch sends its one request; Collect and Chat send three each.
    equal(t.sum("grpc_streams_msgs_sent"), 3 + 2 * 3 + 2 * 3);
    equal(t.sum("grpc_streams_msgs_received"), 3 * 4 + 2 * 3);
    ok(t.sum("data_sent") > 0 && t.sum("data_received") > 0);
    deepEqual(server.calls, { Hello: 5, Watch: 3, Collect: 2, Chat: 2 });
  } finally {
    t.close();
    await server.close();
  }
});

Deno.test("a failing method is a NOT_FOUND value, tagged and counted as failed, never a throw", async () => {
  const server = await greeterServer();
  const t = setup();
  try {
    const c = await t.connect(server.addr);
    for (let i = 0; i < 3; i++) {
      const r = await c.invoke("test.v1.Greeter/Fail", { name: "x" });
      deepEqual([r.status, r.code, r.message, r.body, r.error], [
        "NOT_FOUND",
        5,
        "no such greeting",
        null,
        null,
      ]);
    }
    t.drain();
    equal(t.sum("grpc_reqs", { status: "NOT_FOUND" }), 3);
    equal(t.sum("grpc_req_failed", { status: "NOT_FOUND" }), 3, "three failures");
    equal(t.sum("grpc_req_failed", {}, "count"), 3);
    equal(t.sum("grpc_req_duration", { status: "NOT_FOUND" }, "count"), 3);
  } finally {
    t.close();
    await server.close();
  }
});

Deno.test("a call past its deadline ends as DEADLINE_EXCEEDED with error timeout", async () => {
  const server = await greeterServer();
  const t = setup();
  try {
    const c = await t.connect(server.addr);
    const r = await c.invoke("test.v1.Greeter/Slow", { shape: { delay_ms: 2000 } }, {
      timeout: 100,
    });
    deepEqual([r.status, r.error], ["DEADLINE_EXCEEDED", "timeout"]);
    const ok2 = await c.invoke("test.v1.Greeter/Slow", { shape: { delay_ms: 10 } }, {
      timeout: 2000,
    });
    equal(ok2.status, "OK");
    t.drain();
    equal(t.sum("grpc_reqs", { status: "DEADLINE_EXCEEDED", error: "timeout" }), 1);
    equal(t.sum("grpc_reqs", { status: "OK" }), 1);
    equal(t.sum("grpc_req_failed"), 1);
  } finally {
    t.close();
    await server.close();
  }
});

Deno.test("a refused port is UNAVAILABLE, tagged status 0 and error refused", async () => {
  const t = setup();
  try {
    const c = await t.connect(refusedAddr());
    equal(c.connected, false);
    const r = await c.invoke("test.v1.Greeter/Hello", { name: "x" }, { timeout: 3000 });
    deepEqual([r.status, r.error], ["UNAVAILABLE", "refused"]);
    match(r.message, /ECONNREFUSED|refused/i);
    t.drain();
    equal(t.sum("grpc_reqs", { status: "0", error: "refused" }), 1);
    ok(t.evidence.hasErrorExample("refused"));
  } finally {
    t.close();
  }
});

Deno.test("TLS: the test CA is trusted, the system CAs are not, insecure skips verification", async () => {
  const server = await greeterServer({ tls: true });
  const t = setup();
  try {
    const port = server.addr.split(":")[1];
    const withCa = await t.connect(`localhost:${port}`, { tls: true, caCert: TEST_CA_CERT });
    ok(withCa.connected);
    equal((await withCa.invoke("test.v1.Greeter/Hello", { name: "tls" })).status, "OK");
    const plain = await t.connect(`localhost:${port}`, { tls: true });
    const bad = await plain.invoke("test.v1.Greeter/Hello", { name: "x" }, { timeout: 3000 });
    deepEqual([bad.status, bad.error], ["UNAVAILABLE", "tls"]);
    const insecure = await t.connect(`localhost:${port}`, { tls: true, insecure: true });
    equal((await insecure.invoke("test.v1.Greeter/Hello", { name: "i" })).status, "OK");
    t.drain();
    equal(t.sum("grpc_reqs", { status: "OK" }), 2);
    equal(t.sum("grpc_reqs", { status: "0", error: "tls" }), 1);
    equal(server.calls.Hello, 2);
  } finally {
    t.close();
    await server.close();
  }
});

Deno.test("a reply over maxReceiveMessageLength is a RESOURCE_EXHAUSTED value", async () => {
  const server = await greeterServer();
  const t = setup();
  try {
    const small = await t.connect(server.addr, { maxReceiveMessageLength: 1024 });
    equal((await small.invoke("test.v1.Greeter/Big", {})).status, "RESOURCE_EXHAUSTED");
    const big = await t.connect(server.addr);
    equal((await big.invoke("test.v1.Greeter/Big", {})).status, "OK");
  } finally {
    t.close();
    await server.close();
  }
});

Deno.test("metadata per call adds to the connection's; an unknown method throws a clear error", async () => {
  const server = await greeterServer();
  const t = setup();
  try {
    const c = await t.connect(server.addr);
    await c.invoke("test.v1.Greeter/Hello", {}, { metadata: { "x-extra": "1" } });
    equal(server.metadata[0]["x-token"], "t0");
    equal(server.metadata[0]["x-extra"], "1");
    throws(
      () => c.invoke("test.v1.Greeter/Nope", {}),
      /Unknown gRPC method "test.v1.Greeter\/Nope": test.v1.Greeter has "test.v1.Greeter\/Hello"/,
    );
    throws(() => c.invoke("test.v1.Nope/Hello", {}), /Unknown gRPC service "test.v1.Nope"/);
    throws(() => c.invoke("test.v1.Greeter/Watch", {}), /streaming method/);
    c.close();
    throws(() => c.invoke("test.v1.Greeter/Hello", {}), /closed/);
  } finally {
    t.close();
    await server.close();
  }
});

Deno.test("ctx.grpc reuses a VU's channel across connects; share: true uses one for all VUs", async () => {
  const server = await greeterServer();
  const registry = new MetricRegistry();
  const rt = createRuntime(registry, new EvidenceLog(), [grpcProtocol], {
    insecure: false,
    engine: "",
  });
  const vus = [1, 2, 3].map((id) =>
    createVuState(rt, {
      id,
      scenario: "s",
      tags: { scenario: "s" },
      env: {},
      data: undefined,
      keepState: false,
      interrupt: new AbortController().signal,
    })
  );
  try {
    /** Connections the server accepted while every VU connected and called twice. */
    const opened = async (share: boolean) => {
      const before = server.connections();
      for (let round = 0; round < 2; round++) {
        for (const vu of vus) {
          const api = createGrpcApi(() => vu);
          // A relative proto path resolves against this file's folder (the caller's).
          const c = await api.connect(server.addr, {
            proto: "../../testdata/grpc/greeter.proto",
            importPaths: ["../../testdata/grpc"],
            share,
          });
          equal((await c.invoke("test.v1.Greeter/Hello", { name: "v" })).status, "OK");
          c.close();
        }
      }
      return server.connections() - before;
    };
    equal(await opened(false), 3, "one connection per VU, reused in its second round");
    equal(await opened(true), 1, "one shared connection");
    await rejects(
      createGrpcApi(() => vus[0]).connect(server.addr, { proto: "missing.proto" }),
      /Cannot read proto file ".*missing.proto"/,
    );
  } finally {
    for (const vu of vus) closeVu(vu);
    await server.close();
  }
});

Deno.test("server reflection finds both proto files' services without a .proto", async () => {
  const server = await greeterServer({ reflection: true });
  const plain = await greeterServer();
  try {
    const { reflect } = await import("../../../engines/grpc/reflection.ts");
    const r = await reflect(server.addr, {});
    ok(r.methods, r.error);
    deepEqual([...r.methods.keys()].sort(), [
      "test.v1.Greeter/Big",
      "test.v1.Greeter/Chat",
      "test.v1.Greeter/Collect",
      "test.v1.Greeter/Fail",
      "test.v1.Greeter/Hello",
      "test.v1.Greeter/Slow",
      "test.v1.Greeter/Watch",
    ]);
    // The imported message type (test.common.Shape) encodes too.
    const hello = r.methods.get("test.v1.Greeter/Hello")!;
    ok(hello.serialize({ name: "x", shape: { count: 2 } }).length > 3);
    const none = await reflect(plain.addr, {});
    equal(none.code, 12, "UNIMPLEMENTED without reflection");
    const refused = await reflect(refusedAddr(), {}, 3000);
    equal(refused.code, 14);
  } finally {
    await server.close();
    await plain.close();
  }
});

Deno.test("ctx.grpc.connect without a proto discovers the methods by reflection", async () => {
  const server = await greeterServer({ reflection: true });
  const rt = createRuntime(new MetricRegistry(), new EvidenceLog(), [grpcProtocol], {
    insecure: false,
    engine: "",
  });
  const vu = createVuState(rt, {
    id: 1,
    scenario: "s",
    tags: { scenario: "s" },
    env: {},
    data: undefined,
    keepState: false,
    interrupt: new AbortController().signal,
  });
  try {
    const c = await createGrpcApi(() => vu).connect(server.addr, {});
    const r = await c.invoke<Reply>("test.v1.Greeter/Hello", { name: "r", shape: { count: 1 } });
    deepEqual([r.status, r.body?.message], ["OK", "hello r"]);
  } finally {
    closeVu(vu);
    await server.close();
  }
});
