import { DEFAULT_COLLECTIONS } from "@gametel/runtime";
import type { CollectionNames } from "@gametel/runtime";

/**
 * The collections the dashboard reads: the processors' results (`@gametel/runtime`'s names), including
 * `match_players`, one document per match and player (`_id` `<game_id>:<match_id>|<player_key>`, core's PlayerStats
 * fields over that player's events in that match), which arena's model writes.
 */
export type DashboardCollections = CollectionNames;

export const DEFAULT_DASHBOARD_COLLECTIONS: DashboardCollections = DEFAULT_COLLECTIONS;
