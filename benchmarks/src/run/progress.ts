/** Progress output for long scenarios: timestamped lines on stderr (readable under turbo and in CI logs). */
export interface Progress {
  line(message: string): void;
}

export const stderrProgress = (): Progress => {
  const started = performance.now();
  return {
    line(message) {
      const s = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
      process.stderr.write(`[bench ${s}s] ${message}\n`);
    },
  };
};

export const silentProgress: Progress = { line: () => undefined };
