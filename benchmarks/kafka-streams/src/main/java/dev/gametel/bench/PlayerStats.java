package dev.gametel.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The output value: the PlayerStats fields gametel defines, with its wire names. */
public record PlayerStats(
    @JsonProperty("kills") long kills,
    @JsonProperty("deaths") long deaths,
    @JsonProperty("kd_ratio") double kdRatio,
    @JsonProperty("matches") long matches,
    @JsonProperty("avg_survival_ms") Double avgSurvivalMs) {}
