-- Snowflake objects for the Kafka connector configs in connect/ (snowflake-events-sink, snowflake-stats-sink).
-- Run as a role that can create roles, users, databases and grant (e.g. SECURITYADMIN + SYSADMIN).
-- The connector writes with snowflake.enable.schematization=false: two VARIANT columns per table.

CREATE ROLE IF NOT EXISTS GAMETEL_CONNECTOR;
CREATE DATABASE IF NOT EXISTS GAMETEL;
CREATE SCHEMA IF NOT EXISTS GAMETEL.TELEMETRY;
GRANT USAGE ON DATABASE GAMETEL TO ROLE GAMETEL_CONNECTOR;
GRANT USAGE, CREATE TABLE, CREATE STAGE, CREATE PIPE ON SCHEMA GAMETEL.TELEMETRY TO ROLE GAMETEL_CONNECTOR;
-- The connector's user authenticates with a key pair: ALTER USER ... SET RSA_PUBLIC_KEY = '...';
CREATE USER IF NOT EXISTS GAMETEL_CONNECTOR_USER DEFAULT_ROLE = GAMETEL_CONNECTOR;
GRANT ROLE GAMETEL_CONNECTOR TO USER GAMETEL_CONNECTOR_USER;

-- telemetry.events: one row per Kafka record (the dead-letter topic gets what JSON cannot parse).
CREATE TABLE IF NOT EXISTS GAMETEL.TELEMETRY.TELEMETRY_EVENTS (
  RECORD_METADATA VARIANT,
  RECORD_CONTENT VARIANT
);

-- player.stats: every stats record the processors published (a changelog of each game_id:player_id key).
CREATE TABLE IF NOT EXISTS GAMETEL.TELEMETRY.PLAYER_STATS_CHANGES (
  RECORD_METADATA VARIANT,
  RECORD_CONTENT VARIANT
);

GRANT OWNERSHIP ON TABLE GAMETEL.TELEMETRY.TELEMETRY_EVENTS TO ROLE GAMETEL_CONNECTOR COPY CURRENT GRANTS;
GRANT OWNERSHIP ON TABLE GAMETEL.TELEMETRY.PLAYER_STATS_CHANGES TO ROLE GAMETEL_CONNECTOR COPY CURRENT GRANTS;

-- Typed view of the events (wire format v1 field names; event_time is epoch milliseconds).
CREATE OR REPLACE VIEW GAMETEL.TELEMETRY.EVENTS AS
SELECT
  RECORD_METADATA:partition::NUMBER AS kafka_partition,
  RECORD_METADATA:offset::NUMBER AS kafka_offset,
  RECORD_CONTENT:event_id::STRING AS event_id,
  RECORD_CONTENT:event_type::STRING AS event_type,
  RECORD_CONTENT:game_id::STRING AS game_id,
  RECORD_CONTENT:player_id::STRING AS player_id,
  RECORD_CONTENT:match_id::STRING AS match_id,
  RECORD_CONTENT:server_id::STRING AS server_id,
  TO_TIMESTAMP_TZ(RECORD_CONTENT:event_time::NUMBER, 3) AS event_time,
  RECORD_CONTENT:data AS data
FROM GAMETEL.TELEMETRY.TELEMETRY_EVENTS;

-- Latest stats of each player: the last record of each key (a key lives in one partition, so its offsets
-- are ordered). A tombstone (written as an empty object, behavior.on.null.values=DEFAULT) hides the player.
CREATE OR REPLACE VIEW GAMETEL.TELEMETRY.PLAYER_STATS AS
SELECT
  id,
  content:kills::NUMBER AS kills,
  content:deaths::NUMBER AS deaths,
  content:kd_ratio::FLOAT AS kd_ratio,
  content:headshot_ratio::FLOAT AS headshot_ratio,
  content:matches::NUMBER AS matches,
  content AS stats
FROM (
  SELECT RECORD_METADATA:key::STRING AS id, RECORD_CONTENT AS content
  FROM GAMETEL.TELEMETRY.PLAYER_STATS_CHANGES
  QUALIFY ROW_NUMBER() OVER (PARTITION BY RECORD_METADATA:key ORDER BY RECORD_METADATA:offset::NUMBER DESC) = 1
) AS latest
WHERE content:kills IS NOT NULL;
