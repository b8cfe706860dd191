/**
 * A scenario on `ctx.grpc` and the module-level `grpc`: 6 iterations on 2 VUs, each making one
 * unary call, one failing call, one server stream of 3, one client stream of 2 and one bidi
 * exchange of 2, with checks; the proto path is relative to this file.
 */
import { check, grpc, type VuContext } from "rampa";

export const options = {
  scenarios: { calls: { executor: "shared-iterations", vus: 2, iterations: 6 } },
  thresholds: { grpc_req_duration: ["p(99)<2000"], "grpc_reqs{status:NOT_FOUND}": ["count==6"] },
};

const PROTO = "../../testdata/grpc/greeter.proto";

export default async function (ctx: VuContext): Promise<void> {
  const c = await ctx.grpc.connect(ctx.env.GRPC_ADDR, {
    proto: PROTO,
    importPaths: ["../../testdata/grpc"],
    metadata: { "x-token": "s3cret" },
  });
  const r = await c.invoke<{ message: string; token: string }>("test.v1.Greeter/Hello", {
    name: "vu",
  });
  check(r, {
    "hello is OK": (x) => x.status === "OK" && x.body?.message === "hello vu",
    "metadata reached the server": (x) => x.body?.token === "s3cret",
  });
  const f = await c.invoke("test.v1.Greeter/Fail", {}, { tags: { kind: "bad" } });
  check(f, { "fail is NOT_FOUND": (x) => x.status === "NOT_FOUND" && x.code === 5 });
  const seen: number[] = [];
  for await (
    const m of c.stream<{ count: number }>("test.v1.Greeter/Watch", { shape: { count: 3 } })
  ) {
    seen.push(m.count);
  }
  check(seen, { "streamed 3": (s) => s.join() === "0,1,2" });
  // The module-level client is the running VU's.
  const c2 = await grpc.connect(ctx.env.GRPC_ADDR, {
    proto: PROTO,
    importPaths: ["../../testdata/grpc"],
  });
  const up = c2.clientStream<{ count: number }>("test.v1.Greeter/Collect");
  up.send({ name: "a" });
  up.send({ name: "b" });
  check(await up.end(), { "collected 2": (x) => x.body?.count === 2 });
  const bi = c2.bidi<{ message: string }>("test.v1.Greeter/Chat");
  bi.send({ name: "p" });
  bi.send({ name: "q" });
  bi.end();
  const echoed: string[] = [];
  for await (const m of bi) echoed.push(m.message);
  check(echoed, { "chat echoed": (e) => e.join() === "p,q" });
  c2.close();
  c.close();
}
