/**
 * The exit codes of every gametel app, the same everywhere (the root README lists them):
 *
 * | code | meaning                                                                      |
 * | ---- | ---------------------------------------------------------------------------- |
 * | 0    | finished or stopped cleanly (also `--help`)                                  |
 * | 1    | failed while running                                                         |
 * | 2    | usage or configuration error: nothing was started                            |
 * | 3    | a dependency (Kafka, MongoDB) did not answer within the connect timeout      |
 * | 130  | a second Ctrl-C/SIGTERM while stopping: exited without finishing the stop    |
 */
export const ExitCode = {
  ok: 0,
  runtimeFailure: 1,
  usage: 2,
  unreachable: 3,
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
