/**
 * CHANGELOG.md and the tool that cuts a version's section out of it for the release notes.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { changelogSection } from "../../tools/changelog_section.ts";
import { VERSION } from "../../core/version.ts";
import { ROOT } from "./_compile_graph.ts";

const SAMPLE = `# Changelog

Intro.

## [Unreleased]

- Next.

## [0.2.0] - 2027-01-10

### Added

- Two.

## v0.1.1

- One point one.

## 0.1.0

- One.

[Unreleased]: https://example.invalid/compare/v0.2.0...HEAD
[0.2.0]: https://example.invalid/releases/tag/v0.2.0
`;

Deno.test("changelogSection cuts one version's section, heading and link definitions off", () => {
  equal(changelogSection(SAMPLE, "0.2.0"), "### Added\n\n- Two.");
  equal(changelogSection(SAMPLE, "v0.2.0"), "### Added\n\n- Two.");
  equal(changelogSection(SAMPLE, "0.1.1"), "- One point one.");
  equal(changelogSection(SAMPLE, "0.1.0"), "- One.");
  equal(changelogSection(SAMPLE, "Unreleased"), "- Next.");
});

Deno.test("changelogSection is null for a missing or empty section, and never matches a prefix", () => {
  equal(changelogSection(SAMPLE, "0.3.0"), null);
  equal(changelogSection(SAMPLE, "0.1"), null);
  equal(changelogSection("## [1.0.0]\n\n## [0.9.0]\n- x\n", "1.0.0"), null);
  equal(changelogSection("## [1.0.0]\r\n- crlf\r\n", "1.0.0"), "- crlf");
});

Deno.test("CHANGELOG.md has an Unreleased section and one for core/version.ts's version", async () => {
  const text = await Deno.readTextFile(ROOT + "CHANGELOG.md");
  ok(changelogSection(text, "Unreleased"));
  ok(changelogSection(text, VERSION), `no section for ${VERSION}`);
});

Deno.test("tools/changelog_section.ts prints the section and fails on a missing one", async () => {
  const run = (version: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "tools/changelog_section.ts", "CHANGELOG.md", version],
      cwd: ROOT,
      env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
  const ok1 = await run(`v${VERSION}`);
  equal(ok1.code, 0, new TextDecoder().decode(ok1.stderr));
  ok(new TextDecoder().decode(ok1.stdout).trim().length > 0);
  const missing = await run("99.0.0");
  equal(missing.code, 1);
  equal(
    new TextDecoder().decode(missing.stderr),
    "error: CHANGELOG.md has no section, or an empty one, for 99.0.0\n",
  );
});
