/**
 * Network namespaces for fleet tests: each simulated host gets its own namespace joined to
 * the test's namespace by a veth pair (`10.77.<i>.2` inside, `10.77.<i>.1` on the test's side),
 * so hosts reach the target and the coordinator over a real link rather than sharing loopback.
 * Needs root and `ip`; {@link netnsUnavailable} says why not, for a skip reason.
 *
 * @module
 */

/** One host's namespace. */
export interface HostNamespace {
  readonly name: string;
  /** The test side's address, as the host sees it (its gateway). */
  readonly gateway: string;
  /** The host's own address. */
  readonly address: string;
}

async function ip(...args: string[]): Promise<void> {
  const out = await new Deno.Command("ip", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`ip ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/** Why namespaces cannot be made here, or null when they can. */
export async function netnsUnavailable(): Promise<string | null> {
  if (Deno.build.os !== "linux") return "network namespaces need Linux";
  const probe = `rampa-probe-${Deno.pid}`;
  try {
    await ip("netns", "add", probe);
    await ip("netns", "del", probe);
    return null;
  } catch (e) {
    return `cannot create network namespaces (root and iproute2 needed): ${(e as Error).message}`;
  }
}

/** Creates `n` host namespaces; `dispose` removes them (and their links). */
export async function createHostNamespaces(
  n: number,
): Promise<{ hosts: HostNamespace[]; dispose: () => Promise<void> }> {
  const tag = (Deno.pid % 10000).toString(36);
  const hosts: HostNamespace[] = [];
  const dispose = async () => {
    for (const h of hosts) await ip("netns", "del", h.name).catch(() => {});
  };
  try {
    for (let i = 0; i < n; i++) {
      const name = `rampa-${tag}-${i}`;
      const outer = `rv${tag}${i}a`;
      const inner = `rv${tag}${i}b`;
      const h = { name, gateway: `10.77.${i}.1`, address: `10.77.${i}.2` };
      await ip("netns", "add", name);
      hosts.push(h);
      await ip("link", "add", outer, "type", "veth", "peer", "name", inner);
      await ip("link", "set", inner, "netns", name);
      await ip("addr", "add", `${h.gateway}/30`, "dev", outer);
      await ip("link", "set", outer, "up");
      await ip("netns", "exec", name, "ip", "addr", "add", `${h.address}/30`, "dev", inner);
      await ip("netns", "exec", name, "ip", "link", "set", inner, "up");
      await ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
    }
  } catch (e) {
    await dispose();
    throw e;
  }
  return { hosts, dispose };
}
