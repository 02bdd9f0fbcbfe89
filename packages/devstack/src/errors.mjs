// One failure, one line: every error the stack reports says what is wrong and what to do.
export class StackError extends Error {
  /** @param {string} message the whole line shown to the user */
  constructor(message) {
    super(message);
    this.name = "StackError";
  }
}
