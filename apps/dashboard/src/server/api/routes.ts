import type { Context } from "hono";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { LiveHub } from "../live/LiveHub.js";
import type { View } from "./Views.js";
import { ViewParamError } from "./Views.js";

const KEEP_ALIVE_MS = 15_000;
/** How long a browser whose stream was shed waits before it reconnects (the SSE `retry` field). */
const SHED_RETRY_MS = 60_000;

function viewOf(views: ReadonlyMap<string, View>, name: string | undefined): View {
  const view = name === undefined ? undefined : views.get(name);
  if (view === undefined)
    throw new ViewParamError(`unknown view "${name ?? ""}"; views: ${[...views.keys()].join(", ")}`);
  return view;
}

/**
 * The web UI's API: `GET /api/views/<name>?…` answers once; `GET /api/live?view=<name>&…` is a server-sent-event
 * stream that sends the view's data at once and again whenever it changes (event `view`).
 */
export function apiRoutes(
  views: ReadonlyMap<string, View>,
  hub: LiveHub,
  clientOf: (c: Context) => string,
): Hono {
  const api = new Hono();

  api.get("/views/:name", async (c) => {
    const view = viewOf(views, c.req.param("name"));
    const data = await view.load(view.parse(new URL(c.req.url).searchParams));
    return c.json({ view: view.name, data }, 200, { "Cache-Control": "no-store" });
  });

  api.get("/live", (c) => {
    const query = new URLSearchParams(new URL(c.req.url).searchParams);
    const view = viewOf(views, query.get("view") ?? undefined);
    query.delete("view");
    const params = view.parse(query);
    // Subscribe before the stream starts, so a full hub is a plain 503; data that arrives first is queued.
    let id = 0;
    const early: string[] = [];
    let deliver: (json: string) => void = (json) => early.push(json);
    let shedEarly = false;
    let shed: () => void = () => (shedEarly = true);
    const unsubscribe = hub.subscribe(view, params, (json) => deliver(json), {
      client: clientOf(c),
      shed: () => shed(),
    });
    return streamSSE(c, async (stream) => {
      // Shed to make room for another client: say so, ask the browser to wait before reconnecting, and end.
      shed = () =>
        void stream
          .writeSSE({ event: "shed", data: "too many live views; reconnecting later", retry: SHED_RETRY_MS })
          .catch(() => undefined)
          .finally(() => void stream.close());
      if (shedEarly) return shed();
      let pending = Promise.resolve();
      deliver = (json) => {
        id += 1;
        const message = {
          event: "view",
          id: String(id),
          data: `{"view":${JSON.stringify(view.name)},"data":${json}}`,
        };
        // Keep messages in order; a closed stream just drops them.
        pending = pending.then(() => stream.writeSSE(message)).catch(() => undefined);
      };
      for (const json of early.splice(0)) deliver(json);
      stream.onAbort(unsubscribe);
      try {
        while (!stream.aborted && !stream.closed) {
          await stream.sleep(KEEP_ALIVE_MS);
          if (!stream.aborted) await stream.write(": keep-alive\n\n");
        }
      } finally {
        unsubscribe();
      }
    });
  });

  api.all("*", (c) => c.json({ error: { code: "NotFound", message: "no such API route" } }, 404));
  return api;
}
