package dev.gametel.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The output value: the 14 PlayerStats fields gametel defines (@gametel/core PlayerStats), with its wire names. */
public record PlayerStats(
    @JsonProperty("kills") long kills,
    @JsonProperty("deaths") long deaths,
    @JsonProperty("headshot_kills") long headshotKills,
    @JsonProperty("headshot_ratio") double headshotRatio,
    @JsonProperty("kd_ratio") double kdRatio,
    @JsonProperty("matches") long matches,
    @JsonProperty("avg_kills_per_match") double avgKillsPerMatch,
    @JsonProperty("lives_completed") long livesCompleted,
    @JsonProperty("avg_survival_ms") Double avgSurvivalMs,
    @JsonProperty("shots") long shots,
    @JsonProperty("hits") long hits,
    @JsonProperty("damage_dealt") double damageDealt,
    @JsonProperty("first_seen") Long firstSeen,
    @JsonProperty("last_seen") Long lastSeen) {}
