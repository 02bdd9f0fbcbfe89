/** The collector's Prometheus metric names (and help texts, the same words as the README's table). */
export const MetricNames = {
  requests: "gametel_collector_requests_total",
  refusals: "gametel_collector_refusals_total",
  eventsAccepted: "gametel_collector_events_accepted_total",
  eventsRejected: "gametel_collector_events_rejected_total",
  requestDuration: "gametel_collector_request_duration_seconds",
  kafkaAckDuration: "gametel_collector_kafka_ack_duration_seconds",
  queuedEvents: "gametel_collector_queued_events",
  requestsInFlight: "gametel_collector_requests_in_flight",
} as const;

export const MetricHelp: Record<keyof typeof MetricNames, string> = {
  requests: "Ingest requests answered, by HTTP status.",
  refusals: "Ingest requests refused as a whole, by reason code.",
  eventsAccepted: "Events written to the events topic and acknowledged by Kafka.",
  eventsRejected: "Invalid events written to the dead-letter topic and listed in the response.",
  requestDuration: "Time from request start to response, for ingest requests.",
  kafkaAckDuration: "Time from handing a request's records to the producer to Kafka's acknowledgement.",
  queuedEvents: "Records waiting for or in a produce request.",
  requestsInFlight: "Ingest requests being processed.",
};
