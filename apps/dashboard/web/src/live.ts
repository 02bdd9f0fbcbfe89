import type { LiveMessage } from "../../src/server/api/ViewTypes.ts";
import { fmtTime } from "./format.ts";

type State = "connecting" | "live" | "offline";

const status = () => document.getElementById("live");

function setState(state: State, detail?: string): void {
  const el = status();
  if (el === null) return;
  el.dataset.state = state;
  el.textContent = detail === undefined ? state : `${state} · ${detail}`;
}

/**
 * Watches a view of the dashboard's API over server-sent events: `onData` gets its data at once and again whenever
 * it changes in MongoDB. EventSource reconnects by itself after a network error. Returns the stop function.
 */
export function watch<T>(
  view: string,
  params: Record<string, string>,
  onData: (data: T) => void,
): () => void {
  const query = new URLSearchParams({ view, ...params });
  const source = new EventSource(`/api/live?${query.toString()}`);
  setState("connecting");
  source.addEventListener("open", () => setState("live"));
  source.addEventListener("error", () =>
    setState(source.readyState === EventSource.CLOSED ? "offline" : "connecting"),
  );
  source.addEventListener("view", (event) => {
    const message = JSON.parse((event as MessageEvent<string>).data) as LiveMessage<T>;
    setState("live", `updated ${fmtTime(Date.now())}`);
    onData(message.data);
  });
  return () => source.close();
}

/** One read of a view (no live updates). */
export async function fetchView<T>(view: string, params: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`/api/views/${view}?${new URLSearchParams(params).toString()}`);
  if (!response.ok) throw new Error(`${view}: HTTP ${response.status}`);
  return ((await response.json()) as LiveMessage<T>).data;
}
