import type { View } from "../api/Views.js";

/** Receives a view's data as JSON text, first at once and then whenever it changes. */
export type LiveListener = (json: string) => void;

export interface LiveHubOptions {
  readonly pollMs: number;
  /** Distinct views watched at once (each costs one MongoDB read per poll); see `subscribe` for what happens then. */
  readonly maxViews?: number;
  /** Streams one client may hold at once; more are refused with `LiveClientLimitError`. */
  readonly maxStreamsPerClient?: number;
  readonly onError?: (view: string, error: unknown) => void;
  /** A client's stream was ended to make room for another client (see `subscribe`). */
  readonly onShed?: (client: string, view: string) => void;
}

/** Every view slot is taken by clients holding no more streams than the one asking. */
export class LiveHubFullError extends Error {
  override readonly name = "LiveHubFullError";
}

/** This client holds as many streams as it may. */
export class LiveClientLimitError extends Error {
  override readonly name = "LiveClientLimitError";
}

/** Who holds a stream: the client (an address) and how to end its stream when it is shed. */
export interface LiveSubscriber {
  readonly client: string;
  /** Ends the stream (called once, when the hub sheds it); the hub has already unsubscribed it. */
  readonly shed: () => void;
}

interface Stream {
  readonly client: string;
  readonly view: string;
  readonly shed: () => void;
  readonly unsubscribe: () => void;
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
  private readonly maxStreamsPerClient: number;
  /** Each client's open streams, oldest first. */
  private readonly streams = new Map<string, Stream[]>();

  constructor(private readonly options: LiveHubOptions) {
    this.maxViews = options.maxViews ?? 500;
    this.maxStreamsPerClient = options.maxStreamsPerClient ?? Number.POSITIVE_INFINITY;
    this.timer = setInterval(() => void this.poll(), options.pollMs);
    this.timer.unref();
  }

  /** Number of distinct views being watched. */
  get size(): number {
    return this.entries.size;
  }

  /** Streams open for one client. */
  streamsOf(client: string): number {
    return this.streams.get(client)?.length ?? 0;
  }

  /**
   * Starts watching; the listener gets the current data as soon as it is read. Returns the unsubscribe.
   *
   * A client holding `maxStreamsPerClient` streams is refused (`LiveClientLimitError`). When a new view is needed
   * and all `maxViews` are taken, the hub sheds load instead of locking newcomers out: it ends the oldest streams of
   * the client holding the most, as long as that client holds more than the one asking would, until a view slot
   * frees.
   * Only when no client holds more than the one asking is the request refused (`LiveHubFullError`).
   */
  subscribe(
    view: View,
    params: Readonly<Record<string, string>>,
    listener: LiveListener,
    subscriber: LiveSubscriber = { client: "local", shed: () => undefined },
  ): () => void {
    const { client } = subscriber;
    if (this.streamsOf(client) >= this.maxStreamsPerClient) {
      throw new LiveClientLimitError(
        `this client already holds ${this.maxStreamsPerClient} live streams; close one (another tab) and try again`,
      );
    }
    const key = `${view.name}?${JSON.stringify(params)}`;
    if (!this.entries.has(key)) this.makeRoom(client);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { view, params, listeners: new Set(), last: undefined, loading: undefined };
      this.entries.set(key, entry);
      void this.refresh(entry);
    } else if (entry.last !== undefined) {
      listener(entry.last);
    }
    entry.listeners.add(listener);
    const watched = entry;
    let open = true;
    const stream: Stream = {
      client,
      view: view.name,
      shed: subscriber.shed,
      unsubscribe: () => {
        if (!open) return;
        open = false;
        watched.listeners.delete(listener);
        if (watched.listeners.size === 0 && this.entries.get(key) === watched) this.entries.delete(key);
        const held = this.streams.get(client) ?? [];
        const rest = held.filter((s) => s !== stream);
        if (rest.length === 0) this.streams.delete(client);
        else this.streams.set(client, rest);
      },
    };
    this.streams.set(client, [...(this.streams.get(client) ?? []), stream]);
    return stream.unsubscribe;
  }

  /** Frees a view slot by shedding the heaviest client's oldest streams, or throws `LiveHubFullError`. */
  private makeRoom(client: string): void {
    while (this.entries.size >= this.maxViews) {
      let heaviest: Stream[] = [];
      for (const held of this.streams.values()) if (held.length > heaviest.length) heaviest = held;
      const victim = heaviest[0];
      if (victim === undefined || heaviest.length <= this.streamsOf(client) + 1) {
        throw new LiveHubFullError("too many live views; try again later");
      }
      victim.unsubscribe();
      this.options.onShed?.(victim.client, victim.view);
      victim.shed();
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.entries.clear();
    this.streams.clear();
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
