import assert from "node:assert/strict";
import { bundleHdr, VENDOR_BUNDLE } from "../../../tools/vendor_hdr.ts";

Deno.test("the vendored hdr-histogram-js bundle equals a fresh bundle of node_modules (deno task vendor)", async () => {
  const root = new URL("../../../", import.meta.url);
  const checkedIn = await Deno.readTextFile(new URL(VENDOR_BUNDLE, root));
  const fresh = await bundleHdr(root.pathname);
  assert.ok(checkedIn === fresh, `${VENDOR_BUNDLE} is stale: run "deno task vendor"`);
});
