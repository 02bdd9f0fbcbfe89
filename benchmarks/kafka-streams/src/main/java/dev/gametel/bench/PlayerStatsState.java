package dev.gametel.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * All-time aggregate of one player key, kept in the RocksDB store: counters, the matches played and, per life
 * (match id + life number), the spawn time and the sum and count of its death times, so a life completes whatever
 * order its spawn and death arrive in (the spawn time of a life is the earliest spawn seen for it).
 */
public final class PlayerStatsState {
  @JsonProperty("kills")
  public long kills;

  @JsonProperty("deaths")
  public long deaths;

  @JsonProperty("matches")
  public Set<String> matches = new HashSet<>();

  /** "match_id|life" -> [spawn time or Long.MIN_VALUE when unknown, sum of death times, number of deaths]. */
  @JsonProperty("lives")
  public Map<String, long[]> lives = new HashMap<>();

  static final long NO_SPAWN = Long.MIN_VALUE;

  public PlayerStatsState add(TelemetryEvent e) {
    switch (e.eventType) {
      case "player_kill" -> kills += 1;
      case "player_death" -> {
        deaths += 1;
        if (e.matchId != null && e.data != null && e.data.life != null) {
          long[] life = life(e.matchId, e.data.life);
          life[1] += e.eventTime;
          life[2] += 1;
        }
      }
      case "player_spawn" -> {
        if (e.matchId != null) matches.add(e.matchId);
        if (e.matchId != null && e.data != null && e.data.life != null) {
          long[] life = life(e.matchId, e.data.life);
          life[0] = life[0] == NO_SPAWN ? e.eventTime : Math.min(life[0], e.eventTime);
        }
      }
      default -> {
        // other player events do not change these fields
      }
    }
    return this;
  }

  private long[] life(String matchId, int number) {
    return lives.computeIfAbsent(matchId + "|" + number, k -> new long[] {NO_SPAWN, 0, 0});
  }

  public PlayerStats toStats() {
    long completed = 0;
    long survival = 0;
    for (long[] life : lives.values()) {
      if (life[0] == NO_SPAWN) continue;
      completed += life[2];
      survival += life[1] - life[2] * life[0];
    }
    Double avgSurvival = completed == 0 ? null : (double) survival / completed;
    double kd = deaths == 0 ? kills : (double) kills / deaths;
    return new PlayerStats(kills, deaths, kd, matches.size(), avgSurvival);
  }
}
