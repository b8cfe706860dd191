/**
 * Prints one version's section of CHANGELOG.md: the release workflow uses it as the GitHub
 * release's notes, and fails the release when the section is missing or empty.
 *
 * Run: `deno run --allow-read tools/changelog_section.ts CHANGELOG.md 0.2.0` (or `v0.2.0`).
 *
 * @example
 * ```ts
 * import { changelogSection } from "./changelog_section.ts";
 * changelogSection("# Changelog\n\n## [0.1.0] - 2026-11-27\n\n- First.\n", "v0.1.0"); // "- First."
 * ```
 *
 * @module
 */

/**
 * The body of the `## [version]` (or `## version`, `## v0.1.0`) section of a Keep a Changelog
 * text, without its heading and link definitions, trimmed; null when absent or empty.
 */
export function changelogSection(text: string, version: string): string | null {
  const v = version.replace(/^v/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const heading = new RegExp(`^##\\s+\\[?v?${v}\\]?(?=\\s|$)`);
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return null;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^##\s/.test(l));
  const body = (end < 0 ? rest : rest.slice(0, end))
    .filter((l) => !/^\[[^\]]+\]:\s*\S/.test(l))
    .join("\n")
    .trim();
  return body === "" ? null : body;
}

if (import.meta.main) {
  const [file, version] = Deno.args;
  if (!file || !version) {
    console.error("usage: changelog_section.ts <CHANGELOG.md> <version>");
    Deno.exit(2);
  }
  const section = changelogSection(await Deno.readTextFile(file), version);
  if (section === null) {
    console.error(`error: ${file} has no section, or an empty one, for ${version}`);
    Deno.exit(1);
  }
  console.log(section);
}
