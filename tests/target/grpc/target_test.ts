import { deepEqual, equal, ok } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { MetricRegistry } from "../../../core/metrics/registry.ts";
import { EvidenceLog } from "../../../core/run/evidence.ts";
import { openChannel, waitConnected } from "../../../engines/grpc/channel.ts";
import { GrpcClient } from "../../../engines/grpc/client.ts";
import { loadProtoText } from "../../../engines/grpc/loader.ts";
import { GrpcRecorder } from "../../../engines/grpc/recorder.ts";
import { GoawayStripper } from "../../../target/grpc/listen.ts";
import { TARGET_PROTO } from "../../../target/grpc/proto.ts";
import { startGrpcTarget } from "../../../target/grpc/server.ts";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

function frame(type: number, payload: number[]): Buffer {
  const len = payload.length;
  return Buffer.from([len >> 16, (len >> 8) & 255, len & 255, type, 0, 0, 0, 0, 0, ...payload]);
}

Deno.test("the GOAWAY stripper forwards every frame but GOAWAY, across chunk borders", () => {
  const settings = frame(4, [0, 3, 0, 0, 0, 100]);
  const goaway = frame(7, [0, 0, 0, 1, 0, 0, 0, 0]);
  const data = frame(0, [1, 2, 3]);
  const all = Buffer.concat([PREFACE, settings, goaway, data]);
  for (let cut = 0; cut <= all.length; cut++) {
    const s = new GoawayStripper();
    const out = Buffer.concat([...s.feed(all.subarray(0, cut)), ...s.feed(all.subarray(cut))]);
    deepEqual(out, Buffer.concat([PREFACE, settings, data]), `cut at ${cut}`);
    equal(s.dropped, 1);
  }
});

Deno.test("target/rampa_target.proto is the text --print-proto prints", async () => {
  const file = await Deno.readTextFile(
    new URL("../../../target/rampa_target.proto", import.meta.url),
  );
  equal(file, TARGET_PROTO);
});

Deno.test("the embedded gRPC target answers all four call kinds and asked-for statuses", async () => {
  const target = await startGrpcTarget({ port: 0 });
  const ch = openChannel(target.addr, {});
  const rec = new GrpcRecorder(new MetricRegistry(), new EvidenceLog(), {});
  const c = new GrpcClient(
    ch,
    loadProtoText(TARGET_PROTO),
    { recorder: rec, group: () => "" },
    true,
  );
  try {
    ok(await waitConnected(ch, 3000));
    const svc = "rampa.target.v1.Target";
    const e = await c.invoke<{ message: string }>(`${svc}/Echo`, { message: "hi" });
    deepEqual([e.status, e.body?.message], ["OK", "hi"]);
    equal((await c.invoke(`${svc}/Echo`, { status: 7 })).status, "PERMISSION_DENIED");
    const got: number[] = [];
    for await (const m of c.stream<{ i: number }>(`${svc}/Count`, { n: 3 })) got.push(m.i);
    deepEqual(got, [0, 1, 2]);
    const up = c.clientStream<{ sum: string; count: number }>(`${svc}/Sum`);
    for (const v of [1, 2, 39]) up.send({ value: v });
    const sum = await up.end();
    deepEqual([sum.body?.sum, sum.body?.count], ["42", 3]);
    const bi = c.bidi<{ message: string }>(`${svc}/Chat`);
    bi.send({ message: "a" });
    bi.send({ message: "b" });
    bi.end();
    const chat: string[] = [];
    for await (const m of bi) chat.push(m.message);
    deepEqual(chat, ["a", "b"]);
    deepEqual(target.calls, { Echo: 2, Count: 1, Sum: 1, Chat: 1 });
  } finally {
    c.close();
    ch.close();
    await target.close();
  }
});

Deno.test("the embedded gRPC target injects UNAVAILABLE at its error rate, reproducibly", async () => {
  const run = async () => {
    const target = await startGrpcTarget({ port: 0, errorRate: 0.3, seed: 7 });
    const ch = openChannel(target.addr, {});
    const rec = new GrpcRecorder(new MetricRegistry(), new EvidenceLog(), {});
    const c = new GrpcClient(
      ch,
      loadProtoText(TARGET_PROTO),
      { recorder: rec, group: () => "" },
      true,
    );
    const statuses: string[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        statuses.push((await c.invoke("rampa.target.v1.Target/Echo", {})).status);
      }
    } finally {
      c.close();
      ch.close();
      await target.close();
    }
    return statuses;
  };
  const a = await run();
  deepEqual(await run(), a, "the same seed fails the same calls");
  const failed = a.filter((s) => s === "UNAVAILABLE").length;
  ok(failed > 0 && failed < 40 && a.every((s) => s === "OK" || s === "UNAVAILABLE"), a.join());
});

Deno.test("rampa serve takes --grpc-port and --print-proto; a bad port is a config error", async () => {
  const { parseServeArgs } = await import("../../../cli/commands/serve.ts");
  const o = parseServeArgs(["--grpc-port", "50051", "--print-proto"]);
  deepEqual([o.grpcPort, o.printProto], [50051, true]);
  equal(parseServeArgs([]).grpcPort, undefined);
  let err: unknown;
  try {
    parseServeArgs(["--grpc-port", "70000"]);
  } catch (e) {
    err = e;
  }
  ok(err instanceof Error && /--grpc-port "70000"/.test(err.message), String(err));
});
