import { fixtureSummary, recordRun } from "./_fixture.ts";
import { renderSummary } from "../../../outputs/console/mod.ts";
const s = fixtureSummary(recordRun());
console.log(renderSummary(s, { color: false }));
console.log(renderSummary(s, { color: true, width: Number(Deno.args[0] ?? 80) }));
console.log(JSON.stringify({errors: s.errors, statuses: s.statuses, load: s.load, health: {...s.health}}, null, 1));
