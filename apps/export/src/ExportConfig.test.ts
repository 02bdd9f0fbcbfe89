import { describe, expect, test } from "vitest";
import { resolveExportConfig } from "./ExportConfig.js";
import { ExportError } from "./ExportError.js";

describe("resolveExportConfig", () => {
  test("defaults: every table, the state file in the output directory, a 10 s settle", () => {
    expect(resolveExportConfig({ outDir: "/data/export" })).toEqual({
      outDir: "/data/export",
      stateFile: "/data/export/_gametel_export_state.json",
      tables: ["player_stats", "player_windows", "match_stats", "server_perf"],
      collections: {},
      until: null,
      settleMs: 10_000,
      eventsTopic: null,
    });
  });

  test.each([
    [{}, "--out is required: the directory of the Parquet files"],
    [
      { outDir: "x", tables: ["players"] },
      'unknown table "players": expected some of player_stats, player_windows, match_stats, server_perf',
    ],
    [{ outDir: "x", settleMs: -1 }, "--settle-ms must be an integer >= 0"],
    [{ outDir: "x", until: 1.5 }, "--until must be an ISO-8601 time or epoch milliseconds"],
  ])("refuses %j with one line", (input, message) => {
    expect(() => resolveExportConfig(input)).toThrow(ExportError);
    expect(() => resolveExportConfig(input)).toThrow(message);
  });
});
