/** A service of the local stack. */
export type ServiceName = "kafka" | "mongo";

export interface PrivateStackOptions {
  /**
   * Where to find its three ports (Kafka, KRaft controller, MongoDB), "from-to" inclusive; default
   * `GAMETEL_PRIVATE_STACK_PORTS` or "20000-32000".
   */
  readonly portRange?: string;
  /** Lines such as "kafka: stopped (pid 123)". */
  readonly log?: (line: string) => void;
}

/**
 * A private stack a test started: its own state dir and ports, so one of its services can be stopped, started,
 * paused or resumed without touching the shared stack.
 *
 * @example
 * const stack = await startPrivateStack();
 * await stack.stop("kafka");   // a broker outage
 * await stack.start("kafka");  // returns once it answers again
 * stack.pause("mongo");        // MongoDB hangs (SIGSTOP) ...
 * stack.resume("mongo");       // ... and answers again (SIGCONT)
 * await stack.close();
 */
export interface PrivateStack {
  readonly brokers: string[];
  readonly mongoUri: string;
  readonly stateDir: string;
  /** The pid of the service's JVM, or undefined when stopped. */
  pid(service: ServiceName): number | undefined;
  /** SIGTERM (SIGKILL after the grace period); data stays. */
  stop(service: ServiceName): Promise<void>;
  /** Starts it again; resolves once it answers. */
  start(service: ServiceName): Promise<void>;
  /** SIGSTOP: the port stays open, nothing answers. */
  pause(service: ServiceName): void;
  /** SIGCONT. */
  resume(service: ServiceName): void;
  /** Stops both services and removes the state dir. */
  close(): Promise<void>;
}

/** Starts Kafka and the MongoDB server in a fresh temporary state dir on free ports; resolves once both answer. */
export declare function startPrivateStack(options?: PrivateStackOptions): Promise<PrivateStack>;
