/** A request the feed refuses, answered in OData's JSON error format (`{ "error": { code, message, target } }`). */
export class ODataError extends Error {
  readonly status: 400 | 401 | 404 | 405 | 429 | 500 | 503;
  readonly code: string;
  readonly target: string | undefined;
  /** Seconds the client should wait before trying again (`Retry-After`, on 429 and 503). */
  retryAfterSeconds: number | undefined;

  constructor(status: ODataError["status"], code: string, message: string, target?: string) {
    super(message);
    this.name = "ODataError";
    this.status = status;
    this.code = code;
    this.target = target;
  }

  /** The same error with a `Retry-After`. */
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return this;
  }

  /** The response body (OData JSON Format 4.0, section 21.1). */
  body(): { error: { code: string; message: string; target?: string } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.target === undefined ? {} : { target: this.target }),
      },
    };
  }
}

/** 400 with the query option that is wrong as the target. */
export const badRequest = (code: string, message: string, target?: string): ODataError =>
  new ODataError(400, code, message, target);
