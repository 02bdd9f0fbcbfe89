import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";
import { ODataError } from "../odata/ODataError.js";

/** MongoDB's error code for a read stopped at its `maxTimeMS`. */
const MAX_TIME_MS_EXPIRED = 50;

/** The 503 for a read that ran out of time, on MongoDB's side (maxTimeMS) or ours (the request deadline). */
export function queryTimeout(limitMs: number): ODataError {
  return new ODataError(
    503,
    "QueryTimeout",
    `the query ran longer than ${limitMs} ms and was stopped: narrow it ($filter on indexed properties, ` +
      "a shorter text search, a smaller $top) or try again later",
  ).retryAfter(5);
}

/**
 * What the client is told when MongoDB cannot answer: a 503 with `Retry-After` for an unreachable MongoDB or a read
 * stopped at its time limit, null for anything else (a bug: 500, logged).
 */
export function unavailable(error: unknown, queryTimeoutMs: number): ODataError | null {
  if (error instanceof MongoServerError && error.code === MAX_TIME_MS_EXPIRED)
    return queryTimeout(queryTimeoutMs);
  if (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  ) {
    return new ODataError(
      503,
      "DatabaseUnavailable",
      "MongoDB is not answering; the dashboard reads again as soon as it is back: try again in a few seconds",
    ).retryAfter(5);
  }
  return null;
}
