/** Consumer group timing derived from the session timeout, the same for both clients. */

/** Heartbeats go every third of the session timeout (Kafka's recommendation), so two may be lost. */
export const heartbeatIntervalMs = (sessionTimeoutMs: number): number => Math.floor(sessionTimeoutMs / 3);

/**
 * How long a member may take to finish its in-flight batch and rejoin during a rebalance (kafkajs
 * `rebalanceTimeout`, librdkafka `max.poll.interval.ms`): the clients' defaults, but never below the session timeout.
 */
export const rebalanceTimeoutMs = (sessionTimeoutMs: number, clientDefaultMs: number): number =>
  Math.max(clientDefaultMs, sessionTimeoutMs);
