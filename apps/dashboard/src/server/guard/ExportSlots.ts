import { ODataError } from "../odata/ODataError.js";

/** A bound on CSV exports running at once: each holds a MongoDB cursor for as long as the download lasts. */
export class ExportSlots {
  private running = 0;

  constructor(private readonly max: number) {}

  get inUse(): number {
    return this.running;
  }

  /** Takes a slot, or throws a 503 with Retry-After when all are taken. Returns the release (idempotent). */
  acquire(): () => void {
    if (this.running >= this.max) {
      throw new ODataError(
        503,
        "TooManyExports",
        `${this.max} CSV exports are running already; try again when one has finished`,
      ).retryAfter(10);
    }
    this.running += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.running -= 1;
    };
  }
}
