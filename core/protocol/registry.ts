/**
 * The protocols known to this thread. The CLI registers the built-in ones (`engines/registry.ts`)
 * in every thread it starts; a scenario file may register its own with `registerProtocol` from
 * `"rampa"`, and since every thread imports the scenario, every thread knows it. Lookups are
 * by name, by URL scheme and by engine; every list (help, validation, summary sections,
 * threshold aliases) is derived from here, never written twice.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { MetricDef } from "../types.ts";
import type { KeyAliases } from "../thresholds/mod.ts";
import type { Protocol, ProtocolSection } from "./types.ts";

const protocols = new Map<string, Protocol>();

/**
 * Registers a protocol. Registering the same object again is a no-op (modules may be imported
 * twice); another protocol under a taken name, or a taken scheme, is an error.
 */
export function registerProtocol(p: Protocol): void {
  const known = protocols.get(p.name);
  if (known === p) return;
  if (known) throw new Error(`Protocol "${p.name}" is already registered`);
  for (const other of protocols.values()) {
    const clash = p.schemes.find((s) => other.schemes.includes(s));
    if (clash) throw new Error(`URL scheme "${clash}" already belongs to protocol "${other.name}"`);
  }
  protocols.set(p.name, p);
}

/** Every registered protocol, in registration order. */
export function registeredProtocols(): readonly Protocol[] {
  return [...protocols.values()];
}

/** The protocol `rampa run <url>` hands `url` to, or null when no scheme matches. */
export function protocolForUrl(url: string): Protocol | null {
  const m = /^([a-z][a-z0-9+.-]*:)/i.exec(url);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  for (const p of protocols.values()) if (p.schemes.includes(scheme)) return p;
  return null;
}

/** Every URL scheme an ad-hoc run accepts, for messages. */
export function adHocSchemes(): string[] {
  return registeredProtocols().filter((p) => p.adHoc).flatMap((p) => [...p.schemes]);
}

/** Every engine name `--engine` accepts, with its protocol. */
export function engineNames(): { name: string; protocol: string; summary: string }[] {
  return registeredProtocols().flatMap((p) =>
    (p.engines ?? []).map((e) => ({ name: e.name, protocol: p.name, summary: e.summary }))
  );
}

/** Throws a ConfigError unless `name` is a registered engine. */
export function checkEngine(name: string, flag = "--engine"): void {
  const names = engineNames().map((e) => e.name);
  if (!names.includes(name)) {
    throw new ConfigError(
      `Unknown engine "${name}" in ${flag}: expected one of ${names.join(", ")}`,
    );
  }
}

/** Every metric the registered protocols record. */
export function protocolMetrics(): MetricDef[] {
  return registeredProtocols().flatMap((p) => [...p.metrics]);
}

/** Threshold key aliases of every registered protocol. */
export function thresholdAliases(): KeyAliases {
  return Object.assign({}, ...registeredProtocols().map((p) => p.thresholdAliases ?? {}));
}

/** Summary sections of every registered protocol, with its name. */
export function protocolSections(): (ProtocolSection & { protocol: string })[] {
  return registeredProtocols().map((p) => ({ protocol: p.name, ...p.section }));
}

/**
 * The data half of a protocol (name, schemes, metrics, section, engines, aliases): what a
 * thread that judges and reports needs of a protocol registered by scenario code on another
 * thread. Functions do not cross threads; the thread that runs VUs has the whole protocol.
 */
export type ProtocolDescriptor = Pick<
  Protocol,
  "name" | "schemes" | "metrics" | "section" | "engines" | "thresholdAliases"
>;

/** Descriptors of every registered protocol, plain data. */
export function protocolDescriptors(): ProtocolDescriptor[] {
  return registeredProtocols().map((p) => ({
    name: p.name,
    schemes: [...p.schemes],
    metrics: p.metrics.map((m) => ({ ...m })),
    section: JSON.parse(JSON.stringify(p.section)),
    ...(p.engines ? { engines: p.engines.map((e) => ({ ...e })) } : {}),
    ...(p.thresholdAliases ? { thresholdAliases: { ...p.thresholdAliases } } : {}),
  }));
}

/** Registers the descriptors of protocols this thread does not know yet. */
export function adoptProtocols(list: readonly ProtocolDescriptor[]): void {
  for (const d of list) if (!protocols.has(d.name)) registerProtocol({ ...d });
}
