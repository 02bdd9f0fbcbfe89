import type { View } from "../api/Views.js";

/** Receives a view's data as JSON text, first at once and then whenever it changes. */
export type LiveListener = (json: string) => void;

export interface LiveHubOptions {
  readonly pollMs: number;
  /** Distinct views watched at once (each costs one MongoDB read per poll); more are refused. */
  readonly maxViews?: number;
  readonly onError?: (view: string, error: unknown) => void;
}

export class LiveHubFullError extends Error {
  override readonly name = "LiveHubFullError";
}

interface Entry {
  readonly view: View;
  readonly params: Readonly<Record<string, string>>;
  readonly listeners: Set<LiveListener>;
  last: string | undefined;
  loading: Promise<void> | undefined;
}

/**
 * Live updates without change streams: every watched view (a page with its parameters) is re-read from MongoDB once
 * per poll, however many browsers watch it, and pushed to them only when its JSON changed. Reads only, works with
 * a read-only user on any deployment (replica set, secondaries, Atlas, the local server), and costs nothing when
 * nobody watches.
 */
export class LiveHub {
  private readonly entries = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;
  private readonly maxViews: number;

  constructor(private readonly options: LiveHubOptions) {
    this.maxViews = options.maxViews ?? 500;
    this.timer = setInterval(() => void this.poll(), options.pollMs);
    this.timer.unref();
  }

  /** Number of distinct views being watched. */
  get size(): number {
    return this.entries.size;
  }

  /** Starts watching; the listener gets the current data as soon as it is read. Returns the unsubscribe. */
  subscribe(view: View, params: Readonly<Record<string, string>>, listener: LiveListener): () => void {
    const key = `${view.name}?${JSON.stringify(params)}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.maxViews)
        throw new LiveHubFullError("too many live views; try again later");
      entry = { view, params, listeners: new Set(), last: undefined, loading: undefined };
      this.entries.set(key, entry);
      void this.refresh(entry);
    } else if (entry.last !== undefined) {
      listener(entry.last);
    }
    entry.listeners.add(listener);
    const watched = entry;
    return () => {
      watched.listeners.delete(listener);
      if (watched.listeners.size === 0 && this.entries.get(key) === watched) this.entries.delete(key);
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.entries.clear();
  }

  private async poll(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => this.refresh(entry)));
  }

  private refresh(entry: Entry): Promise<void> {
    // One read per view at a time: a slow read is not stacked up by the next tick.
    entry.loading ??= (async () => {
      try {
        const json = JSON.stringify(await entry.view.load(entry.params));
        if (json !== entry.last) {
          entry.last = json;
          for (const listener of [...entry.listeners]) listener(json);
        }
      } catch (error) {
        this.options.onError?.(entry.view.name, error);
      } finally {
        entry.loading = undefined;
      }
    })();
    return entry.loading;
  }
}
