import type { ProcessorConfig } from "./ProcessorConfig.js";

/**
 * The configuration as a plain object safe to log or print: secrets appear masked (the SASL password as
 * "[redacted]", the MongoDB URI without its password).
 */
export function describeConfig(config: ProcessorConfig): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}
