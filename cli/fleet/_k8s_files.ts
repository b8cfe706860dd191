/**
 * The scenario's files as ConfigMap content: keys Kubernetes accepts, text in `data` and
 * anything else in `binaryData`, and the 1 MiB ceiling checked before kubectl meets it.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";

/** A file shipped to the hosts in the ConfigMap. */
export interface FleetFile {
  /** Its path under /scenario, relative, with `/` separators (`data/users.csv`). */
  readonly path: string;
  /** Its bytes; text goes to `data`, anything not UTF-8 to `binaryData`. */
  readonly data: Uint8Array;
}

/** ConfigMaps are stored in etcd whole; the API server refuses more than 1 MiB. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

/** The `data` and `binaryData` fields of a ConfigMap. */
export interface ConfigMapData {
  /** UTF-8 files by key. */
  readonly data?: Record<string, string>;
  /** Other files by key, base64. */
  readonly binaryData?: Record<string, string>;
}

/** A ConfigMap key for a path: keys allow only `-._a-zA-Z0-9`, the mount restores the path. */
export function configMapKeys(files: readonly FleetFile[]): string[] {
  const used = new Set<string>();
  return files.map((f) => {
    const base = f.path.replace(/[^-._a-zA-Z0-9]/g, "_");
    let key = base;
    for (let i = 2; used.has(key); i++) key = `${base}.${i}`;
    used.add(key);
    return key;
  });
}

/** The files as ConfigMap fields, under the keys {@link configMapKeys} gives them. */
export function configMapData(files: readonly FleetFile[]): ConfigMapData {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const keys = configMapKeys(files);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let size = 0;
  files.forEach((f, i) => {
    try {
      data[keys[i]] = utf8.decode(f.data);
      size += f.data.length;
    } catch {
      binaryData[keys[i]] = encodeBase64(f.data);
      size += binaryData[keys[i]].length;
    }
  });
  if (size > CONFIGMAP_LIMIT_BYTES * 0.95) {
    // Kubernetes counts the whole object; leave room for the keys and metadata.
    throw new ConfigError(
      `Cannot ship the scenario's files in a ConfigMap: they take ${size} bytes, over ` +
        `Kubernetes' limit of 1 MiB; build an image that contains them instead`,
    );
  }
  return {
    ...(Object.keys(data).length ? { data } : {}),
    ...(Object.keys(binaryData).length ? { binaryData } : {}),
  };
}

function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
