import { MongoError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from "mongodb";

/** Server error codes that mean "this resume point cannot be used any more". */
export const RESUME_POINT_ERROR_CODES: ReadonlySet<number> = new Set([
  260, // InvalidResumeToken
  280, // ChangeStreamFatalError ("resume token was not found")
  286, // ChangeStreamHistoryLost (the oplog rolled past the resume point)
  40_647, // "resume token ... not found" on older servers
]);

const RESUME_POINT_MESSAGE = /resume token|resume point|no longer be in the oplog|history lost/i;

/**
 * Whether opening or reading a change stream from a saved resume point failed because that point is
 * gone or malformed (as opposed to a network or permission problem, which the driver retries or which
 * needs another fix). mongo-java-server answers a malformed token with an error without a code
 * ("Unknown error: For input string ..."); that also counts when we were resuming from a saved token.
 */
export function isResumePointError(error: unknown, resumingFromSavedPoint: boolean): boolean {
  if (!(error instanceof MongoServerError)) return false;
  if (typeof error.code === "number" && RESUME_POINT_ERROR_CODES.has(error.code)) return true;
  if (RESUME_POINT_MESSAGE.test(error.message)) return true;
  return resumingFromSavedPoint && error.code === undefined && /^Unknown error/i.test(error.message);
}

/** Thrown when the saved resume point is unusable; its message is the one line the operator sees. */
export class ResumePointLostError extends Error {
  override readonly name = "ResumePointLostError";
  constructor(
    readonly sourceName: string,
    readonly serverMessage: string,
    readonly serverCode: number | string | undefined,
    /** The arguments that recover (see `recoveryArguments`). */
    readonly recovery: string,
  ) {
    super(
      `the saved resume point of source "${sourceName}" is no longer valid ` +
        `(${serverCode === undefined ? "" : `code ${serverCode}: `}${oneLine(serverMessage)}); ` +
        `documents inserted since it may never have been published. Recover with: gametel-mongo-source ${recovery} ` +
        `(re-publishes the documents since that time, then streams from now; duplicates are dropped downstream ` +
        `by event_id), or run with --on-resume-lost recopy to do this automatically`,
    );
  }
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/**
 * Whether MongoDB was unreachable for a moment (a restart, a failover, a network cut): the source then reopens
 * the change stream from its last published position, within its patience. A lost resume point is not one.
 */
export function isMongoOutage(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  if (!(error instanceof MongoError)) return false;
  if (isResumePointError(error, false)) return false;
  return error.hasErrorLabel("ResumableChangeStreamError") || error.hasErrorLabel("RetryableWriteError");
}
