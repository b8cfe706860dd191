import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { dataset, setDatasetSegment } from "../../../core/scenario/dataset.ts";

const CSV = '\ufeffname,pw\nalice,"a,1"\n\nbob,"multi\nline"\ncarol,c3\n';

async function file(text: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/users.csv`, text);
  return `${dir}/users.csv`;
}

for (const stream of [false, true]) {
  Deno.test(`a CSV dataset (${stream ? "indexed on disk" : "in memory"}) reads quoted fields`, async () => {
    setDatasetSegment({ index: 0, count: 1 });
    const ds = await dataset.csv(await file(CSV), { stream });
    equal(ds.length, 3);
    deepStrictEqual(ds.at(0), { name: "alice", pw: "a,1" });
    deepStrictEqual(ds.at(1), { name: "bob", pw: "multi\nline" });
    deepStrictEqual(ds.at(-1), { name: "carol", pw: "c3" });
    equal(ds.at(3), undefined);
    deepStrictEqual([ds.next(), ds.next(), ds.next(), ds.next()].map((r) => r.name), [
      "alice",
      "bob",
      "carol",
      "alice",
    ]);
  });
}

Deno.test("unique picking is striped by segment and runs out instead of repeating", async () => {
  const path = await file("id\n1\n2\n3\n4\n5\n");
  setDatasetSegment({ index: 1, count: 2 });
  try {
    const ds = await dataset.csv(path, { pick: "unique", stream: true });
    deepStrictEqual([ds.next().id, ds.next().id], ["2", "4"]);
    throws(() => ds.next(), /exhausted/);
  } finally {
    setDatasetSegment({ index: 0, count: 1 });
  }
});

Deno.test("a JSON dataset must hold an array", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/a.json`, JSON.stringify([{ a: 1 }, { a: 2 }]));
  await Deno.writeTextFile(`${dir}/o.json`, JSON.stringify({ a: 1 }));
  const ds = await dataset.json<{ a: number }>(`${dir}/a.json`, { pick: "random" });
  equal(ds.length, 2);
  equal(typeof ds.next().a, "number");
  await dataset.json(`${dir}/o.json`).then(
    () => {
      throw new Error("expected a rejection");
    },
    (e) => equal(/must hold an array/.test(e.message), true),
  );
});
