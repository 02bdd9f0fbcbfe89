import { DEFAULT_COLLECTIONS } from "@gametel/runtime";
import type { CollectionNames } from "@gametel/runtime";

/**
 * The collections the dashboard reads: the processors' results (`@gametel/runtime`'s names) and `match_players`,
 * one document per match and player (`_id` `<game_id>:<match_id>|<player_key>`, core's PlayerStats fields over
 * that player's events in that match).
 */
export type DashboardCollections = CollectionNames & { readonly matchPlayers: string };

export const DEFAULT_DASHBOARD_COLLECTIONS: DashboardCollections = {
  matchPlayers: "match_players",
  ...DEFAULT_COLLECTIONS,
};
