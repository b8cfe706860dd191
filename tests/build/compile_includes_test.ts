import assert from "node:assert/strict";

/** Every module URL built with `new URL("….ts", import.meta.url)` in a file that starts workers. */
async function workerModules(dir: string, found: string[] = []): Promise<string[]> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (
      e.isDirectory &&
      !["tests", "bench", "node_modules", "dist", "vendor", "."].some((x) => e.name.startsWith(x))
    ) {
      await workerModules(path, found);
    } else if (e.isFile && e.name.endsWith(".ts")) {
      const text = await Deno.readTextFile(path);
      if (!text.includes("new Worker(")) continue;
      for (const m of text.matchAll(/new URL\("([^"]+\.ts)",\s*import\.meta\.url\)/g)) {
        const url = new URL(m[1], `file:///${path}`);
        found.push(url.pathname.slice(1));
      }
    }
  }
  return found;
}

Deno.test("deno task compile includes every worker module (a compiled binary embeds only what it names)", async () => {
  const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
  const cfg = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  const compile: string = cfg.tasks.compile;
  const included = [...compile.matchAll(/--include (\S+)/g)].map((m) => m[1]);
  const prev = Deno.cwd();
  Deno.chdir(root);
  try {
    const workers = await workerModules(".");
    const paths = workers.map((p) => p.replace(/^\.\//, ""));
    assert.ok(paths.length >= 3, `found only ${paths.join(", ")}`);
    for (const p of paths) assert.ok(included.includes(p), `${p} is a worker but not --include'd`);
  } finally {
    Deno.chdir(prev);
  }
});
