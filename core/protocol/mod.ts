/**
 * The Protocol seam's public surface: the types a protocol folder implements and the
 * registry it registers with.
 *
 * @module
 */
export type {
  AdHocContext,
  AdHocRequest,
  EngineInfo,
  Protocol,
  ProtocolFlags,
  ProtocolOptions,
  ProtocolSection,
  RequestFamily,
  Runtime,
  ThresholdAlias,
  VuExtension,
  VuState,
} from "./types.ts";
export {
  adHocSchemes,
  checkEngine,
  engineNames,
  protocolForUrl,
  protocolMetrics,
  protocolSections,
  registeredProtocols,
  registerProtocol,
  thresholdAliases,
} from "./registry.ts";
