import type { GeneratedRecord } from "../Generator.js";

/** Where records go. A sink buffers as it likes; `close()` writes everything still buffered. */
export interface Sink {
  readonly target: string;
  /** Takes one record. A returned promise asks the caller to wait before the next write (backpressure). */
  write(record: GeneratedRecord): Promise<void> | undefined;
  close(): Promise<void>;
}
