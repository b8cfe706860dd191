/**
 * A small tmpfs per case for disk-full cases (root needed; the case is skipped with the reason
 * when mounting fails), filled so that only a chosen number of KiB stay free.
 *
 * @module
 */

/** Mounts a tmpfs and fills it; returns why not when that fails (not root, no mount). */
export async function mountTmpfs(
  path: string,
  sizeKiB: number,
  freeKiB?: number,
): Promise<string | null> {
  await Deno.mkdir(path, { recursive: true });
  const r = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", path],
    stdout: "null",
    stderr: "piped",
  }).output().catch((e) => ({ success: false, stderr: new TextEncoder().encode(String(e)) }));
  if (!r.success) {
    return `cannot mount a tmpfs (root needed): ${new TextDecoder().decode(r.stderr).trim()}`;
  }
  if (freeKiB !== undefined) {
    // Fill to the brim, then free exactly what the case wants left.
    const filler = `${path}/.filler`;
    const f = await Deno.open(filler, { write: true, create: true });
    const block = new Uint8Array(4096);
    try {
      for (;;) await f.write(block);
    } catch {
      // ENOSPC: full
    }
    f.close();
    const size = (await Deno.stat(filler)).size;
    await Deno.truncate(filler, Math.max(0, size - freeKiB * 1024));
  }
  return null;
}

/** Unmounts (lazily, so a busy mount never blocks). */
export async function umount(path: string): Promise<void> {
  await new Deno.Command("umount", { args: ["-l", path], stdout: "null", stderr: "null" })
    .output().catch(() => {});
}
