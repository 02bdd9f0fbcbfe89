package dev.gametel.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The aggregate of one player key (all time, or one window), kept in a RocksDB store: counters, the matches played,
 * first/last seen and, per life (match id + life number), the spawn time and the sum and count of its death times,
 * so a life completes whatever order its spawn and death arrive in (the spawn time of a life is the earliest spawn
 * seen for it). The same definitions as @gametel/core's playerStatsReducer and windowedPlayerStats.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class PlayerStatsState {
  @JsonProperty("kills")
  public long kills;

  @JsonProperty("headshot_kills")
  public long headshotKills;

  @JsonProperty("deaths")
  public long deaths;

  @JsonProperty("shots")
  public long shots;

  @JsonProperty("hits")
  public long hits;

  @JsonProperty("damage")
  public double damage;

  @JsonProperty("first_seen")
  public Long firstSeen;

  @JsonProperty("last_seen")
  public Long lastSeen;

  @JsonProperty("matches")
  public Set<String> matches = new HashSet<>();

  /** "match_id|life" -> [spawn time or Long.MIN_VALUE when unknown, sum of death times, number of deaths]. */
  @JsonProperty("lives")
  public Map<String, long[]> lives = new HashMap<>();

  static final long NO_SPAWN = Long.MIN_VALUE;

  /** Counts a player event (as core's playerStatsReducer.reduce). */
  public PlayerStatsState add(TelemetryEvent e) {
    long t = e.eventTime;
    switch (e.eventType) {
      case "shot_fired" -> shots += 1;
      case "player_hit" -> {
        hits += 1;
        if (e.data != null && e.data.damage != null) damage += e.data.damage;
      }
      case "player_kill" -> {
        kills += 1;
        if (e.data != null && Boolean.TRUE.equals(e.data.headshot)) headshotKills += 1;
      }
      case "player_death" -> {
        deaths += 1;
        if (e.matchId != null && e.data != null && e.data.life != null) {
          long[] life = life(e.matchId, e.data.life);
          life[1] += t;
          life[2] += 1;
        }
      }
      case "player_spawn" -> {
        if (e.matchId != null) matches.add(e.matchId);
        carrySpawn(e);
      }
      default -> {
        // session_start, session_end, player_move: seen, no counter
      }
    }
    if (firstSeen == null || t < firstSeen) firstSeen = t;
    if (lastSeen == null || t > lastSeen) lastSeen = t;
    return this;
  }

  /** A spawn carried into a later window as context only: it can complete a life, it counts nothing else. */
  public PlayerStatsState carrySpawn(TelemetryEvent e) {
    if (e.matchId != null && e.data != null && e.data.life != null) {
      long[] life = life(e.matchId, e.data.life);
      life[0] = life[0] == NO_SPAWN ? e.eventTime : Math.min(life[0], e.eventTime);
    }
    return this;
  }

  private long[] life(String matchId, int number) {
    return lives.computeIfAbsent(matchId + "|" + number, k -> new long[] {NO_SPAWN, 0, 0});
  }

  /** The public fields, also written into each window's state so its changelog record carries its result. */
  @JsonProperty(value = "stats", access = JsonProperty.Access.READ_ONLY)
  public PlayerStats toStats() {
    long completed = 0;
    long survival = 0;
    for (long[] life : lives.values()) {
      if (life[0] == NO_SPAWN) continue;
      completed += life[2];
      survival += life[1] - life[2] * life[0];
    }
    long m = matches.size();
    return new PlayerStats(
        kills,
        deaths,
        headshotKills,
        kills == 0 ? 0 : (double) headshotKills / kills,
        deaths == 0 ? kills : (double) kills / deaths,
        m,
        m == 0 ? 0 : (double) kills / m,
        completed,
        completed == 0 ? null : (double) survival / completed,
        shots,
        hits,
        damage,
        firstSeen,
        lastSeen);
  }
}
