package dev.gametel.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The fields of a gametel wire-format v1 event that PlayerStats, its windows and deduplication need (snake_case on
 * the wire). Everything else in the record is ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class TelemetryEvent {
  @JsonProperty("event_id")
  public String eventId;

  @JsonProperty("event_type")
  public String eventType;

  @JsonProperty("event_time")
  public long eventTime;

  @JsonProperty("match_id")
  public String matchId;

  @JsonProperty("player_id")
  public String playerId;

  @JsonProperty("data")
  public Data data;

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Data {
    @JsonProperty("life")
    public Integer life;

    @JsonProperty("headshot")
    public Boolean headshot;

    @JsonProperty("damage")
    public Double damage;
  }

  /** Player-scoped events feed PlayerStats; match_start/match_end and perf_sample do not (as in @gametel/core). */
  public boolean isPlayerScoped() {
    return playerId != null
        && eventId != null
        && eventType != null
        && !eventType.equals("match_start")
        && !eventType.equals("match_end")
        && !eventType.equals("perf_sample");
  }

  /** The event id as gametel's dedup compares it: 32 lowercase hex digits, no dashes. */
  public String normalisedId() {
    return eventId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
  }
}
