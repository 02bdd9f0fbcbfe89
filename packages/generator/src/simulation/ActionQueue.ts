/**
 * A min-heap of scheduled actions ordered by time, then by scheduling order, so that actions due at the
 * same millisecond always run in the same order (determinism does not depend on heap internals).
 */
export class ActionQueue<A> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly actions: A[] = [];
  private seq = 0;

  get size(): number {
    return this.actions.length;
  }

  push(time: number, action: A): void {
    this.times.push(time);
    this.seqs.push(this.seq++);
    this.actions.push(action);
    this.up(this.actions.length - 1);
  }

  /** Time of the next action, or undefined when empty. */
  peekTime(): number | undefined {
    return this.times[0];
  }

  pop(): { time: number; action: A } | undefined {
    const n = this.actions.length;
    if (n === 0) return undefined;
    const time = this.times[0] as number;
    const action = this.actions[0] as A;
    this.swap(0, n - 1);
    this.times.pop();
    this.seqs.pop();
    this.actions.pop();
    this.down(0);
    return { time, action };
  }

  private less(i: number, j: number): boolean {
    const ti = this.times[i] as number;
    const tj = this.times[j] as number;
    return ti < tj || (ti === tj && (this.seqs[i] as number) < (this.seqs[j] as number));
  }

  private swap(i: number, j: number): void {
    [this.times[i], this.times[j]] = [this.times[j] as number, this.times[i] as number];
    [this.seqs[i], this.seqs[j]] = [this.seqs[j] as number, this.seqs[i] as number];
    [this.actions[i], this.actions[j]] = [this.actions[j] as A, this.actions[i] as A];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.actions.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
